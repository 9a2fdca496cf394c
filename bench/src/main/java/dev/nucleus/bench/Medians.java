package dev.nucleus.bench;

import java.util.Arrays;

/**
 * Medians across runs. Spin round trips on the bench VM are bimodal between runs, so the harness
 * reports the median of each percentile across runs rather than a merged histogram, which would
 * blend the modes.
 */
final class Medians {

  private Medians() {}

  /** The median; for an even count, the mean of the two middle values, rounded half up. */
  static long of(long[] values) {
    if (values.length == 0) throw new IllegalArgumentException("median of no values");
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    if (sorted.length % 2 == 1) return sorted[mid];
    long a = sorted[mid - 1];
    long b = sorted[mid];
    return a + (b - a + 1) / 2; // no overflow, unlike (a + b) / 2
  }

  /** The median; for an even count, the mean of the two middle values. */
  static double of(double[] values) {
    if (values.length == 0) throw new IllegalArgumentException("median of no values");
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
