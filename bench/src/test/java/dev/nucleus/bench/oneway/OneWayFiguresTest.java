package dev.nucleus.bench.oneway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a child hands back and what the bench makes of it: encoding, merging, rates, bytes per message. */
@Timeout(10)
@DisplayName("One-way figures")
class OneWayFiguresTest {

  @Test
  @DisplayName("a child's figures survive their encoding, sizes in order")
  void shouldDecodeWhatWasEncoded() {
    final StreamFigures receiver = new StreamFigures(8, new long[] {1_000_000_000L, 500_000_000L}, -1, 24, -1);
    final StreamFigures sender = new StreamFigures(56, new long[0], 16, -1, 77);
    final String line = StreamFigures.encodeAll(java.util.List.of(receiver, sender));

    assertThat(line).doesNotContain("\n");
    assertThat(StreamFigures.decodeAll(line)).containsExactly(receiver, sender);
    assertThatThrownBy(() -> StreamFigures.decode("8/1/2")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a receiver's figures merged with its sender's keep the round times and take allocation and retries")
  void shouldMergeTheTwoSides() {
    final StreamFigures receiver = new StreamFigures(8, new long[] {10, 20}, -1, 5, -1);
    final StreamFigures sender = new StreamFigures(8, new long[0], 3, -1, 99);

    assertThat(receiver.merge(sender)).isEqualTo(new StreamFigures(8, new long[] {10, 20}, 3, 5, 99));
    assertThatThrownBy(() -> receiver.merge(new StreamFigures(56, new long[0], 3, -1, 99)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("each round's rate is its messages over its time; the median and spread are over the rounds")
  void shouldComputeRatesAndBytesPerMessage() {
    final Schedule schedule = new Schedule(500, 1_000_000, 3);
    final StreamFigures figures =
        new StreamFigures(56, new long[] {100_000_000L, 50_000_000L, 200_000_000L}, 0, 300_000, 12);
    final OneWayResult r = OneWayResult.of("queue-thread", schedule, figures);

    assertThat(r.ratesPerRound()).containsExactly(10e6, 20e6, 5e6);
    assertThat(r.medianRate()).isEqualTo(10e6);
    assertThat(r.minRate()).isEqualTo(5e6);
    assertThat(r.maxRate()).isEqualTo(20e6);
    assertThat(r.senderBytesPerMessage()).isEqualTo(0.0);
    assertThat(r.receiverBytesPerMessage()).isEqualTo(0.1);
    assertThat(r.retries()).isEqualTo(12);
    assertThat(OneWayResult.of("x", schedule, new StreamFigures(8, new long[] {1}, -1, -1, -1)).senderBytesPerMessage())
        .as("not counted").isNull();
  }

  @Test
  @DisplayName("figures without round times are no result")
  void shouldRefuseFiguresWithoutRounds() {
    assertThatThrownBy(() -> OneWayResult.of("x", new Schedule(0, 1, 1), new StreamFigures(8, new long[0], 0, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a plan's runs are the rounds; --quick takes a fifth of the messages; the warm-up is half a round")
  void shouldScheduleFromThePlan() {
    assertThat(OneWayPlan.schedule(dev.nucleus.bench.BenchPlan.standard()))
        .isEqualTo(new Schedule(5_000_000, 10_000_000, 5));
    assertThat(OneWayPlan.schedule(dev.nucleus.bench.BenchPlan.quickPlan()))
        .isEqualTo(new Schedule(1_000_000, 2_000_000, 3));
    assertThat(OneWayPlan.schedule(dev.nucleus.bench.BenchPlan.standard().withRuns(2).withIterations(1_000).withWarmup(7)))
        .isEqualTo(new Schedule(7, 1_000, 2));
  }
}
