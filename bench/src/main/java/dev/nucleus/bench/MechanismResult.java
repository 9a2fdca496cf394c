package dev.nucleus.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One mechanism's result in a bench: each percentile is the median of that percentile across the
 * runs (not a percentile of the merged runs), and likewise the round trips per second.
 *
 * @param name the mechanism
 * @param runs how many runs the medians are over
 * @param iterations measured round trips per run
 * @param rttNs median-across-runs round-trip percentiles in ns
 * @param opsPerSecond median across runs of {@code 1e9 / mean round trip}
 * @param floor the floor it is compared against, or {@code null} for a floor
 * @param ratioToFloor {@code rttNs.p50 / floor's rttNs.p50}, or {@code null} when there is no floor
 *     or the floor was not measured in the same bench
 * @param allocation median across runs of the bytes each side allocated per round trip, or {@code
 *     null} for mechanisms that do not count allocation (see {@link PingPong#lastAllocation()})
 * @param p50PerRun each run's p50 in ns, in run order (runs are interleaved across mechanisms, so
 *     run i of two mechanisms ran close together in time); empty when not kept
 */
public record MechanismResult(
    String name,
    int runs,
    long iterations,
    Percentiles rttNs,
    double opsPerSecond,
    String floor,
    Double ratioToFloor,
    Allocation allocation,
    List<Long> p50PerRun) {

  public MechanismResult {
    p50PerRun = List.copyOf(p50PerRun);
  }

  /** Aggregates per-run stats (at least one) into medians; no ratio yet. */
  public static MechanismResult aggregate(
      String name, String floor, long iterations, List<RunStats> runs) {
    if (runs.isEmpty()) throw new IllegalArgumentException(name + ": no runs to aggregate");
    Percentiles p =
        new Percentiles(
            median(runs, RunStats::p50),
            median(runs, RunStats::p90),
            median(runs, RunStats::p99),
            median(runs, RunStats::p999),
            median(runs, RunStats::max));
    double ops = medianDouble(runs, RunStats::opsPerSecond);
    return new MechanismResult(
        name, runs.size(), iterations, p, ops, floor, null, null, runs.stream().map(RunStats::p50).toList());
  }

  /** This result with the median of the runs' allocation figures (none: no figure). */
  public MechanismResult withAllocations(List<Allocation> perRun) {
    if (perRun.isEmpty()) {
      return this;
    }
    Allocation median =
        new Allocation(
            Medians.of(perRun.stream().mapToDouble(Allocation::clientBytesPerRoundTrip).toArray()),
            Medians.of(perRun.stream().mapToDouble(Allocation::serverBytesPerRoundTrip).toArray()));
    return new MechanismResult(name, runs, iterations, rttNs, opsPerSecond, floor, ratioToFloor, median, p50PerRun);
  }

  /** This result with its ratio to the floor's p50 ({@code null} floor p50 clears it). */
  public MechanismResult withFloorP50(Long floorP50) {
    Double ratio =
        floorP50 == null || floorP50 <= 0 ? null : (double) rttNs.p50() / (double) floorP50;
    return new MechanismResult(name, runs, iterations, rttNs, opsPerSecond, floor, ratio, allocation, p50PerRun);
  }

  private static long median(List<RunStats> runs, ToLongFunction<RunStats> f) {
    return Medians.of(runs.stream().mapToLong(f).toArray());
  }

  private static double medianDouble(List<RunStats> runs, ToDoubleFunction<RunStats> f) {
    return Medians.of(runs.stream().mapToDouble(f).toArray());
  }
}
