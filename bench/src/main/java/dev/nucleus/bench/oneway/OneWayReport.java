package dev.nucleus.bench.oneway;

import dev.nucleus.bench.Skipped;
import java.util.List;
import java.util.Optional;

/**
 * What the one-way throughput part of a bench produced: a result per entry and size, in entry
 * order, and the entries that were skipped or failed.
 *
 * @param results entry by entry, each size in order
 * @param skipped entries without results, with the reason
 */
public record OneWayReport(List<OneWayResult> results, List<Skipped> skipped) {

  /** Copies the lists. */
  public OneWayReport {
    results = List.copyOf(results);
    skipped = List.copyOf(skipped);
  }

  /**
   * A report of nothing: no entry selected.
   *
   * @return the empty report
   */
  public static OneWayReport empty() {
    return new OneWayReport(List.of(), List.of());
  }

  /**
   * Whether no entry was selected.
   *
   * @return true when there are neither results nor skipped entries
   */
  public boolean isEmpty() {
    return results.isEmpty() && skipped.isEmpty();
  }

  /**
   * Whether an entry failed during its session (as opposed to being unavailable).
   *
   * @return true if any failed
   */
  public boolean anyFailed() {
    return skipped.stream().anyMatch(Skipped::failed);
  }

  /**
   * The result of {@code name} at {@code bytes}.
   *
   * @param name an entry
   * @param bytes a size
   * @return the result, or empty if not measured
   */
  public Optional<OneWayResult> find(String name, int bytes) {
    return results.stream().filter(r -> r.name().equals(name) && r.bytes() == bytes).findFirst();
  }
}
