package dev.nucleus.bench.scaling;

import java.util.List;

/**
 * One client count of a scaling series: each round's throughput, and the latency of the calls in
 * the measured rounds.
 *
 * @param clients concurrent clients
 * @param processes client processes they ran in
 * @param ratesPerRound each round's calls per second, in order
 * @param measuredCalls calls completed in the measured rounds, all clients together
 * @param checkedCalls calls made in the whole step (warm-up included), every reply checked by its
 *     client and every request by the server's ledger, and the two counts found equal
 * @param p50Ns the median call's latency in ns, as its client timed it; -1 if none was recorded
 * @param p99Ns the 99th percentile, likewise
 */
public record ScalingPoint(int clients, int processes, List<Double> ratesPerRound, long measuredCalls,
    long checkedCalls, long p50Ns, long p99Ns) {

  /** Copies the rates; there is at least one. */
  public ScalingPoint {
    ratesPerRound = List.copyOf(ratesPerRound);
    if (ratesPerRound.isEmpty() || clients < 1) {
      throw new IllegalArgumentException("a scaling point has >= 1 client and >= 1 round");
    }
  }

  /**
   * The median of the rounds' rates.
   *
   * @return calls per second
   */
  public double medianRate() {
    final double[] sorted = ratesPerRound.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    final int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * The slowest round.
   *
   * @return calls per second
   */
  public double minRate() {
    return ratesPerRound.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  /**
   * The fastest round.
   *
   * @return calls per second
   */
  public double maxRate() {
    return ratesPerRound.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }
}
