package dev.nucleus.system.internal.descriptor;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The descriptor's durations: an integer and a unit, without space: {@code "250us"},
 * {@code "100ms"}, {@code "5s"}, {@code "2m"}. No fractions, no compound forms ({@code "1m30s"}):
 * one obvious way to write each value.
 */
final class Durations {

  /** What a message says a duration looks like. */
  static final String FORM = "an integer with a unit us, ms, s or m, like \"100ms\"";

  /** Digits (at most 12, so that no value overflows a Duration) and a unit. */
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(us|ms|s|m)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @param text the duration as written
   * @return the duration (possibly zero), or empty if {@code text} is not of the {@link #FORM}
   */
  static Optional<Duration> parse(String text) {
    final Matcher matcher = DURATION.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    final long amount = Long.parseLong(matcher.group(1));
    final ChronoUnit unit =
        switch (matcher.group(2)) {
          case "us" -> ChronoUnit.MICROS;
          case "ms" -> ChronoUnit.MILLIS;
          case "s" -> ChronoUnit.SECONDS;
          default -> ChronoUnit.MINUTES;
        };
    return Optional.of(Duration.of(amount, unit));
  }

  /**
   * {@code duration} as the descriptor writes it, in the largest unit that keeps it exact.
   *
   * @param duration a duration this class parsed
   * @return its text: {@code "1500ms"}, {@code "2m"}
   */
  static String format(Duration duration) {
    final long seconds = duration.getSeconds();
    if (duration.getNano() == 0) {
      return seconds != 0 && seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
    // A fraction of a second comes from "ms" or "us", whose values are small enough not to overflow.
    return duration.getNano() % 1_000_000 == 0 ? duration.toMillis() + "ms" : duration.toNanos() / 1_000 + "us";
  }
}
