package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.WaitStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * the timing and recording around them. The figure is an average over the measured round trips,
 * so a single stray allocation (a class loaded late) would show as a small fraction, never as 0.5.
 */
@Timeout(120)
class NucleusAllocationTest {

  private static final int WARMUP = 20_000;
  private static final int ROUND_TRIPS = 20_000;

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
    m.run(WARMUP, ROUND_TRIPS, Latencies.newHistogram());
    assertNothingAllocated(m.lastAllocation());
  }

  @Test
  @DisplayName("a call/replyWait round trip to a process space allocates nothing on either side")
  void processSpaces() throws Exception {
    final NucleusProcessPingPong m = new NucleusProcessPingPong(WaitStrategy.SPIN);
    m.run(WARMUP, ROUND_TRIPS, Latencies.newHistogram());
    assertNothingAllocated(m.lastAllocation());
  }

  @Test
  @DisplayName("a server of client processes, receiving over two tables, allocates nothing per round trip")
  void rootServer() throws Exception {
    final NucleusRootServerPingPong m = new NucleusRootServerPingPong(WaitStrategy.SPIN);
    final Histogram h = Latencies.newHistogram();
    m.run(WARMUP, ROUND_TRIPS, h);
    assertThat(h.getTotalCount()).as("round trips measured in the client process").isEqualTo(ROUND_TRIPS);
    assertNothingAllocated(m.lastAllocation());
  }

  private static void assertNothingAllocated(Allocation a) {
    assertThat(a).as("the JVM counts per-thread allocation").isNotNull();
    assertThat(a.clientBytesPerRoundTrip()).as("client bytes per round trip").isBetween(0.0, 0.5);
    assertThat(a.serverBytesPerRoundTrip()).as("server bytes per round trip").isBetween(0.0, 0.5);
  }
}
