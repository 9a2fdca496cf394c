package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.Endpoint;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.DeadlineExceededException;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.MalformedFrameException;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RemoteFailureException;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.rpc.RpcServer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Call lanes (docs/rpc-wire.md, section 10): a calling thread's two-way calls go through a pair
 * of cache lines of its own while a server thread attends them, with the kernel call's semantics:
 * exactly once, deadlines with their phase, the caller's identity, peer death, and neither side
 * trusting what the other wrote. The hostile peers here are written from the page's constants
 * alone, as a peer in another language would be.
 */
@org.junit.jupiter.api.Timeout(120)
class CallLaneTest {

  // docs/rpc-wire.md, section 10
  static final int CALL = 0x4C52;
  static final int REPLY = 0x4C53;
  static final int LANE_OPEN = 0x4C56;
  static final long VACANT = 1L << 62;
  static final long CLOSED = 1L << 63;
  static final long POSTED = 0;
  static final long METHOD_ID = 8;
  static final long SERVICE_ID = 12;
  static final long NANOS_LEFT = 16;
  static final long REQUEST_LENGTH = 24;
  static final long REQUEST_FLAGS = 28;
  static final long REQUEST_FRAME = 32;
  static final long RESULT_BYTES = 48;
  static final long REPLIED = 512;
  static final long OUTCOME = 520;
  static final long REPLY_LENGTH = 524;
  static final long REPLY_FRAME = 528;
  static final long ATTENDANT = 1024;
  static final long TAKEN = 1032;
  static final long SIZE = 1152;

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final Kernel kernel = Kernel.create();
  private final Space server = kernel.createSpace("server");
  private final Space client = kernel.createSpace("client");

  /**
   * Makes the exports started from now on stay on a lane (for a minute, or until they close), so
   * that a test about what travels on a lane does not depend on how fast the caller comes back.
   */
  private static void attendantStays() {
    System.setProperty("dev.nucleus.rpc.laneIdleNanos", "60000000000");
    System.setProperty("dev.nucleus.rpc.laneTenureNanos", "60000000000");
  }

  @AfterEach
  void close() {
    System.clearProperty("dev.nucleus.rpc.laneIdleNanos");
    System.clearProperty("dev.nucleus.rpc.laneTenureNanos");
    kernel.close();
  }

  @Test
  @DisplayName("after a thread's first call its calls go through its lane: results, exceptions, identity and deadline as over the kernel")
  void callsGoThroughTheLane() throws Exception {
    attendantStays(); // exceptions and assertions between calls may take longer than a lane stays idle
    kernel.createChannel(client, server);
    try (RpcServer kvs = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 1);
        RpcServer who = RpcServer.export(server, Probe_Service.INSTANCE, new ProbeServer(), 1);
        KernelBinding binding = KernelBinding.to(client, kvs.id(), KeyValue_Service.INSTANCE)) {
      final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
      for (int i = 0; i < 2_000; i++) {
        assertThat(kv.get(i)).isEqualTo(i + 1);
      }
      assertThat(kvs.laneCallsServed()).as("calls served on the lane, of %d", kvs.callsServed())
          .isPositive().isLessThanOrEqualTo(kvs.callsServed());
      final long before = kvs.laneCallsServed();
      assertThatThrownBy(() -> kv.put("a key that is far too long", new byte[0])).isInstanceOf(KeyTooLong.class)
          .hasMessage("key of 26 chars, at most 16");
      assertThatThrownBy(() -> kv.get(-1)).isInstanceOfSatisfying(RemoteFailureException.class,
          e -> assertThat(e.remoteClass()).isEqualTo(IllegalStateException.class.getName()));
      kv.put("k", new byte[] {1, 2, 3});
      assertThat(kvs.laneCallsServed()).as("exceptions and byte[] arguments travel on the lane too")
          .isGreaterThan(before);

      final Probe probe = KernelBinding.to(client, who.id(), Probe_Service.INSTANCE).proxy(Probe_Service.INSTANCE);
      final long stamped = probe.thread(); // over the kernel, which stamps the caller
      awaitLaneCall(who, probe::thread);
      long served = who.laneCallsServed();
      assertThat(probe.thread()).as("the thread the kernel stamped on LANE_OPEN").isEqualTo(stamped);
      assertThat(probe.space()).isEqualTo(client.number());
      assertThat(probe.pid()).isZero();
      assertThat(Deadlines.within(Duration.ofSeconds(5), probe::nanosLeft)).as("the deadline travels").isPositive()
          .isLessThanOrEqualTo(Duration.ofSeconds(5).toNanos());
      assertThat(who.laneCallsServed()).as("each of them on the lane (the attendant polls between calls)")
          .isGreaterThan(served);
    }
  }

  @Test
  @DisplayName("results of every size come back to a call on the lane: in the reply line up to 496 bytes, in the caller's region beyond")
  void resultsOfEverySizeOnTheLane() {
    attendantStays(); // a caller that copies out megabytes takes longer than a lane stays idle
    kernel.createChannel(client, server);
    try (RpcServer bulks = RpcServer.export(server, Bulk_Service.INSTANCE, new BulkServer(), 1);
        KernelBinding binding = KernelBinding.to(client, bulks.id(), Bulk_Service.INSTANCE)) {
      final Bulk bulk = binding.proxy(Bulk_Service.INSTANCE);
      assertThat(bulk.fill(8, 1)).isEqualTo(BulkServer.pattern(8, 1));
      for (int size : new int[] {0, 1, 480, 487, 488, 489, 496, 4096, 1 << 20, (4 << 20) - 8}) {
        final long before = bulks.laneCallsServed();
        byte[] got = bulk.fill(size, size);
        for (int i = 0; i < 100 && bulks.laneCallsServed() == before; i++) { // until one came on the lane
          got = bulk.fill(size, size);
        }
        assertThat(bulks.laneCallsServed()).as("a fill(%d) on the lane", size).isGreaterThan(before);
        assertThat(got).as("fill(%d)", size).isEqualTo(BulkServer.pattern(size, size));
      }
      assertThat(bulk.text(100_000)).isEqualTo(BulkServer.textOf(100_000));
    }
  }

  @Test
  @DisplayName("an adaptive caller whose call takes longer than it spins sleeps on the lane, and the server's answer wakes it")
  void aSleepingCallerIsWoken() {
    attendantStays(); // every call on the lane
    kernel.createChannel(client, server);
    final ProbeServer impl = new ProbeServer();
    try (RpcServer rpc = RpcServer.export(server, Probe_Service.INSTANCE, impl, 1);
        KernelBinding binding = KernelBinding.to(client, rpc.id(), Probe_Service.INSTANCE)) {
      final Probe probe = binding.proxy(Probe_Service.INSTANCE);
      assertThat(client.attach("strategy").waitStrategy()).as("the kernel's default, which the binding's threads take")
          .isEqualTo(dev.nucleus.kernel.WaitStrategy.ADAPTIVE);
      awaitLaneCall(rpc, () -> probe.echo(0));
      final long before = rpc.laneCallsServed();
      for (int i = 0; i < 20; i++) {
        assertThat(probe.echo(9)).isEqualTo(9); // 5 ms at the server: the caller sleeps on CLIENT_SLEEPING
      }
      assertThat(rpc.laneCallsServed()).as("all on the lane").isEqualTo(before + 20);
    }
  }

  @Test
  @DisplayName("a binding built without call lanes makes every call a kernel call")
  void lanesCanBeTurnedOff() {
    kernel.createChannel(client, server);
    try (RpcServer kvs = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 1);
        KernelBinding binding = KernelBinding.builder(client, kvs.id(), KeyValue_Service.INSTANCE).callLanes(false)
            .build()) {
      final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
      for (int i = 0; i < 500; i++) {
        assertThat(kv.get(i)).isEqualTo(i + 1);
      }
      assertThat(kvs.callsServed()).isEqualTo(500);
      assertThat(kvs.laneCallsServed()).isZero();
    }
  }

  @Test
  @DisplayName("exactly once while server threads leave the lane as calls come: every call served once, on one path or the other")
  void exactlyOnceWhileTheServerComesAndGoes() throws Exception {
    // Attendants leave after 20 µs idle; a quarter of the calls come after a pause of 0-40 µs: half
    // of those find the lane left (kernel path), and those near 20 µs race the leaving CAS.
    System.setProperty("dev.nucleus.rpc.laneIdleNanos", "20000");
    kernel.createChannel(client, server);
    final KeyValueStore store = new KeyValueStore();
    try (RpcServer kvs = RpcServer.export(server, KeyValue_Service.INSTANCE, store, 2)) {
      final int threads = 2;
      final int calls = 20_000;
      final CompletableFuture<?>[] callers = new CompletableFuture<?>[threads];
      for (int t = 0; t < threads; t++) {
        final int seed = t;
        callers[t] = CompletableFuture.runAsync(() -> {
          try (KernelBinding binding = KernelBinding.to(client, kvs.id(), KeyValue_Service.INSTANCE)) {
            final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < calls; i++) {
              assertThat(kv.get(i)).isEqualTo(i + 1);
              final long pause = random.nextInt(4) == 0 ? random.nextInt(40_000) : 0;
              final long until = System.nanoTime() + pause;
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
            }
          }
        });
      }
      CompletableFuture.allOf(callers).get(90, TimeUnit.SECONDS);
      assertThat(store.calls.get()).as("calls the implementation ran").isEqualTo(threads * calls);
      assertThat(kvs.callsServed()).isEqualTo(threads * calls);
      assertThat(kvs.laneCallsServed()).as("both paths taken").isPositive().isLessThan(threads * calls);
    }
  }

  @Test
  @DisplayName("one server thread, and a caller that keeps its lane busy: another caller at the endpoint is served meanwhile, not after it")
  void aLaneDoesNotStarveOtherCallers() throws Exception {
    attendantStays(); // neither idleness nor the tenure ends the lane: only the callers queued at the endpoint
    kernel.createChannel(client, server);
    final java.util.concurrent.atomic.AtomicBoolean otherDone = new java.util.concurrent.atomic.AtomicBoolean();
    try (RpcServer kvs = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 1)) {
      final CompletableFuture<Long> busy = CompletableFuture.supplyAsync(() -> {
        try (KernelBinding binding = KernelBinding.to(client, kvs.id(), KeyValue_Service.INSTANCE)) {
          final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
          long calls = 0;
          while (!otherDone.get() && calls < 200_000_000L) { // back to back, on its lane
            assertThat(kv.get(calls)).isEqualTo(calls + 1);
            calls++;
          }
          return calls;
        }
      });
      awaitLaneCalls(kvs);
      try (KernelBinding binding = KernelBinding.builder(client, kvs.id(), KeyValue_Service.INSTANCE).callLanes(false)
          .build()) {
        final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
        for (int i = 0; i < 200; i++) { // each a kernel call, queued while the one thread is on the lane
          assertThat(kv.get(i)).isEqualTo(i + 1);
        }
      }
      otherDone.set(true);
      assertThat(busy.get(60, TimeUnit.SECONDS)).as("the busy caller stopped because the other was done")
          .isLessThan(200_000_000L);
    }
  }

  /** Waits until the export has served a call on a lane (a caller on another thread is on its way). */
  private static void awaitLaneCalls(RpcServer rpc) {
    final long until = System.nanoTime() + PATIENCE.toNanos();
    while (rpc.laneCallsServed() == 0 && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(rpc.laneCallsServed()).as("calls on a lane").isPositive();
  }

  @Test
  @DisplayName("a call on the lane not answered by its deadline is DeadlineExceeded after delivery; the thread's next calls are served")
  void deadlineOnTheLane() throws Exception {
    attendantStays(); // the slow call goes on the lane
    kernel.createChannel(client, server);
    final ProbeServer impl = new ProbeServer();
    try (RpcServer rpc = RpcServer.export(server, Probe_Service.INSTANCE, impl, 2)) {
      final Probe probe = KernelBinding.to(client, rpc.id(), Probe_Service.INSTANCE).proxy(Probe_Service.INSTANCE);
      awaitLaneCall(rpc, () -> probe.echo(0));
      final long onLane = rpc.laneCallsServed();
      assertThatThrownBy(() -> Deadlines.within(Duration.ofMillis(200), () -> probe.echo(7)))
          .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
            assertThat(e.delivered()).isTrue();
            assertThat(e.phase()).isEqualTo(RpcException.Phase.RECEIVE);
          });
      assertThat(impl.entered.await(10, TimeUnit.SECONDS)).as("the slow call was served").isTrue();
      assertThat(rpc.laneCallsServed()).as("it went on the lane").isEqualTo(onLane + 1);
      assertThat(probe.echo(3)).as("served by the other thread meanwhile").isEqualTo(3);
      impl.release.countDown();
      awaitLaneCall(rpc, () -> probe.echo(0));
      assertThat(impl.served.get()).as("nothing served twice").isEqualTo((int) rpc.callsServed());
    }
  }

  @Test
  @DisplayName("closing the binding under a call waiting on its lane ends that call PeerDead")
  void closeDuringALaneCall() throws Exception {
    kernel.createChannel(client, server);
    final ProbeServer impl = new ProbeServer();
    try (RpcServer rpc = RpcServer.export(server, Probe_Service.INSTANCE, impl, 1)) {
      final KernelBinding binding = KernelBinding.to(client, rpc.id(), Probe_Service.INSTANCE);
      final Probe probe = binding.proxy(Probe_Service.INSTANCE);
      final CompletableFuture<Long> call = CompletableFuture.supplyAsync(() -> {
        awaitLaneCall(rpc, () -> probe.echo(0));
        return probe.echo(7);
      });
      assertThat(impl.entered.await(10, TimeUnit.SECONDS)).isTrue();
      binding.close();
      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(PeerDeadException.class);
      impl.release.countDown();
    }
  }

  /** Calls until one call is served on a lane (the thread's lane is attended right after its open). */
  private static void awaitLaneCall(RpcServer rpc, Runnable call) {
    final long before = rpc.laneCallsServed();
    for (int i = 0; i < 1_000 && rpc.laneCallsServed() == before; i++) {
      call.run();
    }
    assertThat(rpc.laneCallsServed()).as("a call served on the lane").isGreaterThan(before);
  }

  // --- hostile clients ---------------------------------------------------------------------------

  @Test
  @DisplayName("a hostile client's lane: bad lengths, flags and services are answered on the lane; a sequence out of step loses the lane; the export goes on")
  void hostileClientLane() throws Exception {
    kernel.createChannel(client, server);
    try (RpcServer kvs = RpcServer.export(server, KeyValue_Service.INSTANCE, new KeyValueStore(), 1);
        IpcThread raw = client.attach("raw");
        dev.nucleus.kernel.SharedRegion region = dev.nucleus.kernel.SharedRegion.create(SIZE)) {
      final java.lang.foreign.MemorySegment m = region.segment();
      m.set(java.lang.foreign.ValueLayout.JAVA_LONG, POSTED, VACANT);
      raw.setTag(MessageTag.of(LANE_OPEN, 2));
      raw.setMr(1, KeyValue_Service.ID & 0xFFFF_FFFFL | 1L << 32);
      raw.setMr(2, region.handle());
      assertThat(raw.call(kvs.id(), Timeout.relative(PATIENCE), Timeout.relative(PATIENCE))).isEqualTo(Status.OK);
      assertThat((int) raw.mr(1)).as("LANE_OPEN answered OK").isEqualTo(Outcome.OK);
      assertThat(raw.mr(1) >>> 32).as("a frame of one i32").isEqualTo(4);
      final int index = (int) raw.mr(2);
      final RawLane lane = new RawLane(raw, kvs.id(), index, m);

      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 8, 0, 41)).isEqualTo(Outcome.OK);
      assertThat(m.get(java.lang.foreign.ValueLayout.JAVA_LONG, REPLY_FRAME)).isEqualTo(42);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 100_000, 0, 1))
          .as("a length beyond the lane").isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, -8, 0, 1))
          .as("a negative length").isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 8, 4, 1))
          .as("an unknown flag").isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 8, 2, 1))
          .as("RESULT_KEPT without RESULT_SPACE").isEqualTo(Outcome.MALFORMED_REQUEST);
      m.set(java.lang.foreign.ValueLayout.JAVA_LONG, RESULT_BYTES, 0);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 8, 1, 1))
          .as("an offer of 0 bytes").isEqualTo(Outcome.MALFORMED_REQUEST);
      m.set(java.lang.foreign.ValueLayout.JAVA_LONG, RESULT_BYTES, 1L << 41);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 8, 1, 1))
          .as("an offer beyond 2^40 bytes").isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 460, 1, 1))
          .as("a frame beyond 456 bytes with an offer").isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(lane.call(KeyValue_Service.GET_ID, 12345, 8, 0, 1))
          .as("another service").isEqualTo(Outcome.UNKNOWN_METHOD);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 4, 0, 1))
          .as("a frame cut short").isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(lane.call(KeyValue_Service.GET_ID, KeyValue_Service.ID, 8, 0, 5)).isEqualTo(Outcome.OK);

      lane.jump(5); // POSTED five ahead: the attendant must let the lane go
      final long until = System.nanoTime() + PATIENCE.toNanos();
      while ((lane.posted() & CLOSED) == 0 && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(lane.posted() & CLOSED).as("the lane let go").isNotZero();
      assertThat(KernelBinding.to(client, kvs.id(), KeyValue_Service.INSTANCE).proxy(KeyValue_Service.INSTANCE).get(8))
          .as("the export goes on").isEqualTo(9);
    }
  }

  /** A hostile client's lane, driven by hand: each call first makes sure a server thread attends it. */
  private record RawLane(IpcThread raw, long export, int index, java.lang.foreign.MemorySegment m) {

    long posted() {
      return (long) java.lang.foreign.ValueLayout.JAVA_LONG.varHandle().getVolatile(m, POSTED);
    }

    /** A kernel call naming the lane, after which the server thread that answers attends it. */
    void summon() {
      raw.setTag(MessageTag.of(CALL, 4));
      raw.setMr(1, KeyValue_Service.GET_ID & 0xFFFF_FFFFL | (long) KeyValue_Service.ID << 32);
      raw.setMr(2, 8 | (long) (index + 1) << 48);
      raw.setMr(3, -1);
      raw.setMr(4, 1);
      assertThat(raw.call(export, Timeout.relative(PATIENCE), Timeout.relative(PATIENCE))).isEqualTo(Status.OK);
    }

    /** Posts a request as given and returns the outcome of its answer on the lane. */
    int call(int method, int service, int length, int flags, long word) {
      final var v = java.lang.foreign.ValueLayout.JAVA_LONG.varHandle();
      final long until = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < until) {
        summon();
        final long s = posted();
        if ((s & VACANT) != 0) {
          continue; // left already: summon again
        }
        m.set(java.lang.foreign.ValueLayout.JAVA_INT, METHOD_ID, method);
        m.set(java.lang.foreign.ValueLayout.JAVA_INT, SERVICE_ID, service);
        m.set(java.lang.foreign.ValueLayout.JAVA_LONG, NANOS_LEFT, -1);
        m.set(java.lang.foreign.ValueLayout.JAVA_INT, REQUEST_LENGTH, length);
        m.set(java.lang.foreign.ValueLayout.JAVA_INT, REQUEST_FLAGS, flags);
        if ((flags & 1) == 0) {
          m.set(java.lang.foreign.ValueLayout.JAVA_LONG, REQUEST_FRAME, word);
        }
        if (!v.compareAndSet(m, POSTED, s, s + 1)) {
          continue;
        }
        while ((long) v.getVolatile(m, REPLIED) != s + 1) {
          assertThat(System.nanoTime()).as("answered on the lane").isLessThan(until);
          Thread.onSpinWait();
        }
        return m.get(java.lang.foreign.ValueLayout.JAVA_INT, OUTCOME);
      }
      throw new AssertionError("no server thread attended the lane");
    }

    /** Moves POSTED {@code ahead} sequence numbers on while a server thread attends it. */
    void jump(int ahead) {
      final var v = java.lang.foreign.ValueLayout.JAVA_LONG.varHandle();
      final long until = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < until) {
        summon();
        final long s = posted();
        if ((s & VACANT) == 0 && v.compareAndSet(m, POSTED, s, s + ahead)) {
          return;
        }
      }
      throw new AssertionError("no server thread attended the lane");
    }
  }

  // --- hostile and dying servers ------------------------------------------------------------------

  /** What the raw server does once the client posted its request on the lane. */
  private enum Fate { ENDS_BEFORE_TAKING, ENDS_AFTER_TAKING, ANSWERS_ANOTHER_REQUEST, ANSWERS_NO_OUTCOME }

  @Test
  @DisplayName("the server thread on the lane ends before it took the call: PeerDead, not delivered")
  void attendantEndsBeforeTaking() throws Exception {
    assertThatThrownBy(() -> againstRawServer(Fate.ENDS_BEFORE_TAKING)).isInstanceOfSatisfying(PeerDeadException.class,
        e -> assertThat(e.delivered()).isFalse());
  }

  @Test
  @DisplayName("the server thread on the lane ends after it took the call: PeerDead, delivered")
  void attendantEndsAfterTaking() throws Exception {
    assertThatThrownBy(() -> againstRawServer(Fate.ENDS_AFTER_TAKING)).isInstanceOfSatisfying(PeerDeadException.class,
        e -> assertThat(e.delivered()).isTrue());
  }

  @Test
  @DisplayName("a server that answers another request on the lane is MalformedFrameException")
  void hostileServerAnswersAnotherRequest() throws Exception {
    assertThatThrownBy(() -> againstRawServer(Fate.ANSWERS_ANOTHER_REQUEST)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("answers request 7, not 1");
  }

  @Test
  @DisplayName("a server that answers on the lane with no valid outcome is MalformedFrameException")
  void hostileServerAnswersNoOutcome() throws Exception {
    assertThatThrownBy(() -> againstRawServer(Fate.ANSWERS_NO_OUTCOME)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("outcome 99");
  }

  /**
   * A binding's thread calls a raw server: the first call over the kernel, then LANE_OPEN, which
   * the raw server takes and attends; the second call is posted on the lane, and the raw server
   * meets it with {@code fate}. Returns the second call's result, or throws what it threw.
   */
  private long againstRawServer(Fate fate) throws Exception {
    kernel.createChannel(client, server);
    final Endpoint endpoint = server.createEndpoint("raw");
    final CompletableFuture<Void> rawServer = CompletableFuture.runAsync(() -> {
      try (IpcThread t = server.attach("raw-server");
          java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
        assertThat(t.waitAt(endpoint, Timeout.relative(PATIENCE))).isEqualTo(Status.OK);
        assertThat(MessageTag.label(t.tag())).isEqualTo(CALL);
        t.setTag(MessageTag.of(REPLY, 2));
        t.setMr(1, 8L << 32);
        t.setMr(2, 2);
        assertThat(t.replyWait(endpoint, Timeout.relative(PATIENCE))).isEqualTo(Status.OK);
        assertThat(MessageTag.label(t.tag())).as("the second call opens the lane").isEqualTo(LANE_OPEN);
        final java.lang.foreign.MemorySegment m = dev.nucleus.kernel.SharedRegion.map(t.mr(2), t.senderPid(), SIZE, arena);
        final var v = java.lang.foreign.ValueLayout.JAVA_LONG.varHandle();
        v.setVolatile(m, ATTENDANT, t.id());
        assertThat(v.compareAndSet(m, POSTED, VACANT, 0L)).isTrue();
        t.setTag(MessageTag.of(REPLY, 2));
        t.setMr(1, 4L << 32);
        t.setMr(2, 0);
        assertThat(t.reply()).isEqualTo(Status.OK);
        final long until = System.nanoTime() + PATIENCE.toNanos();
        while ((long) v.getVolatile(m, POSTED) != 1 && System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        assertThat((long) v.getVolatile(m, POSTED)).as("the call posted on the lane").isEqualTo(1);
        switch (fate) {
          case ENDS_BEFORE_TAKING -> { }
          case ENDS_AFTER_TAKING -> v.setVolatile(m, TAKEN, 1L);
          case ANSWERS_ANOTHER_REQUEST -> v.setVolatile(m, REPLIED, 7L);
          case ANSWERS_NO_OUTCOME -> {
            m.set(java.lang.foreign.ValueLayout.JAVA_INT, OUTCOME, 99);
            v.setVolatile(m, REPLIED, 1L);
          }
        }
      } // the thread ends here: the client's liveness check finds it DEAD
    });
    try (KernelBinding binding = KernelBinding.to(client, endpoint.id(), KeyValue_Service.INSTANCE)) {
      final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
      assertThat(kv.get(1)).isEqualTo(2);
      try {
        return Deadlines.within(PATIENCE, () -> kv.get(1));
      } finally {
        rawServer.get(20, TimeUnit.SECONDS);
      }
    } finally {
      endpoint.close();
    }
  }
}
