package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.WaitStrategy;
import java.io.IOException;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A forked mechanism runs in a child JVM and hands back exactly what it measured there. */
@Timeout(120)
class ForkedPingPongTest {

  @Test
  @DisplayName("a forked run records exactly the measured round trips and brings back the allocation figure")
  void forkedRunReturnsItsMeasurements() throws Exception {
    final ForkedPingPong m = ForkedPingPong.of(new NucleusThreadPingPong(WaitStrategy.SPIN));
    assertThat(m.name()).isEqualTo("nucleus-thread-spin");
    assertThat(m.floor()).isEqualTo(MechanismRegistry.FLOOR_JAVA_SPIN);
    final Histogram h = Latencies.newHistogram();
    m.run(2_000, 3_000, h);
    assertThat(h.getTotalCount()).isEqualTo(3_000);
    assertThat(h.getMinValue()).isPositive();
    assertThat(m.lastAllocation()).isNotNull();
  }

  @Test
  @DisplayName("a forked run that fails in the child fails here, with the child's reason")
  void childFailureIsReported() {
    final ForkedPingPong m = ForkedPingPong.of(FakePingPong.constant("no-such-mechanism", null, 100));
    assertThatThrownBy(() -> m.run(1, 1, Latencies.newHistogram()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no-such-mechanism");
  }
}
