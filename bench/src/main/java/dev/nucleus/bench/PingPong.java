package dev.nucleus.bench;

import org.HdrHistogram.Histogram;

/**
 * One ping-pong mechanism the harness can measure: two parties hand a token back and forth, and
 * every round trip (ping out, pong back) is timed individually.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #name()} is unique in a {@link MechanismRegistry} and stable (it appears in tables,
 *       JSON and {@code --only}).
 *   <li>{@link #floor()} names the floor this mechanism is judged against (for example {@code
 *       floor-java-spin}), or is {@code null} for a floor itself.
 *   <li>{@link #unavailableReason()} is {@code null} when the mechanism can run here; otherwise a
 *       short human reason (e.g. "no C compiler"). The harness asks once per bench, before any run,
 *       and never calls {@link #run} on an unavailable mechanism: it reports it as skipped.
 *   <li>{@link #run} performs {@code warmup} unrecorded round trips, then exactly {@code
 *       iterations} measured ones, recording each measured round trip's latency in nanoseconds into
 *       {@code roundTripsNs} (one {@code recordValue} per round trip; time it with {@link
 *       System#nanoTime()} immediately around the round trip, which itself adds about 20-25 ns on
 *       this machine). It sets up and tears down whatever it needs on each call, may be called many
 *       times in sequence (never concurrently), and must be bounded: if the partner stops answering
 *       it throws instead of spinning or blocking forever.
 * </ul>
 */
public interface PingPong {

  /** Default measured round trips per run for spinning mechanisms (about 0.2 µs each here). */
  int SPIN_ITERATIONS = 200_000;

  /** Default measured round trips per run for blocking mechanisms (about 50 µs each here). */
  int BLOCKING_ITERATIONS = 2_000;

  /** The unique, stable name, e.g. {@code floor-c-spin}. */
  String name();

  /** The name of the floor this mechanism is compared against, or {@code null} for a floor. */
  String floor();

  /** Why this mechanism cannot run here, or {@code null} when it can. */
  String unavailableReason();

  /** A one-line description for listings; empty by default. */
  default String description() {
    return "";
  }

  /**
   * Measured round trips per run when the user does not say: enough for a stable p99.9 within a
   * second or so. Spinning mechanisms keep {@link #SPIN_ITERATIONS}; blocking ones return {@link
   * #BLOCKING_ITERATIONS} or similar.
   */
  default int defaultIterations() {
    return SPIN_ITERATIONS;
  }

  /**
   * Unrecorded round trips per run when the user does not say, or {@code -1} (the default) for half
   * of the measured count, which lets the JIT compile a tight loop. Mechanisms built on large
   * frameworks (gRPC, RMI) need far more before their JIT-compiled steady state, which is what a
   * long-running service sees.
   */
  default int defaultWarmup() {
    return -1;
  }

  /**
   * The message this mechanism carries, when it takes part in the message-size sweep or its chart;
   * {@code null} (the default) when it does not (floors, for instance).
   */
  default MessageSize messageSize() {
    return null;
  }

  /**
   * Heap bytes each side allocated per measured round trip in the last {@link #run}, for
   * mechanisms that count them (the Nucleus ones, whose fast path must allocate nothing); {@code
   * null} (the default) for the others.
   */
  default Allocation lastAllocation() {
    return null;
  }

  /**
   * Runs {@code warmup} unrecorded round trips and then {@code iterations} measured ones, recording
   * each measured round trip in nanoseconds.
   *
   * @param warmup round trips to run first without recording (JIT, caches, page faults), {@code >=
   *     0}
   * @param iterations measured round trips, {@code >= 1}; exactly this many values are recorded
   * @param roundTripsNs where each measured round trip's latency in ns goes; create it with {@link
   *     Latencies#newHistogram()} and record with {@link Latencies#record}
   * @throws Exception when the run fails (partner lost or stalled, process error); the harness
   *     reports the mechanism as failed and measures it no further
   */
  void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception;
}
