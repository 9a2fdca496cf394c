package dev.nucleus.bench.lrpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.PingPong;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LRPC null call allocates nothing per call, on either side, at each distance: what issue 12
 * asks of a method with primitive arguments and result, read from the threads' own counters as
 * the bench reads them (the server's through {@link Bench#serverAllocatedBytes()}).
 *
 * <p>Judged as {@code NucleusAllocationTest} judges the raw calls, for the same reasons: a run
 * counts when neither side allocated one byte per call (one object in sixteen calls would show as
 * at least that); a run that does not count is repeated with twice the warm-up, up to
 * {@link #ATTEMPTS} runs, since when the JIT has finished with the path is not ours to choose.
 */
@Timeout(300)
class LrpcAllocationTest {

  private static final int WARMUP = 20_000;
  private static final int CALLS = 20_000;
  private static final int ATTEMPTS = 5;
  private static final double LESS_THAN_ONE_OBJECT_IN_SIXTEEN = 1.0;

  @Test
  @DisplayName("a null call through a LocalBinding allocates nothing")
  void local() throws Exception {
    assertAllocatesNothing(new LrpcLocalPingPong());
  }

  @Test
  @DisplayName("a null call to another thread space allocates nothing on either side")
  void threadSpaces() throws Exception {
    assertAllocatesNothing(new LrpcThreadPingPong());
  }

  @Test
  @DisplayName("a null call to a process space allocates nothing on either side")
  void processSpace() throws Exception {
    assertAllocatesNothing(new LrpcProcessPingPong());
  }

  private static void assertAllocatesNothing(PingPong m) throws Exception {
    final List<Allocation> runs = new ArrayList<>();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      final Histogram h = Latencies.newHistogram();
      m.run(WARMUP << attempt, CALLS, h);
      assertThat(h.getTotalCount()).as("calls measured").isEqualTo(CALLS);
      final Allocation a = m.lastAllocation();
      assertThat(a).as("the JVM counts per-thread allocation").isNotNull();
      runs.add(a);
      if (a.clientBytesPerRoundTrip() < LESS_THAN_ONE_OBJECT_IN_SIXTEEN
          && a.serverBytesPerRoundTrip() < LESS_THAN_ONE_OBJECT_IN_SIXTEEN) {
        return;
      }
    }
    throw new AssertionError(m.name() + " allocated at least one byte per call in each of " + ATTEMPTS
        + " runs (warm-up " + WARMUP + ", doubled each run): " + runs);
  }
}
