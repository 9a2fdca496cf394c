package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link Timeout}: the one-long encoding of never / zero / relative / absolute
 * (protocol.md section 3). Readings of the clock only bound the values computed between them;
 * nothing here depends on how long anything takes.
 */
@Tag("unit")
@DisplayName("Timeout")
class TimeoutTest {

  /** The largest relative timeout and the largest absolute deadline: 2^62 - 1. */
  private static final long LARGEST = (1L << 62) - 1;

  @Test
  @DisplayName("NEVER is -1 and ZERO is 0")
  void shouldEncodeNeverAndZero() {
    assertThat(Timeout.NEVER).isEqualTo(-1L);
    assertThat(Timeout.ZERO).isZero();
    assertThat(Timeout.ABSOLUTE_FLAG).isEqualTo(1L << 62);
    assertThat(Timeout.VALUE_MASK).isEqualTo(LARGEST);
  }

  @Test
  @DisplayName("a relative timeout is its nanoseconds, from 0 (ZERO) to 2^62 - 1")
  void shouldEncodeARelativeTimeoutAsItsNanoseconds() {
    assertThat(Timeout.relative(0)).isEqualTo(Timeout.ZERO);
    assertThat(Timeout.relative(1)).isEqualTo(1L);
    assertThat(Timeout.relative(LARGEST)).isEqualTo(LARGEST);
    assertThat(Timeout.relative(Duration.ofMillis(5))).isEqualTo(5_000_000L);
    assertThat(Timeout.relative(Duration.ZERO)).isEqualTo(Timeout.ZERO);
  }

  @Test
  @DisplayName("a relative timeout out of range is an IllegalArgumentException")
  void shouldRejectARelativeTimeoutOutOfRange() {
    assertThatThrownBy(() -> Timeout.relative(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeout.relative(Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeout.relative(LARGEST + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeout.relative(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
    // 2^62 ns is about 146 years: representable as a Duration's nanos, not as a timeout.
    assertThatThrownBy(() -> Timeout.relative(Duration.ofNanos(LARGEST + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an absolute timeout is the deadline with bit 62 set, so at(0) is not ZERO")
  void shouldEncodeAnAbsoluteTimeoutWithItsFlag() {
    assertThat(Timeout.at(0)).isEqualTo(1L << 62).isNotEqualTo(Timeout.ZERO);
    assertThat(Timeout.at(123)).isEqualTo(1L << 62 | 123);
    assertThat(Timeout.at(LARGEST)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  @DisplayName("a deadline out of range is an IllegalArgumentException")
  void shouldRejectADeadlineOutOfRange() {
    assertThatThrownBy(() -> Timeout.at(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeout.at(LARGEST + 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("every encoding is valid except negative values other than NEVER")
  void shouldTellValidEncodings() {
    assertThat(Timeout.isValid(Timeout.NEVER)).isTrue();
    assertThat(Timeout.isValid(Timeout.ZERO)).isTrue();
    assertThat(Timeout.isValid(Timeout.relative(1))).isTrue();
    assertThat(Timeout.isValid(Timeout.relative(LARGEST))).isTrue();
    assertThat(Timeout.isValid(Timeout.at(0))).isTrue();
    assertThat(Timeout.isValid(Timeout.at(LARGEST))).isTrue();
    assertThat(Timeout.isValid(-2)).isFalse();
    assertThat(Timeout.isValid(Long.MIN_VALUE)).isFalse();
  }

  @Test
  @DisplayName("the deadline of NEVER is Long.MAX_VALUE, of at(d) is d, of a relative t is now + t")
  void shouldComputeTheDeadlineOfEachEncoding() {
    assertThat(Timeout.deadline(Timeout.NEVER)).isEqualTo(Long.MAX_VALUE);
    assertThat(Timeout.deadline(Timeout.at(0))).isZero();
    assertThat(Timeout.deadline(Timeout.at(LARGEST))).isEqualTo(LARGEST);
    final long t = 5_000_000;
    final long before = Timeout.now();
    final long deadline = Timeout.deadline(Timeout.relative(t));
    final long after = Timeout.now();
    assertThat(deadline).isBetween(before + t, after + t);
  }

  @Test
  @DisplayName("the clock of deadlines is never negative and never goes back")
  void shouldKeepAMonotonicClock() {
    final long first = Timeout.now();
    final long second = Timeout.now();
    assertThat(first).isNotNegative();
    assertThat(second).isGreaterThanOrEqualTo(first);
  }

  @Test
  @DisplayName("absolute() keeps NEVER, ZERO and absolute timeouts and turns a relative one into at(now + t)")
  void shouldTurnARelativeTimeoutIntoAnAbsoluteOne() {
    assertThat(Timeout.absolute(Timeout.NEVER)).isEqualTo(Timeout.NEVER);
    assertThat(Timeout.absolute(Timeout.ZERO)).isEqualTo(Timeout.ZERO);
    assertThat(Timeout.absolute(Timeout.at(77))).isEqualTo(Timeout.at(77));
    final long t = 5_000_000;
    final long before = Timeout.now();
    final long absolute = Timeout.absolute(Timeout.relative(t));
    final long after = Timeout.now();
    assertThat(absolute & Timeout.ABSOLUTE_FLAG).as("the absolute flag").isNotZero();
    assertThat(Timeout.deadline(absolute)).isBetween(before + t, after + t);
    assertThat(Timeout.absolute(absolute)).as("absolute() is idempotent").isEqualTo(absolute);
  }

  @Test
  @DisplayName("absolute() of a relative timeout past the clock's range is NEVER")
  void shouldTurnARelativeTimeoutBeyondTheClockIntoNever() {
    while (Timeout.now() == 0) {
      Thread.onSpinWait(); // now + LARGEST must exceed the range: the clock must have ticked once
    }
    assertThat(Timeout.absolute(Timeout.relative(LARGEST))).isEqualTo(Timeout.NEVER);
  }

  @Test
  @DisplayName("toString prints never, zero, nanoseconds, a deadline or the invalid value")
  void shouldPrintEachEncoding() {
    assertThat(Timeout.toString(Timeout.NEVER)).isEqualTo("never");
    assertThat(Timeout.toString(Timeout.ZERO)).isEqualTo("zero");
    assertThat(Timeout.toString(Timeout.relative(5_000_000))).isEqualTo("5000000ns");
    assertThat(Timeout.toString(Timeout.at(123))).isEqualTo("at 123ns");
    assertThat(Timeout.toString(Timeout.at(0))).isEqualTo("at 0ns");
    assertThat(Timeout.toString(-2)).isEqualTo("invalid(-2)");
  }
}
