package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a plan derives each mechanism's warmup. */
@Timeout(10)
class BenchPlanTest {

  /** A mechanism with its own warmup count. */
  private record OwnWarmup(int defaultWarmup) implements PingPong {
    @Override
    public String name() {
      return "own";
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
    public int defaultIterations() {
      return 2_000;
    }

    @Override
    public void run(int warmup, int iterations, Histogram roundTripsNs) {
      throw new UnsupportedOperationException();
    }
  }

  /** A size-sweep member that counts its runs and records a constant. */
  private static final class SweepMember implements PingPong {
    int calls;

    @Override
    public String name() {
      return "x-64B";
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
    public MessageSize messageSize() {
      return new MessageSize("x", 64, true);
    }

    @Override
    public void run(int warmup, int iterations, Histogram roundTripsNs) {
      calls++;
      for (int i = 0; i < iterations; i++) Latencies.record(roundTripsNs, 100);
    }
  }

  @Test
  void sizeSweepMembersRunAtMostSweepRunsTimes() {
    SweepMember sweep = new SweepMember();
    FakePingPong plain = FakePingPong.constant("plain", null, 1);
    BenchReport report =
        new BenchRunner(line -> {})
            .run(List.of(plain, sweep), BenchPlan.standard().withIterations(10));

    assertThat(sweep.calls).isEqualTo(BenchPlan.SWEEP_RUNS);
    assertThat(plain.calls).hasSize(BenchPlan.DEFAULT_RUNS);
    assertThat(report.results())
        .extracting(MechanismResult::runs)
        .containsExactly(BenchPlan.DEFAULT_RUNS, BenchPlan.SWEEP_RUNS);
    assertThat(BenchPlan.standard().withRuns(2).runsFor(sweep)).isEqualTo(2);
  }

  @Test
  void warmupIsHalfTheIterationsUnlessTheMechanismSaysOtherwise() {
    PingPong plain = FakePingPong.constant("plain", null, 1);
    assertThat(BenchPlan.standard().warmupFor(plain)).isEqualTo(plain.defaultIterations() / 2);
    assertThat(BenchPlan.standard().warmupFor(new OwnWarmup(10_000))).isEqualTo(10_000);
    assertThat(BenchPlan.quickPlan().warmupFor(new OwnWarmup(10_000))).isEqualTo(2_000);
  }

  @Test
  void explicitCountsWinOverTheMechanismsWarmup() {
    for (BenchPlan p :
        List.of(
            BenchPlan.standard().withIterations(100), BenchPlan.quickPlan().withIterations(100))) {
      assertThat(p.warmupFor(new OwnWarmup(10_000))).isEqualTo(50);
    }
    assertThat(BenchPlan.standard().withWarmup(7).warmupFor(new OwnWarmup(10_000))).isEqualTo(7);
  }
}
