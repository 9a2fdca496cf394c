package dev.nucleus.bench.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.bench.BenchPlan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scaling plan: issue 15's counts over the load test's spread, rounds from the bench's runs. */
@Timeout(10)
@DisplayName("Scaling plan")
class ScalingPlanTest {

  @Test
  @DisplayName("a full bench measures 1..64 clients over 4 processes of 16 threads, its runs as rounds")
  void shouldFollowTheBenchPlan() {
    final ScalingPlan plan = ScalingPlan.of(BenchPlan.standard().withRuns(7));

    assertThat(plan.clientCounts()).containsExactly(1, 2, 4, 8, 16, 32, 64);
    assertThat(plan.processes()).isEqualTo(4);
    assertThat(plan.threadsPerProcess()).isEqualTo(16);
    assertThat(plan.maxClients()).isEqualTo(64);
    assertThat(plan.rounds()).isEqualTo(7);
    assertThat(plan.serverThreads()).isEqualTo(Math.max(4, Runtime.getRuntime().availableProcessors()));
    assertThat(plan.round()).isEqualTo(Duration.ofMillis(300));
    assertThat(ScalingPlan.of(BenchPlan.quickPlan()).round()).as("--quick, with --only").isEqualTo(Duration.ofMillis(100));
  }

  @Test
  @DisplayName("c clients occupy min(c, processes) processes")
  void shouldSpreadClientsOverProcesses() {
    final ScalingPlan plan = ScalingPlan.of(BenchPlan.standard());

    assertThat(List.of(1, 2, 4, 8, 64).stream().map(plan::processesFor).toList()).containsExactly(1, 2, 4, 4, 4);
  }

  @Test
  @DisplayName("counts that do not ascend, or exceed the clients there are, are refused")
  void shouldRefuseBadCounts() {
    assertThatThrownBy(() -> plan(List.of(2, 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("client counts ascend within 1..4: [2, 1]");
    assertThatThrownBy(() -> plan(List.of(1, 5))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> plan(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  private static ScalingPlan plan(List<Integer> counts) {
    return new ScalingPlan(counts, 2, 2, 1, 1, Duration.ZERO, Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(1));
  }
}
