package dev.nucleus.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** A deterministic mechanism for harness tests: records given values per run, or fails on cue. */
final class FakePingPong implements PingPong {

  private final String name;
  private final String floor;
  private final String unavailable;
  private final List<long[]> perRun;
  private final int failOnRun;
  final List<int[]> calls = new ArrayList<>(); // {warmup, iterations} of each call

  /**
   * @param perRun values recorded in run k are {@code perRun.get(k % size)}, cycled to fill the
   *     requested iteration count
   * @param failOnRun the 1-based run that throws, or 0 for never
   */
  FakePingPong(String name, String floor, String unavailable, List<long[]> perRun, int failOnRun) {
    this.name = name;
    this.floor = floor;
    this.unavailable = unavailable;
    this.perRun = perRun;
    this.failOnRun = failOnRun;
  }

  static FakePingPong constant(String name, String floor, long ns) {
    return new FakePingPong(name, floor, null, List.of(new long[] {ns}), 0);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String floor() {
    return floor;
  }

  @Override
  public String unavailableReason() {
    return unavailable;
  }

  @Override
  public int defaultIterations() {
    return 100;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) {
    calls.add(new int[] {warmup, iterations});
    if (calls.size() == failOnRun) throw new IllegalStateException("partner vanished");
    long[] values = perRun.get((calls.size() - 1) % perRun.size());
    for (int i = 0; i < iterations; i++) Latencies.record(roundTripsNs, values[i % values.length]);
  }
}
