package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class AggregationTest {

  @Test
  void medianOfOddCountIsTheMiddleValue() {
    assertThat(Medians.of(new long[] {900, 100, 500})).isEqualTo(500);
    assertThat(Medians.of(new double[] {3.0, 1.0, 2.0})).isEqualTo(2.0);
  }

  @Test
  void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Medians.of(new long[] {400, 100, 200, 1000})).isEqualTo(300);
    assertThat(Medians.of(new long[] {1, 2})).isEqualTo(2); // rounds half up
    assertThat(Medians.of(new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 2}))
        .isEqualTo(Long.MAX_VALUE - 1);
    assertThat(Medians.of(new double[] {1.0, 2.0})).isEqualTo(1.5);
  }

  @Test
  void medianOfNothingIsAnError() {
    assertThatThrownBy(() -> Medians.of(new long[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void runStatsReadPercentilesFromTheHistogram() {
    Histogram h = Latencies.newHistogram();
    for (long v = 1; v <= 1000; v++) Latencies.record(h, v * 100); // 100 ns .. 100 µs
    RunStats s = RunStats.of(h);
    assertThat(s.count()).isEqualTo(1000);
    assertThat(s.p50()).isBetween(49_900L, 50_100L);
    assertThat(s.p90()).isBetween(89_900L, 90_100L);
    assertThat(s.p99()).isBetween(98_900L, 99_100L);
    assertThat(s.p999()).isBetween(99_800L, 100_100L);
    assertThat(s.max()).isBetween(99_900L, 100_100L);
    assertThat(s.opsPerSecond()).isBetween(1e9 / 50_200, 1e9 / 49_900);
  }

  @Test
  void eachPercentileIsTheMedianAcrossRunsOfThatPercentile() {
    // Three runs whose percentiles disagree; each column takes its own median.
    List<RunStats> runs =
        List.of(
            new RunStats(10, 100, 900, 5000, 9000, 20000, 1e6),
            new RunStats(10, 300, 200, 1000, 7000, 90000, 3e6),
            new RunStats(10, 200, 400, 3000, 8000, 10000, 2e6));
    MechanismResult r = MechanismResult.aggregate("m", "floor-x", 10, runs);
    assertThat(r.runs()).isEqualTo(3);
    assertThat(r.iterations()).isEqualTo(10);
    assertThat(r.rttNs()).isEqualTo(new Percentiles(200, 400, 3000, 8000, 20000));
    assertThat(r.opsPerSecond()).isEqualTo(2e6);
    assertThat(r.ratioToFloor()).isNull();
    assertThat(r.withFloorP50(100L).ratioToFloor()).isEqualTo(2.0);
    assertThat(r.withFloorP50(null).ratioToFloor()).isNull();
  }

  @Test
  void clampsOutOfRangeValuesInsteadOfThrowing() {
    Histogram h = Latencies.newHistogram();
    Latencies.record(h, Long.MAX_VALUE);
    Latencies.record(h, -5);
    assertThat(h.getTotalCount()).isEqualTo(2);
    assertThat(h.getMinValue()).isZero();
    assertThat(h.getMaxValue()).isGreaterThanOrEqualTo(Latencies.HIGHEST_NS);
  }
}
