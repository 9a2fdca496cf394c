package dev.nucleus.bench.oneway;

import dev.nucleus.bench.Skipped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Runs the selected one-way entries, one session each, every size in each ({@link Payload#SIZES}),
 * and reports progress: a line when a session starts, one per size when it ends. An unavailable
 * entry is skipped with its reason; one whose session fails (a wrong message, a stall, a child
 * that died) is reported as failed; neither stops the others. Not thread-safe.
 */
public final class OneWayRunner {

  private final Consumer<String> progress;

  /**
   * A runner that reports progress lines to {@code progress}.
   *
   * @param progress where lines go (no terminators)
   */
  public OneWayRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  /**
   * Measures {@code mechanisms}, in order, each size of {@link Payload#SIZES} with {@code schedule}.
   *
   * @param mechanisms the entries
   * @param schedule each size's stream
   * @return the results and the skipped entries
   * @throws CancellationException if the calling thread is interrupted
   */
  public OneWayReport run(List<OneWayMechanism> mechanisms, Schedule schedule) {
    return run(mechanisms, schedule, Payload.SIZES);
  }

  /** {@link #run(List, Schedule)} with other sizes (tests). */
  OneWayReport run(List<OneWayMechanism> mechanisms, Schedule schedule, int[] sizes) {
    final List<OneWayResult> results = new ArrayList<>();
    final List<Skipped> skipped = new ArrayList<>();
    if (!mechanisms.isEmpty()) {
      progress.accept(String.format(Locale.ROOT,
          "one-way: %d entr%s x %d size(s), each %d round(s) of %,d messages after %,d of warm-up, busy spin",
          mechanisms.size(), mechanisms.size() == 1 ? "y" : "ies", sizes.length, schedule.rounds(),
          schedule.messages(), schedule.warmup()));
    }
    for (OneWayMechanism m : mechanisms) {
      final String reason = m.unavailableReason();
      if (reason != null) {
        skipped.add(new Skipped(m.name(), reason, false));
        progress.accept("skip " + m.name() + ": " + reason);
        continue;
      }
      progress.accept("[one-way] " + m.name() + ": session started (" + m.description() + ")");
      final long t0 = System.nanoTime();
      try {
        final List<StreamFigures> figures = m.run(schedule, sizes);
        final double seconds = (System.nanoTime() - t0) / 1e9;
        for (StreamFigures f : figures) {
          final OneWayResult r = OneWayResult.of(m.name(), schedule, f);
          results.add(r);
          progress.accept(line(r, seconds));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("bench interrupted during " + m.name());
      } catch (Exception e) {
        final String why = e.getMessage() == null || e.getMessage().isBlank()
            ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ').strip();
        skipped.add(new Skipped(m.name(), "failed: " + why, true));
        progress.accept("FAIL " + m.name() + ": " + why);
      }
    }
    return new OneWayReport(results, skipped);
  }

  private static String line(OneWayResult r, double seconds) {
    return String.format(Locale.ROOT,
        "[one-way] %-17s %2d B  median %6.2f M msg/s  (rounds %.2f..%.2f)  retries %,d  alloc %s / %s B/msg"
            + "  (session %.1f s)",
        r.name(), r.bytes(), r.medianRate() / 1e6, r.minRate() / 1e6, r.maxRate() / 1e6, r.retries(),
        OneWayTable.bytes(r.senderBytesPerMessage()), OneWayTable.bytes(r.receiverBytesPerMessage()), seconds);
  }
}
