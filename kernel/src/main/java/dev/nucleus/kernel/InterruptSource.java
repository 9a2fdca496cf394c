package dev.nucleus.kernel;

/**
 * Something that fires interrupts: a timer, a POSIX signal, fd readiness. The kernel turns each
 * firing into an IPC to the handler thread (see {@link Interrupt}). Implementations call the
 * trigger from any thread, as often as they like; the trigger never blocks.
 */
public interface InterruptSource extends AutoCloseable {

  /**
   * A timer that fires every {@code period}, from a daemon thread of its own, once started. A
   * firing while the handler has not yet replied to the previous one is not lost: it is counted
   * into the next delivery (see {@link Interrupt}).
   *
   * @param period the interval; positive
   * @return a new, unstarted source
   * @throws IllegalArgumentException if {@code period} is not positive
   */
  static InterruptSource periodic(java.time.Duration period) {
    return new PeriodicTimer(period);
  }

  /** Starts firing into {@code trigger}. Called once, by the kernel. */
  void start(Runnable trigger);

  /** Stops firing. Idempotent. */
  @Override
  void close();

  /** For tools: e.g. "timer every 10ms". */
  String describe();
}
