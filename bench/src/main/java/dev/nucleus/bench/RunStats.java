package dev.nucleus.bench;

import org.HdrHistogram.Histogram;

/**
 * The summary of one run of one mechanism: round-trip percentiles in ns and the round trips per
 * second implied by the mean round trip.
 *
 * @param count measured round trips in the run
 * @param opsPerSecond {@code 1e9 / mean round trip}: back-to-back single-pair throughput, without
 *     the harness's own recording overhead
 */
public record RunStats(
    long count, long p50, long p90, long p99, long p999, long max, double opsPerSecond) {

  /** Summarizes a run's histogram. */
  public static RunStats of(Histogram h) {
    double mean = h.getMean();
    return new RunStats(
        h.getTotalCount(),
        h.getValueAtPercentile(50.0),
        h.getValueAtPercentile(90.0),
        h.getValueAtPercentile(99.0),
        h.getValueAtPercentile(99.9),
        h.getMaxValue(),
        mean > 0 ? 1e9 / mean : 0.0);
  }
}
