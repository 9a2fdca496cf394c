package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.DeadlineExceededException;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.MalformedFrameException;
import dev.nucleus.rpc.NotPermittedException;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RemoteFailureException;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.rpc.ServiceRegistry;
import dev.nucleus.rpc.UnknownMethodException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Generated proxies and adapters over the kernel: a {@link KernelBinding} in one thread space
 * calling an {@link RpcServer} in another, through IPC. Every rule of a local call holds, and the
 * transport adds its own failures, each saying which leg failed.
 */
@org.junit.jupiter.api.Timeout(60)
class KernelBindingTest {

  private final Kernel kernel = Kernel.create();
  private final Space server = kernel.createSpace("server");
  private final Space client = kernel.createSpace("client");

  @AfterEach
  void close() {
    kernel.close();
  }

  private KeyValue connect(RpcServer rpc) {
    return KernelBinding.to(client, rpc.id(), KeyValue_Service.INSTANCE).proxy(KeyValue_Service.INSTANCE);
  }

  @Test
  @DisplayName("a proxy in one thread space calls an export in another: results, declared and undeclared exceptions, one-way calls")
  void callsAcrossThreadSpaces() throws Exception {
    kernel.createChannel(client, server);
    final KeyValueStore store = new KeyValueStore();
    try (RpcServer rpc = RpcServer.export(server, KeyValue_Service.INSTANCE, store, 2)) {
      final KeyValue kv = connect(rpc);
      assertThat(kv.get(41)).isEqualTo(42);
      kv.put("k", new byte[] {1, 2, 3});
      assertThat(store.values.get("k")).containsExactly(1, 2, 3);
      assertThatThrownBy(() -> kv.put("a key that is far too long", new byte[0])).isInstanceOf(KeyTooLong.class)
          .hasMessage("key of 26 chars, at most 16");
      assertThatThrownBy(() -> kv.get(-1)).isInstanceOfSatisfying(RemoteFailureException.class, e -> {
        assertThat(e.delivered()).isTrue();
        assertThat(e.remoteClass()).isEqualTo(IllegalStateException.class.getName());
      });
      assertThat(kv.get(1)).as("the server goes on").isEqualTo(2);
      kv.log("one way");
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!store.log.contains("one way") && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(store.log).containsExactly("one way");
    }
  }

  @Test
  @DisplayName("the server sees the caller as the kernel stamped it, and the deadline that travelled with the call")
  void identityAndDeadlineTravel() {
    kernel.createChannel(client, server);
    final Introspect impl = depth -> {
      final var call = dev.nucleus.rpc.ServerCall.current();
      return new CallInfo(call.callerSpace(), call.callerThread(), call.callerPid(), call.remainingNanos(), 0);
    };
    try (RpcServer rpc = RpcServer.export(server, Introspect_Service.INSTANCE, impl, 1)) {
      final Introspect proxy = KernelBinding.to(client, rpc.id(), Introspect_Service.INSTANCE)
          .proxy(Introspect_Service.INSTANCE);
      final CallInfo info = Deadlines.within(Duration.ofSeconds(5), () -> proxy.whoIsCalling(0));
      assertThat(info.space()).isEqualTo(client.number());
      assertThat(ThreadId.space(info.thread())).isEqualTo(client.number());
      assertThat(info.pid()).as("a caller in this process").isZero();
      assertThat(info.remainingNanos()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5).toNanos());
    }
  }

  @Test
  @DisplayName("a space binds by name only to what the root granted it; anything else is NotPermitted")
  void importsAreGranted() {
    kernel.createChannel(client, server);
    final Space other = kernel.createSpace("other");
    kernel.createChannel(other, server);
    final ServiceRegistry registry = new ServiceRegistry();
    try (RpcServer rpc = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 1)) {
      registry.register("kv", rpc);
      registry.grant(client, "kv");
      assertThat(registry.bind(client, "kv", KeyValue_Service.INSTANCE).proxy(KeyValue_Service.INSTANCE).get(1))
          .isEqualTo(2);
      assertThatThrownBy(() -> registry.bind(other, "kv", KeyValue_Service.INSTANCE))
          .isInstanceOf(NotPermittedException.class).hasMessage("space other was granted no service 'kv'");
      assertThatThrownBy(() -> registry.bind(client, "nothing", KeyValue_Service.INSTANCE))
          .isInstanceOf(NotPermittedException.class);
      assertThatThrownBy(() -> registry.bind(client, "kv", Introspect_Service.INSTANCE))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("'kv' is service KeyValue, not Introspect");
      assertThatThrownBy(() -> registry.register("kv", rpc)).isInstanceOf(IllegalArgumentException.class);
      final KeyValue forged = KernelBinding.to(other, rpc.id(), KeyValue_Service.INSTANCE).proxy(KeyValue_Service.INSTANCE);
      assertThatThrownBy(() -> forged.get(1)).as("the id without the grant")
          .isInstanceOfSatisfying(NotPermittedException.class, e -> assertThat(e.delivered()).isFalse());
    }
  }

  @Test
  @DisplayName("without a channel between the spaces a call is NotPermitted and was not delivered")
  void noChannelIsNotPermitted() {
    try (RpcServer rpc = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 1)) {
      final KeyValue kv = connect(rpc);
      assertThatThrownBy(() -> kv.get(1)).isInstanceOfSatisfying(NotPermittedException.class,
          e -> assertThat(e.delivered()).isFalse());
    }
  }

  @Test
  @DisplayName("a closed export is PeerDead for its clients, not delivered")
  void closedExportIsPeerDead() {
    kernel.createChannel(client, server);
    final RpcServer rpc = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 2);
    final KeyValue kv = connect(rpc);
    assertThat(kv.get(1)).isEqualTo(2);
    rpc.close();
    assertThatThrownBy(() -> kv.get(1)).isInstanceOfSatisfying(PeerDeadException.class,
        e -> assertThat(e.delivered()).isFalse());
  }

  @Test
  @DisplayName("a call to a busy pool waits its turn up to its deadline, then DeadlineExceeded in the send phase")
  void busyPoolWaitsUpToTheDeadline() throws Exception {
    kernel.createChannel(client, server);
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final Introspect slow = depth -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new CallInfo(0, 0, 0, 0, depth);
    };
    try (RpcServer rpc = RpcServer.export(server, Introspect_Service.INSTANCE, slow, 1)) {
      final Introspect proxy = KernelBinding.to(client, rpc.id(), Introspect_Service.INSTANCE)
          .proxy(Introspect_Service.INSTANCE);
      final CompletableFuture<CallInfo> first = CompletableFuture.supplyAsync(() -> proxy.whoIsCalling(1));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> Deadlines.within(Duration.ofMillis(50), () -> proxy.whoIsCalling(2)))
          .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
            assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND);
            assertThat(e.delivered()).isFalse();
          });
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).nestedCalls()).as("the first call is answered").isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a call whose deadline has passed before it goes out is DeadlineExceeded (send phase) and never reaches the server")
  void expiredDeadlineIsNotSent() {
    kernel.createChannel(client, server);
    final KeyValueStore store = new KeyValueStore();
    try (RpcServer rpc = RpcServer.export(server, KeyValue_Service.INSTANCE, store, 1)) {
      final KeyValue kv = connect(rpc);
      assertThatThrownBy(() -> Deadlines.within(Duration.ofNanos(1), () -> {
        final long until = System.nanoTime() + 1_000_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait(); // let the deadline pass
        }
        return kv.get(1);
      })).isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
        assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND);
        assertThat(e.delivered()).isFalse();
      });
      assertThat(store.calls).hasValue(0);
    }
  }

  @Test
  @DisplayName("a deadline that passes while a large request is written is checked after the writing: DeadlineExceeded, send phase, never served")
  void deadlinePassedWhileWritingALargeRequest() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Bulk_Service.INSTANCE, new BulkServer(), 1);
        KernelBinding binding = KernelBinding.to(client, rpc.id(), Bulk_Service.INSTANCE, Duration.ofMillis(1))) {
      final Bulk proxy = binding.proxy(Bulk_Service.INSTANCE);
      // Writing 64 MiB into a new argument stack (made, filled, copied into) takes far more than
      // the 1 ms the call has; the clock read as the call began would say there was time left.
      assertThatThrownBy(() -> proxy.sum(new byte[64 << 20])).isInstanceOfSatisfying(DeadlineExceededException.class,
          e -> {
            assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND);
            assertThat(e.delivered()).isFalse();
          });
      assertThat(rpc.callsServed()).isZero();
    }
  }

  @Test
  @DisplayName("a method the server's version lacks is UnknownMethod; the methods both have work")
  void evolvedClientMeetsOlderServer() {
    kernel.createChannel(client, server);
    final StoreV1 v1 = key -> key * 2;
    try (RpcServer rpc = RpcServer.export(server, StoreV1_Service.INSTANCE, v1, 1)) {
      final StoreV2 newer = KernelBinding.to(client, rpc.id(), StoreV2_Service.INSTANCE).proxy(StoreV2_Service.INSTANCE);
      assertThat(newer.get(21)).isEqualTo(42);
      assertThatThrownBy(newer::describe).isInstanceOf(UnknownMethodException.class);
    }
  }

  @Test
  @DisplayName("a request larger than the registers carry goes through the caller's argument stack, or a region of its own: byte[] of every size, 16 MiB read in place, one-way")
  void largeRequestsGoThroughARegion() {
    kernel.createChannel(client, server);
    final BulkServer bulk = new BulkServer();
    try (RpcServer rpc = RpcServer.export(server, Bulk_Service.INSTANCE, bulk, 1);
        KernelBinding binding = KernelBinding.to(client, rpc.id(), Bulk_Service.INSTANCE)) {
      final Bulk proxy = binding.proxy(Bulk_Service.INSTANCE);
      final byte[] mib = new byte[1 << 20];
      java.util.Arrays.fill(mib, (byte) 3);
      assertThat(proxy.sum(mib)).isEqualTo(3L << 20);
      try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
        final java.lang.foreign.MemorySegment data = arena.allocate(16 << 20);
        for (long i = 0; i < data.byteSize(); i += 8) {
          data.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, i);
        }
        assertThat(proxy.checksum(data)).isEqualTo(BulkServer.checksumOf(data));
      }
      for (int size : new int[] {1000, 60_000, 1000, 900_000, 3 << 20, 500, 100_000}) { // the stack kept, grown, and a region for one call
        for (int round = 0; round < 20; round++) {
          final byte[] data = new byte[size];
          java.util.Arrays.fill(data, (byte) (round + 1));
          assertThat(proxy.sum(data)).as("%d bytes, round %d", size, round).isEqualTo((long) size * (round + 1));
        }
      }
      proxy.drop(mib);
      assertThat(bulk.dropped).as("a one-way region request is mapped before it returns, served after")
          .satisfies(d -> assertThat(waitFor(() -> d.get() == (1 << 20))).isTrue());
      assertThat(proxy.sum(new byte[] {1, 2})).as("small again: registers").isEqualTo(3);
    }
  }

  @Test
  @DisplayName("a result larger than the registers carry comes back in the caller's region: byte[] of every size up to 4 MiB, text, an argument echoed while it is read, 40 MiB with a larger maxResult")
  void largeResultsComeBackInTheCallersRegion() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Bulk_Service.INSTANCE, new BulkServer(), 2);
        KernelBinding binding = KernelBinding.to(client, rpc.id(), Bulk_Service.INSTANCE)) {
      final Bulk proxy = binding.proxy(Bulk_Service.INSTANCE);
      for (int size : new int[] {0, 400, 497, 5000, 1 << 20, 100, (4 << 20) - 8, 3}) { // registers, region, both ways
        for (int seed = 0; seed < 3; seed++) {
          assertThat(proxy.fill(size, seed)).as("%d bytes, seed %d", size, seed).isEqualTo(BulkServer.pattern(size, seed));
        }
      }
      assertThat(proxy.text(300_000)).isEqualTo(BulkServer.textOf(300_000));
      try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
        final java.lang.foreign.MemorySegment data = arena.allocate(2 << 20);
        for (long i = 0; i < data.byteSize(); i += 8) {
          data.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, i * 7);
        }
        assertThat(proxy.echo(data).mismatch(data)).as("echoed from the request's view").isEqualTo(-1);
      }
      assertThatThrownBy(() -> proxy.fill((4 << 20) - 7, 0)).as("beyond the 4 MiB offered")
          .isInstanceOfSatisfying(RemoteFailureException.class, e -> assertThat(e.getMessage())
              .contains("FrameOverflowException").contains("maxResult"));
      assertThat(proxy.fill(10, 1)).as("the server goes on").isEqualTo(BulkServer.pattern(10, 1));
    }
    try (RpcServer rpc = RpcServer.export(server, Bulk_Service.INSTANCE, new BulkServer(), 1);
        KernelBinding binding = KernelBinding.builder(client, rpc.id(), Bulk_Service.INSTANCE).maxResult(64L << 20).build()) {
      final Bulk proxy = binding.proxy(Bulk_Service.INSTANCE);
      assertThat(proxy.fill(40 << 20, 9)).isEqualTo(BulkServer.pattern(40 << 20, 9));
      assertThat(proxy.fill(20, 9)).isEqualTo(BulkServer.pattern(20, 9));
    }
  }

  @Test
  @DisplayName("a reply in the region that claims more than was offered, or that comes when nothing was offered, is MalformedFrameException")
  void hostileRepliesInTheRegionAreRefused() throws Exception {
    kernel.createChannel(client, server);
    final IpcThread[] liar = new IpcThread[1];
    final long[] claimed = {Long.MAX_VALUE >>> 32};
    final java.util.concurrent.CountDownLatch up = new java.util.concurrent.CountDownLatch(1);
    final dev.nucleus.kernel.Endpoint endpoint = server.createEndpoint("liar");
    liar[0] = server.spawn("liar", self -> {
      up.countDown();
      int status = self.waitAt(endpoint, Timeout.NEVER);
      while (status == Status.OK) {
        self.setTag(MessageTag.of(0x4C55, 1)); // REPLY_IN_REGION
        self.setMr(1, Outcome.OK | claimed[0] << 32);
        status = self.replyWait(endpoint, Timeout.NEVER);
      }
    });
    up.await();
    try (KernelBinding binding = KernelBinding.to(client, endpoint.id(), Bulk_Service.INSTANCE)) {
      final Bulk proxy = binding.proxy(Bulk_Service.INSTANCE);
      claimed[0] = 5L << 20; // more than the 4 MiB offered
      assertThatThrownBy(() -> proxy.fill(10, 0)).isInstanceOf(MalformedFrameException.class)
          .hasMessageContaining("more than the");
      assertThatThrownBy(() -> proxy.sum(new byte[] {1})).as("a small request offers nothing")
          .isInstanceOf(MalformedFrameException.class).hasMessageContaining("offered none");
    } finally {
      endpoint.close();
    }
  }

  /** Polls {@code condition} for up to 10 s. */
  private static boolean waitFor(java.util.function.BooleanSupplier condition) {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.onSpinWait();
    }
    return true;
  }

  @Test
  @DisplayName("a region handle that names another process, or no region, is a MALFORMED_REQUEST; the server goes on")
  void forgedRegionHandlesAreRefused() throws Exception {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Bulk_Service.INSTANCE, new BulkServer(), 1);
        IpcThread raw = client.attach("raw")) {
      final long self = ProcessHandle.current().pid();
      final long[] handles = {1L << 32 | 0, self << 32 | 9999, self << 32 | 0};
      for (long handle : handles) {
        raw.setTag(MessageTag.of(0x4C52, 5));
        raw.setMr(1, Bulk_Service.SUM_ID & 0xFFFF_FFFFL | (long) Bulk_Service.ID << 32);
        raw.setMr(2, 4096 | 1L << 33 | (handle == handles[0] ? 1L << 34 : 0)); // a kept region, then regions for the call
        raw.setMr(3, -1);
        raw.setMr(4, handle);
        raw.setMr(5, 42);
        assertThat(raw.call(rpc.id(), Timeout.relative(Duration.ofSeconds(10)), Timeout.relative(Duration.ofSeconds(10))))
            .isEqualTo(Status.OK);
        assertThat((int) raw.mr(1)).as("handle 0x%s", Long.toHexString(handle)).isEqualTo(Outcome.MALFORMED_REQUEST);
      }
      assertThat(KernelBinding.to(client, rpc.id(), Bulk_Service.INSTANCE).proxy(Bulk_Service.INSTANCE)
          .sum(new byte[] {4})).isEqualTo(4);
    }
  }

  @Test
  @DisplayName("raw messages that are not RPC requests get a MALFORMED_REQUEST reply, and the pool goes on serving")
  void malformedRequestsAreAnsweredAndTheServerGoesOn() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 1);
        IpcThread raw = client.attach("raw")) {
      final long[][] requests = {
          {MessageTag.of(7, 0)},                                        // not an RPC label
          {MessageTag.of(0x4C52, 3), KeyValue_Service.GET_ID & 0xFFFF_FFFFL | (long) KeyValue_Service.ID << 32, 64, -1},
          {MessageTag.of(0x4C52, 3), KeyValue_Service.GET_ID & 0xFFFF_FFFFL | (long) KeyValue_Service.ID << 32,
              1L << 32, -1},                                            // one-way flag on a call
          {MessageTag.of(0x4C52, 1), 0},                                // header cut short
      };
      for (long[] r : requests) {
        raw.setTag(r[0]);
        for (int i = 1; i < r.length; i++) {
          raw.setMr(i, r[i]);
        }
        assertThat(raw.call(rpc.id(), Timeout.relative(Duration.ofSeconds(10)), Timeout.relative(Duration.ofSeconds(10))))
            .isEqualTo(Status.OK);
        assertThat((int) raw.mr(1)).as("outcome of %s", java.util.Arrays.toString(r)).isEqualTo(Outcome.MALFORMED_REQUEST);
      }
      assertThat(connect(rpc).get(5)).isEqualTo(6);
    }
  }

  @Test
  @DisplayName("a call with primitive arguments and result allocates nothing on the calling thread")
  void primitiveCallsAllocateNothing() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 1)) {
      final KeyValue kv = connect(rpc);
      final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long sum = 0;
      for (int i = 0; i < 20_000; i++) { // warm up: the JIT, the thread's binding state
        sum += kv.get(i);
      }
      final long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100_000; i++) {
        sum += kv.get(i);
      }
      final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertThat(sum).isPositive();
      assertThat(allocated / 100_000.0).as("bytes per call (total %d)", allocated).isLessThan(1.0);
    }
  }
}
