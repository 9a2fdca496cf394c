package dev.nucleus.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.Timeout;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Per-call deadlines: the binding's default, or the innermost within(). */
@Tag("unit")
@org.junit.jupiter.api.Timeout(10)
@DisplayName("Deadlines")
class DeadlinesTest {

  @Test
  @DisplayName("without within(), a call's deadline is the default from now; NEVER is NONE")
  void shouldUseTheDefault() {
    final long before = Timeout.now();
    final long deadline = Deadlines.current(Timeout.relative(Duration.ofSeconds(1)));
    assertThat(deadline).isBetween(before + 1_000_000_000L, Timeout.now() + 1_000_000_000L);
    assertThat(Deadlines.current(Timeout.NEVER)).isEqualTo(Deadlines.NONE);
  }

  @Test
  @DisplayName("within() replaces the default, and an inner within() keeps the earlier deadline")
  void shouldShrinkOnly() {
    final long outer = Deadlines.within(Duration.ofSeconds(1), () -> Deadlines.current(Timeout.NEVER));
    assertThat(outer).isNotEqualTo(Deadlines.NONE);
    final long[] seen = new long[2];
    Deadlines.within(Duration.ofSeconds(1), () -> {
      seen[0] = Deadlines.current(Timeout.NEVER);
      seen[1] = Deadlines.within(Duration.ofDays(1), () -> Deadlines.current(Timeout.NEVER));
    });
    assertThat(seen[1]).isEqualTo(seen[0]);
    assertThat(Deadlines.current(Timeout.NEVER)).as("unbound again after the body").isEqualTo(Deadlines.NONE);
  }

  @Test
  @DisplayName("remaining time and kernel timeouts follow the deadline")
  void shouldConvert() {
    assertThat(Deadlines.remainingNanos(Deadlines.NONE)).isEqualTo(Long.MAX_VALUE);
    assertThat(Deadlines.remainingNanos(Timeout.now() - 1)).isZero();
    assertThat(Deadlines.toTimeout(Deadlines.NONE)).isEqualTo(Timeout.NEVER);
    assertThat(Deadlines.toTimeout(123)).isEqualTo(Timeout.at(123));
    assertThat(Deadlines.within(Duration.ofDays(365 * 400), () -> Deadlines.current(Timeout.NEVER)))
        .as("a duration beyond the clock saturates").isEqualTo(Deadlines.NONE);
  }
}
