package dev.nucleus.system.internal.descriptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one form of a duration: digits and a unit. */
@Tag("unit")
@Timeout(10)
@DisplayName("Durations")
class DurationsTest {

  @Test
  @DisplayName("each unit reads as what it names")
  void shouldReadEachUnit() {
    assertThat(Durations.parse("250us")).contains(Duration.ofNanos(250_000));
    assertThat(Durations.parse("100ms")).contains(Duration.ofMillis(100));
    assertThat(Durations.parse("5s")).contains(Duration.ofSeconds(5));
    assertThat(Durations.parse("2m")).contains(Duration.ofMinutes(2));
    assertThat(Durations.parse("0s")).contains(Duration.ZERO);
    assertThat(Durations.parse("999999999999m")).contains(Duration.ofMinutes(999_999_999_999L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "s", "-5s", "+5s", "1.5s", "5 s", " 5s", "5S", "5sec", "1m30s", "5h", "5ns",
      "1000000000000m", "\u0665s"})
  @DisplayName("anything else is not a duration")
  void shouldRejectOtherForms(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }

  @Test
  @DisplayName("a duration is written back in the largest exact unit")
  void shouldFormatInLargestExactUnit() {
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofNanos(250_000))).isEqualTo("250us");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMinutes(999_999_999_999L))).isEqualTo("999999999999m");
  }
}
