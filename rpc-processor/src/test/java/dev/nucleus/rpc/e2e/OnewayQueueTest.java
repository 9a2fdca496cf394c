package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.DeadlineExceededException;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.FrameOverflowException;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.NotPermittedException;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.rpc.RpcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One-way requests of a binding made with {@code onewayQueue(slots)}, between two thread spaces:
 * each calling thread's one-way requests travel over its own queue to the export's one-way
 * thread, arrive once each and in order, and a two-way call of the thread is served after the
 * one-way requests it sent before; what does not fit, a full queue, a closed export and a dead
 * server are each a clear exception at the call, and every region is given back.
 */
@org.junit.jupiter.api.Timeout(120)
@DisplayName("one-way requests over a queue, between thread spaces")
class OnewayQueueTest {

  private static final int SLOTS = 1024;

  private final Kernel kernel = Kernel.create();
  private final Space server = kernel.createSpace("server");
  private final Space client = kernel.createSpace("client");
  private final TallyServer tally = new TallyServer();

  @AfterEach
  void close() {
    tally.release();
    kernel.close();
  }

  private KernelBinding bind(RpcServer rpc, int slots) {
    return KernelBinding.builder(client, rpc.id(), Tally_Service.INSTANCE).onewayQueue(slots).build();
  }

  @Test
  @DisplayName("100,000 one-way requests from each of two threads arrive once each and in order, and a later call of each thread sees them all")
  void everyOnewayArrivesOnceInOrder() throws Exception {
    kernel.createChannel(client, server);
    final int n = 100_000;
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
        KernelBinding binding = bind(rpc, SLOTS)) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      final CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> sendAndCount(proxy, 1, n));
      final CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> sendAndCount(proxy, 2, n));
      assertThat(first.get(60, TimeUnit.SECONDS)).as("stream 1, counted by a call after its notes").isEqualTo(n);
      assertThat(second.get(60, TimeUnit.SECONDS)).as("stream 2").isEqualTo(n);
      assertThat(rpc.callsServed()).as("2 x n one-way requests and 2 calls").isEqualTo(2L * n + 2);
    }
  }

  /** Notes 0 .. n - 1 on {@code stream}, then asks for the stream's count. */
  private static long sendAndCount(Tally proxy, int stream, int n) {
    for (long seq = 0; seq < n; seq++) {
      proxy.note(stream, seq);
    }
    return proxy.count(stream);
  }

  @Test
  @DisplayName("a two-way call is served after every one-way request its thread sent before it: interleaved, it always counts them all")
  void callsAreOrderedAfterEarlierOneways() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 2);
        KernelBinding binding = bind(rpc, 16)) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      long sent = 0;
      for (int round = 1; round <= 200; round++) {
        for (int i = 0; i < round % 37; i++) { // 0 to 36 notes, more than the 16-slot queue holds at times
          proxy.note(3, sent++);
        }
        assertThat(proxy.count(3)).as("after %d notes", sent).isEqualTo(sent);
      }
    }
  }

  @Test
  @DisplayName("the server sees a one-way request as sent by the thread that opened the queue: the same space, thread and pid as its calls")
  void identityIsTheOpeningThreads() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
        KernelBinding binding = bind(rpc, SLOTS)) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      Deadlines.within(Duration.ofSeconds(20), proxy::remember);
      final CallInfo oneway = proxy.remembered();
      final CallInfo call = proxy.me();
      assertThat(oneway.space()).isEqualTo(client.number());
      assertThat(oneway.thread()).isEqualTo(call.thread()).isNotEqualTo(ThreadId.NIL);
      assertThat(ThreadId.space(oneway.thread())).isEqualTo(client.number());
      assertThat(oneway.pid()).as("a caller in this process").isZero();
      assertThat(oneway.remainingNanos()).as("the deadline travelled").isPositive()
          .isLessThanOrEqualTo(Duration.ofSeconds(20).toNanos());
    }
  }

  @Test
  @DisplayName("a one-way request larger than the queue carries is FrameOverflow, not delivered; one that fits goes through; the queue goes on")
  void oversizeOnewayIsAClearError() {
    kernel.createChannel(client, server);
    final int slots = 16; // messages of up to 8 * 56 = 448 bytes: a frame of 424, a byte[] of 416 after its length
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
        KernelBinding binding = bind(rpc, slots)) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      proxy.bulk(new byte[416]);
      assertThatThrownBy(() -> proxy.bulk(new byte[417])).isInstanceOfSatisfying(FrameOverflowException.class, e -> {
        assertThat(e.delivered()).isFalse();
        assertThat(e).hasMessageContaining("more than the 424 bytes a one-way queue of 16 slots carries");
      });
      proxy.note(4, 0);
      assertThat(proxy.count(4)).isEqualTo(1);
      assertThat(tally.bulkBytes).hasValue(416);
    }
  }

  @Test
  @DisplayName("a closed export serves what is in the queues, then a one-way call is PeerDead in the send phase")
  void closedExportIsPeerDead() {
    kernel.createChannel(client, server);
    final RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
    try (KernelBinding binding = bind(rpc, SLOTS)) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      for (long seq = 0; seq < 500; seq++) {
        proxy.note(5, seq);
      }
      rpc.close();
      assertThat(tally.count(5)).as("the requests in the queue when it closed").isEqualTo(500);
      assertThatThrownBy(() -> proxy.note(5, 500)).isInstanceOfSatisfying(PeerDeadException.class, e -> {
        assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND);
        assertThat(e.delivered()).isFalse();
      });
      assertThatThrownBy(() -> proxy.count(5)).isInstanceOf(PeerDeadException.class);
    }
  }

  @Test
  @DisplayName("a full queue makes a one-way call wait up to its deadline, then DeadlineExceeded in the send phase")
  void fullQueueWaitsUpToTheDeadline() throws Exception {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
        KernelBinding binding = bind(rpc, 4)) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      proxy.hold();
      assertThat(tally.holding.await(10, TimeUnit.SECONDS)).as("the one-way thread is held").isTrue();
      final AtomicLong sent = new AtomicLong();
      assertThatThrownBy(() -> Deadlines.within(Duration.ofMillis(200), () -> fill(proxy, 6, sent)))
          .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
            assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND);
            assertThat(e.delivered()).isFalse();
          });
      assertThat(sent.get()).as("a 4-slot queue, one slot held by hold()").isEqualTo(3);
      tally.release();
      assertThat(proxy.count(6)).as("every note that was sent, none of the one that timed out").isEqualTo(sent.get());
    }
  }

  @Test
  @DisplayName("a server whose space ended is seen by a client whose queue is full: PeerDead in the send phase")
  void deadServerIsSeenByAFullQueue() throws Exception {
    kernel.createChannel(client, server);
    final RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
    try (KernelBinding binding = bind(rpc, 4)) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      proxy.hold();
      assertThat(tally.holding.await(10, TimeUnit.SECONDS)).isTrue();
      final CompletableFuture<Void> filling = CompletableFuture.runAsync(() -> fill(proxy, 7, new AtomicLong()));
      server.end();
      assertThatThrownBy(() -> filling.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
          .isInstanceOfSatisfying(PeerDeadException.class, e -> assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND));
    }
  }

  @Test
  @DisplayName("a restricted export refuses the queue of a space it does not serve: NotPermitted at the first one-way call")
  void queueOfASpaceNotServedIsRefused() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
        KernelBinding binding = bind(rpc, SLOTS)) {
      rpc.restrict();
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      assertThatThrownBy(() -> proxy.note(8, 0)).isInstanceOfSatisfying(NotPermittedException.class,
          e -> assertThat(e.delivered()).isFalse());
      rpc.permit(client.number());
      proxy.note(8, 0);
      assertThat(proxy.count(8)).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("the regions of the queues are given back once the binding and the export are closed")
  void regionsAreGivenBack() throws Exception {
    kernel.createChannel(client, server);
    final long before = mappedRegions();
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1)) {
      try (KernelBinding binding = bind(rpc, SLOTS)) {
        final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
        CompletableFuture.runAsync(() -> proxy.note(9, 0)).get(30, TimeUnit.SECONDS);
        proxy.note(10, 0);
        assertThat(proxy.count(10)).isEqualTo(1);
        assertThat(mappedRegions()).as("two queues, each mapped by both sides").isEqualTo(before + 4);
      }
      assertThat(waitFor(() -> mappedRegions() == before)).as("the binding closed: the server lets its queues go")
          .isTrue();
      assertThat(tally.count(9)).isEqualTo(1);
    }
  }

  /** Notes 0, 1, 2 ... on {@code stream} until a note fails, counting those that returned in {@code sent}. */
  private static void fill(Tally proxy, int stream, AtomicLong sent) {
    for (long seq = 0; ; seq++) {
      proxy.note(stream, seq);
      sent.incrementAndGet();
    }
  }

  /** Mappings of shared regions in this process (the memory files are named nucleus-region). */
  static long mappedRegions() {
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.contains("memfd:nucleus-region")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls {@code condition} for up to 20 s. */
  static boolean waitFor(BooleanSupplier condition) {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.onSpinWait();
    }
    return true;
  }
}
