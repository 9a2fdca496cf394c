package dev.nucleus.kernel;

/**
 * How a thread waits for its partner inside an IPC. The strategy changes only the cost of
 * waiting, never the semantics: every strategy honours timeouts, aborts and peer death. Chosen
 * per thread when it is created ({@link Space#spawn(String, WaitStrategy, Space.Body)},
 * {@link Space#attach(String, WaitStrategy)}); {@link Kernel.Config#waitStrategy()} is the default.
 */
public enum WaitStrategy {
  /**
   * Busy-wait with {@link Thread#onSpinWait()}, yielding the CPU now and then. Lowest latency
   * (a round trip costs a few cache-line transfers); burns a core while waiting.
   */
  SPIN,
  /**
   * Sleep at once. A wake-up costs a system call on the waker's side and, on an idle CPU, the
   * CPU's wake-up latency (about 25 µs on a KVM guest). Uses no CPU while waiting.
   */
  BLOCK,
  /**
   * Spin for about as long as a wake-up costs (the kernel's adaptive spin budget), then sleep.
   * Close to SPIN when the partner answers quickly, close to BLOCK's CPU use when idle.
   */
  ADAPTIVE
}
