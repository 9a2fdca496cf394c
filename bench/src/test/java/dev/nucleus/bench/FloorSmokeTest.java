package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the real floors with tiny counts: behaviour only (counts, positive values), never timing.
 */
@Timeout(20)
class FloorSmokeTest {

  @Test
  void javaSpinFloorRecordsEveryMeasuredRoundTrip() throws Exception {
    Histogram h = Latencies.newHistogram();
    new JavaSpinFloor().run(200, 1_000, h);
    assertThat(h.getTotalCount()).isEqualTo(1_000);
    assertThat(h.getMinValue()).isPositive();
  }

  @Test
  void javaSpinFloorCanRunAgain() throws Exception {
    JavaSpinFloor floor = new JavaSpinFloor();
    for (int i = 0; i < 3; i++) {
      Histogram h = Latencies.newHistogram();
      floor.run(0, 10, h);
      assertThat(h.getTotalCount()).isEqualTo(10);
    }
  }

  @Test
  void cSpinFloorRecordsEveryMeasuredRoundTrip() throws Exception {
    assumeTrue(CCompiler.findCompiler().isPresent(), "no C compiler on PATH");
    CFloor floor = CFloor.spin();
    assertThat(floor.unavailableReason()).isNull(); // with a compiler, the sources must compile
    Histogram h = Latencies.newHistogram();
    floor.run(100, 1_000, h);
    assertThat(h.getTotalCount()).isEqualTo(1_000);
    assertThat(h.getMinValue()).isPositive();
  }

  @Test
  void cFutexFloorRecordsEveryMeasuredRoundTrip() throws Exception {
    assumeTrue(CCompiler.findCompiler().isPresent(), "no C compiler on PATH");
    CFloor floor = CFloor.futex();
    assertThat(floor.unavailableReason()).isNull();
    Histogram h = Latencies.newHistogram();
    floor.run(5, 50, h);
    assertThat(h.getTotalCount()).isEqualTo(50);
    assertThat(h.getMinValue()).isPositive();
  }
}
