package dev.nucleus.kernel;

/**
 * Something that fires interrupts: a timer, a POSIX signal, fd readiness. The kernel turns each
 * firing into an IPC to the handler thread (see {@link Interrupt}). Implementations call the
 * trigger from any thread, as often as they like; the trigger never blocks.
 */
public interface InterruptSource extends AutoCloseable {

  /** Starts firing into {@code trigger}. Called once, by the kernel. */
  void start(Runnable trigger);

  /** Stops firing. Idempotent. */
  @Override
  void close();

  /** For tools: e.g. "timer every 10ms". */
  String describe();
}
