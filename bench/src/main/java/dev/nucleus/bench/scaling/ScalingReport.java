package dev.nucleus.bench.scaling;

import dev.nucleus.bench.Skipped;
import java.util.List;

/**
 * What the scaling part of a bench produced: a result per series measured, and the series that
 * were skipped or failed.
 *
 * @param results series by series
 * @param skipped series without results, with the reason
 */
public record ScalingReport(List<ScalingResult> results, List<Skipped> skipped) {

  /** Copies the lists. */
  public ScalingReport {
    results = List.copyOf(results);
    skipped = List.copyOf(skipped);
  }

  /**
   * A report of nothing: no series selected.
   *
   * @return the empty report
   */
  public static ScalingReport empty() {
    return new ScalingReport(List.of(), List.of());
  }

  /**
   * Whether no series was selected.
   *
   * @return true when there are neither results nor skipped series
   */
  public boolean isEmpty() {
    return results.isEmpty() && skipped.isEmpty();
  }

  /**
   * Whether a series failed during its session (as opposed to being unavailable).
   *
   * @return true if any failed
   */
  public boolean anyFailed() {
    return skipped.stream().anyMatch(Skipped::failed);
  }
}
