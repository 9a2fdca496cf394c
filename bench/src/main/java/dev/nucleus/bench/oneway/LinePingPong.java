package dev.nucleus.bench.oneway;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.PingPong;
import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.Scratch;
import dev.nucleus.kernel.SharedRegion;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * {@code floor-java-process-spin}: the cheapest round trip two JVMs can make through shared
 * memory, the Java twin of {@code floor-c-spin} and the floor that {@code queue-pingpong-process}
 * runs on: the same two processes' worth of JVM (a fresh JVM per run, an echo in another JVM, a
 * {@link SharedRegion} of this one mapped by the echo), with no protocol at all.
 *
 * <pre>
 *   this JVM (times each round trip)                   echo child ({@link LineEchoMain})
 *   t0 = nanoTime
 *   PING := seq (release)           --[ line PING ]-->  spin until PING = seq (acquire)
 *   spin until PONG = seq (acquire) &lt;--[ line PONG ]--  PONG := seq (release)
 *   t1 = nanoTime; record t1 - t0
 * </pre>
 *
 * <p>PING and PONG lie on lines of their own, {@link #LINE_PAIR} bytes apart so that the
 * adjacent-line prefetcher never couples them, as in floor-c-spin; both sides spin with {@link
 * Thread#onSpinWait()} (the C floor's PAUSE). So a round trip moves exactly two lines, and what
 * {@code queue-pingpong-process} takes over this figure in the same run is the queues' own cost,
 * while what this figure takes over floor-c-spin's is the JVM's. Bounded: either side fails after
 * {@link ThroughputLoop#STALL} without progress; the region is closed, and the echo reaped, at the
 * end of every run.
 */
public final class LinePingPong implements PingPong {

  /** Bytes from PING to PONG: two lines, so that each sits in a 128-byte pair of its own. */
  static final long LINE_PAIR = 128;
  /** Offsets of the two words in the region. */
  static final long PING = 0;
  static final long PONG = LINE_PAIR;

  static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final int CHECK_EVERY = 1 << 12;

  @Override
  public String name() {
    return MechanismRegistry.FLOOR_JAVA_PROCESS_SPIN;
  }

  @Override
  public String floor() {
    return MechanismRegistry.FLOOR_C_SPIN;
  }

  @Override
  public String unavailableReason() {
    return SharedRegions.unavailableReason();
  }

  @Override
  public String description() {
    return "two JVMs, one cache line each way in a shared region, VarHandle acquire/release, onSpinWait";
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    final long total = (long) warmup + iterations;
    try (SharedRegion region = SharedRegion.create(2 * LINE_PAIR);
        Scratch scratch = Scratch.create()) {
      final MemorySegment lines = region.segment();
      try (ChildJvm echo = ChildJvm.start(scratch, "line-echo", LineEchoMain.class, List.of(), List.of(
          "region=" + region.handle(), "parent=" + ProcessHandle.current().pid(), "total=" + total))) {
        echo.awaitReady(READY_LIMIT);
        pingPong(lines, warmup, total, roundTripsNs);
        echo.awaitSuccess(READY_LIMIT);
      }
    }
  }

  private static void pingPong(MemorySegment lines, int warmup, long total, Histogram roundTripsNs)
      throws TimeoutException {
    final long stallNs = ThroughputLoop.STALL.toNanos();
    for (long seq = 1; seq <= total; seq++) {
      final long t0 = System.nanoTime();
      WORD.setRelease(lines, PING, seq);
      int spins = 0;
      while ((long) WORD.getAcquire(lines, PONG) != seq) {
        Thread.onSpinWait();
        if (++spins % CHECK_EVERY == 0 && System.nanoTime() - t0 > stallNs) {
          throw new TimeoutException("round trip " + seq + " not back within " + stallNs / 1_000_000 + " ms");
        }
      }
      final long t1 = System.nanoTime();
      if (seq > warmup) {
        Latencies.record(roundTripsNs, t1 - t0);
      }
    }
  }
}
