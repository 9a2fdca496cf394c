package dev.nucleus.kernel;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@link InterruptSource} that fires every {@code period}, on a daemon thread of its own.
 * Firings are scheduled at fixed rate; one that comes while the handler has not acknowledged the
 * last is merged into the next delivery by the kernel, as a masked level-triggered line would.
 */
final class PeriodicTimer implements InterruptSource {

  private final long periodNanos;
  private volatile boolean stopped;
  private Thread thread;

  PeriodicTimer(Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("timer period must be positive, got " + period);
    }
    this.periodNanos = period.toNanos();
  }

  @Override
  public synchronized void start(Runnable trigger) {
    if (thread != null) {
      throw new IllegalStateException("timer already started");
    }
    thread = Thread.ofPlatform().daemon().name("nucleus-timer").start(() -> {
      long next = System.nanoTime() + periodNanos;
      while (!stopped) {
        final long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
          continue;
        }
        trigger.run();
        next += periodNanos;
      }
    });
  }

  @Override
  public void close() {
    stopped = true;
    final Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  @Override
  public String describe() {
    return periodNanos % 1_000_000 == 0 ? "timer every " + periodNanos / 1_000_000 + " ms"
        : "timer every " + periodNanos / 1_000 + " µs";
  }
}
