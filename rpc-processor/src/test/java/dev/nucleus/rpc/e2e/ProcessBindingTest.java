package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RemoteFailureException;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.rpc.ServiceRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Generated proxies and adapters across processes: a server in a process space called from the
 * root, a client in a process space calling the root, and two process spaces connected by the
 * root. The caller's identity is what the kernel knows (its space, thread and pid), the server's
 * death is PeerDead saying whether the request was delivered, and a name the root did not grant
 * is NotPermitted.
 */
@Tag("system")
@org.junit.jupiter.api.Timeout(120)
class ProcessBindingTest {

  private static final Duration STARTUP = Duration.ofSeconds(30);

  private final Kernel kernel = Kernel.create();
  private final Space client = kernel.createSpace("client");

  @AfterEach
  void close() throws Exception {
    final var spaces = kernel.processSpaces();
    kernel.close();
    for (ProcessSpace ps : spaces) {
      assertThat(ps.awaitExit(Duration.ofSeconds(10))).isTrue();
    }
  }

  /** Calls {@code agent}'s agent thread with an operation: MR1..MR4 of its answer. */
  private long[] ask(IpcThread me, ProcessSpace agent, long op, long arg) throws Exception {
    me.setTag(MessageTag.of(1, 2));
    me.setMr(1, op);
    me.setMr(2, arg);
    assertThat(me.call(agent.awaitPublished(STARTUP))).isEqualTo(Status.OK);
    return new long[] {me.mr(1), me.mr(2), me.mr(3), me.mr(4)};
  }

  @Test
  @DisplayName("the root calls a server in a process space; the server sees the root's space, thread and pid")
  void rootCallsAProcessServer() throws Exception {
    final ProcessSpace server = kernel.spawnProcessSpace("kv", KeyValueServerComponent.class, client);
    final KeyValue kv = KernelBinding.to(client, server.awaitPublished("kv", STARTUP), KeyValue_Service.INSTANCE)
        .proxy(KeyValue_Service.INSTANCE);
    assertThat(kv.get(41)).isEqualTo(42);
    kv.put("k", new byte[] {1});
    assertThatThrownBy(() -> kv.put("a key of twenty char", new byte[0])).isInstanceOf(KeyTooLong.class);
    assertThatThrownBy(() -> kv.get(-1)).isInstanceOf(RemoteFailureException.class);
    kv.log("one way to another process");
    final Introspect who = KernelBinding.to(client, server.awaitPublished("introspect", STARTUP),
        Introspect_Service.INSTANCE).proxy(Introspect_Service.INSTANCE);
    final CallInfo info = who.whoIsCalling(0);
    assertThat(info.space()).isEqualTo(client.number());
    assertThat(ThreadId.space(info.thread())).isEqualTo(client.number());
    assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.remainingNanos()).isPositive();
  }

  @Test
  @DisplayName("results too large for registers come back from a server process in the caller's region: 1 MiB, 4 MiB, text, 48 MiB with maxResult")
  void largeResultsComeBackFromAProcess() throws Exception {
    final ProcessSpace server = kernel.spawnProcessSpace("kv", KeyValueServerComponent.class, client);
    final long bulkId = server.awaitPublished("bulk", STARTUP);
    try (KernelBinding binding = KernelBinding.to(client, bulkId, Bulk_Service.INSTANCE, Duration.ofMinutes(2))) {
      final Bulk bulk = binding.proxy(Bulk_Service.INSTANCE);
      assertThat(bulk.fill(1 << 20, 3)).isEqualTo(BulkServer.pattern(1 << 20, 3));
      assertThat(bulk.fill((4 << 20) - 8, 4)).as("a frame of 4 MiB: the default offer").isEqualTo(BulkServer.pattern((4 << 20) - 8, 4));
      assertThat(bulk.text(100_000)).isEqualTo(BulkServer.textOf(100_000));
      assertThat(bulk.fill(8, 5)).isEqualTo(BulkServer.pattern(8, 5));
    }
    try (KernelBinding binding = KernelBinding.builder(client, bulkId, Bulk_Service.INSTANCE).maxResult(64L << 20)
        .defaultTimeout(Duration.ofMinutes(2)).build()) {
      assertThat(binding.proxy(Bulk_Service.INSTANCE).fill(48 << 20, 6)).isEqualTo(BulkServer.pattern(48 << 20, 6));
    }
  }

  @Test
  @DisplayName("arguments too large for registers reach a server process through a region: 1 MiB byte[], 1 GiB read in place")
  void largeArgumentsReachAProcess() throws Exception {
    final ProcessSpace server = kernel.spawnProcessSpace("kv", KeyValueServerComponent.class, client);
    try (KernelBinding binding = KernelBinding.to(client, server.awaitPublished("bulk", STARTUP), Bulk_Service.INSTANCE,
        Duration.ofMinutes(2))) {
      final Bulk bulk = binding.proxy(Bulk_Service.INSTANCE);
      final byte[] mib = new byte[1 << 20];
      java.util.Arrays.fill(mib, (byte) 5);
      assertThat(bulk.sum(mib)).isEqualTo(5L << 20);
      try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
        final java.lang.foreign.MemorySegment gib = arena.allocate(1L << 30, 8);
        for (long i = 0; i < gib.byteSize(); i += 4096) {
          gib.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, i);
        }
        final long pages = gib.byteSize() / 4096; // one long per page is set: i at offset i
        assertThat(bulk.checksum(gib)).isEqualTo(gib.byteSize() + 4096 * (pages * (pages - 1) / 2));
      }
      assertThat(bulk.sum(new byte[] {1})).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a server process killed in the middle of a call: that call is PeerDead after delivery, the next before it")
  void serverKilledMidCall() throws Exception {
    final ProcessSpace server = kernel.spawnProcessSpace("kv", KeyValueServerComponent.class, client);
    final KeyValue kv = KernelBinding.to(client, server.awaitPublished("kv", STARTUP), KeyValue_Service.INSTANCE)
        .proxy(KeyValue_Service.INSTANCE);
    assertThat(kv.get(1)).isEqualTo(2);
    final CompletableFuture<Long> hanging = CompletableFuture.supplyAsync(() -> kv.get(-3));
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && !hanging.isDone() && !serverBusy(server)) {
      Thread.onSpinWait();
    }
    server.kill();
    assertThat(server.awaitExit(Duration.ofSeconds(10))).isTrue();
    assertThatThrownBy(() -> hanging.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(PeerDeadException.class, e -> assertThat(e.delivered()).isTrue());
    assertThatThrownBy(() -> kv.get(1)).isInstanceOfSatisfying(PeerDeadException.class,
        e -> assertThat(e.delivered()).isFalse());
  }

  @Test
  @DisplayName("a process calls the root on its call lane; killed, its lane is let go and unmapped")
  void aProcessCallsOnItsLaneAndItsLaneGoesWithIt() throws Exception {
    final long regions = OnewayQueueTest.mappedRegions();
    try (RpcServer rpc = RpcServer.export(client, KeyValue_Service.INSTANCE, new KeyValueStore(), 1);
        IpcThread me = client.attach("me")) {
      final ProcessSpace agent = kernel.spawnProcessSpace("agent", ClientAgentComponent.class, client);
      final ServiceRegistry registry = new ServiceRegistry();
      registry.register("kv", rpc);
      registry.grant(agent, "kv");
      assertThat(ask(me, agent, 6, 2_000)).as("2,000 calls, each answered right").containsExactly(2_000, 0, 0, 0);
      assertThat(rpc.laneCallsServed()).as("calls that came on the agent's lane").isPositive();
      assertThat(OnewayQueueTest.mappedRegions()).as("the root maps the agent's lane").isEqualTo(regions + 1);
      agent.kill();
      assertThat(agent.awaitExit(Duration.ofSeconds(10))).isTrue();
      try (KernelBinding poke = KernelBinding.builder(client, rpc.id(), KeyValue_Service.INSTANCE).callLanes(false)
          .build()) {
        final KeyValue kv = poke.proxy(KeyValue_Service.INSTANCE);
        assertThat(OnewayQueueTest.waitFor(() -> kv.get(1) == 2 && OnewayQueueTest.mappedRegions() == regions))
            .as("the export lets the lane of a dead process go (it looks once a second, on a call)").isTrue();
      }
    }
  }

  @Test
  @DisplayName("a server process killed while a call waits on its lane: that call is PeerDead, and so is the next")
  void serverKilledDuringALaneCall() throws Exception {
    final ProcessSpace server = kernel.spawnProcessSpace("kv", KeyValueServerComponent.class, client);
    final KeyValue kv = KernelBinding.to(client, server.awaitPublished("kv", STARTUP), KeyValue_Service.INSTANCE)
        .proxy(KeyValue_Service.INSTANCE);
    final java.util.concurrent.ExecutorService caller = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      final CountDownLatch hangs = new CountDownLatch(1);
      final CompletableFuture<Long> hanging = CompletableFuture.supplyAsync(() -> {
        for (long i = 0; i < 1_000; i++) { // the thread's lane opens on its second call, and carries the rest
          assertThat(kv.get(i)).isEqualTo(i + 1);
        }
        hangs.countDown();
        return kv.get(-3); // the server sleeps in it
      }, caller);
      assertThat(hangs.await(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200); // the hanging call is posted and taken within microseconds; this is slack
      server.kill();
      assertThat(server.awaitExit(Duration.ofSeconds(10))).isTrue();
      assertThatThrownBy(() -> hanging.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(PeerDeadException.class);
      final CompletableFuture<Long> next = CompletableFuture.supplyAsync(() -> kv.get(1), caller);
      assertThatThrownBy(() -> next.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(PeerDeadException.class, e -> assertThat(e.delivered()).isFalse());
    } finally {
      caller.shutdownNow();
    }
  }

  /** Whether the client's calling thread waits for the server's reply (the call was delivered). */
  private boolean serverBusy(ProcessSpace server) {
    return kernel.processSpaces().contains(server) && client.threads().stream()
        .anyMatch(t -> kernel.ipcState(t.id()).kind() == dev.nucleus.kernel.IpcState.Kind.WAITING_FOR_REPLY);
  }

  @Test
  @DisplayName("a client in a process space calls a server in the root it was granted; the server sees the process's pid")
  void processCallsARootServer() throws Exception {
    try (RpcServer kv = RpcServer.export(client, KeyValue_Service.INSTANCE, new KeyValueStore(), 2);
        RpcServer who = RpcServer.export(client, Introspect_Service.INSTANCE, new IntrospectServer(), 1);
        IpcThread me = client.attach("me")) {
      final ProcessSpace agent = kernel.spawnProcessSpace("agent", ClientAgentComponent.class, client);
      assertThat(ask(me, agent, 1, 7)).as("not granted yet").containsExactly(0, 0, 0, 4);
      final ServiceRegistry registry = new ServiceRegistry();
      registry.register("kv", kv);
      registry.register("introspect", who);
      registry.grant(agent, "kv");
      registry.grant(agent, "introspect");
      assertThat(ask(me, agent, 1, 7)).containsExactly(8, 0, 0, 0);
      assertThat(ask(me, agent, 3, 0)[3]).as("KeyTooLong").isEqualTo(1);
      final long[] info = ask(me, agent, 2, 0);
      assertThat(info[0]).isEqualTo(agent.number());
      assertThat(ThreadId.space(info[1])).isEqualTo(agent.number());
      assertThat(info[2]).isEqualTo(agent.pid());
    }
  }

  @Test
  @DisplayName("an export in the root serves a process only once the root offered it the export's id: a bare id buys nothing")
  void aProcessCallsOnlyWhatItWasOffered() throws Exception {
    final KeyValueStore store = new KeyValueStore();
    try (RpcServer kv = RpcServer.export(client, KeyValue_Service.INSTANCE, store, 1);
        IpcThread me = client.attach("me")) {
      final ProcessSpace agent = kernel.spawnProcessSpace("agent", ClientAgentComponent.class, client);
      assertThat(ask(me, agent, 4, kv.id())).as("the id, not offered: NotPermitted from the server")
          .containsExactly(0, 0, 0, 4);
      assertThat(ask(me, agent, 5, kv.id())).as("nor may it open a one-way queue to it")
          .containsExactly(0, 0, 0, 4);
      assertThat(kv.callsServed()).as("no request read").isZero();
      assertThat(store.log).isEmpty();

      agent.offer("kv", kv.id());

      assertThat(ask(me, agent, 4, kv.id())).as("offered: the same call is served").containsExactly(2, 0, 0, 0);
      assertThat(ask(me, agent, 5, kv.id())).as("and the queue opened").containsExactly(2, 0, 0, 0);
      assertThat(store.log).as("the one-way call, served before the call after it").containsExactly("agent");
      assertThat(KernelBinding.to(client, kv.id(), KeyValue_Service.INSTANCE).proxy(KeyValue_Service.INSTANCE).get(1))
          .as("a thread space of the root: served without an offer").isEqualTo(2);
    }
  }

  @Test
  @DisplayName("two process spaces the root connected call each other through generated proxies, process to process")
  void processCallsAProcessServer() throws Exception {
    try (IpcThread me = client.attach("me")) {
      final ProcessSpace server = kernel.spawnProcessSpace("kv", KeyValueServerComponent.class, client);
      final ProcessSpace agent = kernel.spawnProcessSpace("agent", ClientAgentComponent.class, client);
      kernel.connect(agent, server);
      agent.offer("kv", server.awaitPublished("kv", STARTUP));
      agent.offer("introspect", server.awaitPublished("introspect", STARTUP));
      assertThat(ask(me, agent, 1, 99)).containsExactly(100, 0, 0, 0);
      assertThat(ask(me, agent, 3, 0)[3]).as("KeyTooLong").isEqualTo(1);
      final long[] info = ask(me, agent, 2, 0);
      assertThat(info[0]).isEqualTo(agent.number());
      assertThat(info[2]).as("the server process sees the client process's pid").isEqualTo(agent.pid());
      server.kill();
      assertThat(server.awaitExit(Duration.ofSeconds(10))).isTrue();
      assertThat(ask(me, agent, 1, 1)[3]).as("PeerDead").isEqualTo(3);
    }
  }
}
