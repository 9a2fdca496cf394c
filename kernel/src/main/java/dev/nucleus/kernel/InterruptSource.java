package dev.nucleus.kernel;

/**
 * Something that fires interrupts: a timer, a POSIX signal, fd readiness. The kernel turns each
 * firing into an IPC to the handler thread (see {@link Interrupt}). Implementations call the
 * trigger from any thread, as often as they like; the trigger never blocks and is thread-safe.
 * Implementations must make {@link #start} and {@link #close} safe to call from different
 * threads.
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

  /**
   * Starts firing into {@code trigger}. Called once, by the kernel, when the source is attached
   * ({@link Kernel#attachInterrupt}, which returns only after this does).
   *
   * @param trigger to run once per firing; never blocks, callable from any thread
   */
  void start(Runnable trigger);

  /**
   * Stops firing; called by the kernel when the interrupt is closed. A firing racing with the
   * close may still run the trigger; nothing is delivered for it. Idempotent; throws nothing.
   */
  @Override
  void close();

  /**
   * A short description for tools, e.g. {@code "timer every 10 ms"}.
   *
   * @return the description
   */
  String describe();
}
