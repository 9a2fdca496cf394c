package dev.nucleus.bench.scaling;

import java.util.List;
import java.util.Optional;

/**
 * What one scaling series measured, with the setup needed to read it.
 *
 * @param name the series, e.g. {@code lrpc-scaling}
 * @param call what each client calls, in words
 * @param serverThreads threads of the server pool
 * @param processes client processes
 * @param threadsPerProcess client threads in each
 * @param cpus the CPUs this JVM could use ({@code Runtime.availableProcessors()})
 * @param waitStrategy how the kernel's threads wait (the kernel's name for it)
 * @param rounds measured rounds per count
 * @param warmupMs each count's warm-up, in ms
 * @param roundMs each round's length, in ms
 * @param warmupCalls calls of the JIT warm-up before the first count, every one checked
 * @param points one per client count, ascending
 */
public record ScalingResult(String name, String call, int serverThreads, int processes, int threadsPerProcess,
    int cpus, String waitStrategy, int rounds, long warmupMs, long roundMs, long warmupCalls,
    List<ScalingPoint> points) {

  /** Copies the points. */
  public ScalingResult {
    points = List.copyOf(points);
  }

  /**
   * The throughput at {@code point} over the throughput of one client: how many clients' worth of
   * calls the system completes.
   *
   * @param point one of {@link #points()}
   * @return the ratio of the median rates, or empty without a 1-client point
   */
  public Optional<Double> speedup(ScalingPoint point) {
    return points.stream().filter(p -> p.clients() == 1).findFirst()
        .map(one -> point.medianRate() / one.medianRate());
  }

  /**
   * The scaling efficiency at {@code point}: its speedup over its clients; 1.0 is linear scaling,
   * each client as fast as a client alone.
   *
   * @param point one of {@link #points()}
   * @return {@code speedup / clients}, or empty without a 1-client point
   */
  public Optional<Double> efficiency(ScalingPoint point) {
    return speedup(point).map(s -> s / point.clients());
  }

  /**
   * The calls checked in the whole series: the JIT warm-up and every step.
   *
   * @return calls, each reply checked by its client and each request by the server
   */
  public long checkedCalls() {
    return warmupCalls + points.stream().mapToLong(ScalingPoint::checkedCalls).sum();
  }
}
