package dev.nucleus.bench;

import java.time.Duration;
import java.util.List;

/**
 * What a bench produced: one result per measured mechanism (in registry order, ratios to floors
 * filled in) and every mechanism that was skipped or failed.
 *
 * @param results measured mechanisms
 * @param skipped mechanisms without a result, with the reason
 * @param runs runs per mechanism that the plan asked for
 * @param elapsed wall-clock time of the whole bench
 */
public record BenchReport(
    List<MechanismResult> results, List<Skipped> skipped, int runs, Duration elapsed) {

  public BenchReport {
    results = List.copyOf(results);
    skipped = List.copyOf(skipped);
  }

  /** Whether any mechanism failed during a run (as opposed to being unavailable). */
  public boolean anyFailed() {
    return skipped.stream().anyMatch(Skipped::failed);
  }
}
