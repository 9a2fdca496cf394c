package dev.nucleus.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * {@code floor-java-spin}: the cheapest round trip two Java threads can make through shared memory.
 *
 * <p>Implementation overview. A segment from {@link Arena#ofShared()} holds two {@code long}
 * counters on separate 64-byte cache lines: the calling thread (pinger) writes only PING, a
 * platform thread (ponger) writes only PONG, so a round trip moves exactly two lines. Round trip
 * {@code i}: the pinger reads the clock, publishes {@code i} to PING with a release store, and
 * spins (acquire loads, {@link Thread#onSpinWait()}) until PONG reads {@code i}; the ponger spins
 * until PING reads {@code i} and answers with a release store of {@code i} to PONG. Warmup and
 * measured round trips share one loop, so the JIT has compiled it (OSR) before measuring starts.
 *
 * <p>Bounds: the bench VM has 2 vCPUs and the pair spins on both, so every wait is bounded
 * ({@link SpinHandoff}): each side gives up after 5 s without progress; the pinger then throws
 * and the ponger exits, and an abort flag tells the other side at once.
 */
public final class JavaSpinFloor implements PingPong {

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final long LINE = 64;
  private static final long PING = 0;
  private static final long PONG = LINE;

  @Override
  public String name() {
    return MechanismRegistry.FLOOR_JAVA_SPIN;
  }

  @Override
  public String floor() {
    return null;
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public String description() {
    return "two Java threads, VarHandle acquire/release on a shared arena segment, onSpinWait";
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    long total = (long) warmup + iterations;
    try (Arena arena = Arena.ofShared()) {
      MemorySegment seg = arena.allocate(2 * LINE, LINE);
      MemorySegment abort = arena.allocate(8, 8); // set by either side when it gives up
      Ponger ponger = new Ponger(seg, abort, total);
      Thread t = Thread.ofPlatform().name("floor-java-spin-ponger").daemon().start(ponger);
      try {
        ping(seg, abort, warmup, total, roundTripsNs);
      } finally {
        SpinHandoff.abort(abort, 0); // no-op on success: the ponger has finished its rounds
        t.join(TimeUnit.NANOSECONDS.toMillis(SpinHandoff.STALL_NS) + 1000);
        if (t.isAlive()) throw new IllegalStateException("ponger thread did not stop");
      }
      if (ponger.failure != null) throw ponger.failure;
    }
  }

  private static void ping(
      MemorySegment seg, MemorySegment abort, int warmup, long total, Histogram out)
      throws TimeoutException {
    for (long i = 1; i <= total; i++) {
      long t0 = System.nanoTime();
      LONG.setRelease(seg, PING, i);
      SpinHandoff.await(seg, PONG, i, abort, 0, t0, "ponger did not answer round trip");
      long t1 = System.nanoTime();
      if (i > warmup) Latencies.record(out, t1 - t0);
    }
  }

  /** The answering side; records its failure for the pinger to rethrow. */
  private static final class Ponger implements Runnable {
    private final MemorySegment seg;
    private final MemorySegment abort;
    private final long total;
    volatile Exception failure;

    Ponger(MemorySegment seg, MemorySegment abort, long total) {
      this.seg = seg;
      this.abort = abort;
      this.total = total;
    }

    @Override
    public void run() {
      try {
        for (long i = 1; i <= total; i++) {
          SpinHandoff.await(seg, PING, i, abort, 0, 0, "pinger did not send round trip");
          LONG.setRelease(seg, PONG, i);
        }
      } catch (TimeoutException e) {
        failure = e;
      }
    }
  }
}
