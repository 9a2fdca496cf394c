package dev.nucleus.bench.scaling;

import dev.nucleus.bench.Skipped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Runs the selected scaling series, one session each, and reports progress (the series' own
 * lines). An unavailable series is skipped with its reason; one whose session fails (a wrong
 * reply, a lost or duplicated request, a client process that failed or died) is reported as
 * failed, with the reason, and does not stop the others. Not thread-safe.
 */
public final class ScalingRunner {

  private final Consumer<String> progress;

  /**
   * A runner that reports progress lines to {@code progress}.
   *
   * @param progress where lines go (no terminators)
   */
  public ScalingRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  /**
   * Measures {@code series}, in order, each as {@code plan} says.
   *
   * @param series the series
   * @param plan the counts, spread and timing
   * @return the results and the skipped series
   * @throws CancellationException if the calling thread is interrupted
   */
  public ScalingReport run(List<ScalingSeries> series, ScalingPlan plan) {
    final List<ScalingResult> results = new ArrayList<>();
    final List<Skipped> skipped = new ArrayList<>();
    for (ScalingSeries s : series) {
      final String reason = s.unavailableReason();
      if (reason != null) {
        skipped.add(new Skipped(s.name(), reason, false));
        progress.accept("skip " + s.name() + ": " + reason);
        continue;
      }
      try {
        results.add(s.run(plan, progress));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("bench interrupted during " + s.name());
      } catch (Exception e) {
        final String why = e.getMessage() == null || e.getMessage().isBlank()
            ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ').strip();
        skipped.add(new Skipped(s.name(), "failed: " + why, true));
        progress.accept("FAIL " + s.name() + ": " + why);
      }
    }
    return new ScalingReport(results, skipped);
  }
}
