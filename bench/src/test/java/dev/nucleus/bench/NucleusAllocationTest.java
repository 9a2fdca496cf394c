package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.WaitStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Nucleus mechanisms count what each side of their round trips allocates, and the IPC fast
 * path allocates nothing: call and replyWait, between thread spaces and across processes, with
 * the timing and recording around them.
 *
 * <p>What is measured: each side's own allocation counter (ThreadMXBean, read without
 * allocating; the server's through an allocation query) around the measured round trips, after a
 * warm-up in the same loop. The claim is about the compiled fast path, and when the JIT has
 * finished with it is not ours to choose: a method recompiled, or deoptimized for a while,
 * during the measured round trips runs code without escape analysis, and a class loaded late
 * allocates once. So a run counts when neither side allocated as much as one byte per round
 * trip, and a run that did not count is repeated, up to {@link #ATTEMPTS} runs, each with twice
 * the warm-up of the one before. A fast path that allocates does not pass by being repeated: the
 * smallest object is 16 bytes, so even one allocation in sixteen round trips shows as at least a
 * byte per round trip in every run.
 *
 * <p>Why here and not only under JMH: {@code nucleus jmh CallReplyWait -prof gc} shows the
 * thread-space figure too ({@code gc.alloc.rate.norm}), but only a test fails the build, and
 * only these mechanisms measure the process sides (a child JVM's server, a client process
 * serving over two tables).
 */
@Timeout(300)
class NucleusAllocationTest {

  private static final int WARMUP = 20_000;
  private static final int ROUND_TRIPS = 20_000;
  /** Runs allowed to find the compiled code settled; the warm-up doubles each time. */
  private static final int ATTEMPTS = 5;
  /** Bytes per round trip below which a run allocated nothing per round trip (see the class comment). */
  private static final double LESS_THAN_ONE_OBJECT_IN_SIXTEEN = 1.0;

  @AfterEach
  void nothingLeftInDevShm() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
      final String mine = "nucleus-" + ProcessHandle.current().pid() + "-";
      final List<Path> left = files.filter(f -> f.getFileName().toString().startsWith(mine)).toList();
      assertThat(left).as("segments left in /dev/shm").isEmpty();
    }
  }

  @Test
  @DisplayName("a call/replyWait round trip between thread spaces allocates nothing on either side")
  void threadSpaces() throws Exception {
    final NucleusThreadPingPong m = new NucleusThreadPingPong(WaitStrategy.SPIN);
    assertThat(m.lastAllocation()).as("before any run").isNull();
    assertAllocatesNothing(m);
  }

  @Test
  @DisplayName("a call/replyWait round trip to a process space allocates nothing on either side")
  void processSpaces() throws Exception {
    assertAllocatesNothing(new NucleusProcessPingPong(WaitStrategy.SPIN));
  }

  @Test
  @DisplayName("a server of client processes, receiving over two tables, allocates nothing per round trip")
  void rootServer() throws Exception {
    assertAllocatesNothing(new NucleusRootServerPingPong(WaitStrategy.SPIN));
  }

  /**
   * Runs {@code m} until one run shows neither side allocating per round trip, at most
   * {@link #ATTEMPTS} times; fails with every run's figures if none does.
   */
  private static void assertAllocatesNothing(PingPong m) throws Exception {
    final List<Allocation> runs = new ArrayList<>();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      final Histogram h = Latencies.newHistogram();
      m.run(WARMUP << attempt, ROUND_TRIPS, h);
      assertThat(h.getTotalCount()).as("round trips measured").isEqualTo(ROUND_TRIPS);
      final Allocation a = m.lastAllocation();
      assertThat(a).as("the JVM counts per-thread allocation").isNotNull();
      assertThat(a.clientBytesPerRoundTrip()).as("client bytes per round trip").isNotNegative();
      assertThat(a.serverBytesPerRoundTrip()).as("server bytes per round trip").isNotNegative();
      runs.add(a);
      if (a.clientBytesPerRoundTrip() < LESS_THAN_ONE_OBJECT_IN_SIXTEEN
          && a.serverBytesPerRoundTrip() < LESS_THAN_ONE_OBJECT_IN_SIXTEEN) {
        return;
      }
    }
    throw new AssertionError(m.name() + " allocated at least one byte per round trip in each of " + ATTEMPTS
        + " runs (warm-up " + WARMUP + ", doubled each run): " + runs);
  }
}
