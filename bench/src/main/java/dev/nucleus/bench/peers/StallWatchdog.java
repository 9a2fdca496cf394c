package dev.nucleus.bench.peers;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a lost partner into a failure instead of a hang: a daemon thread that watches a progress
 * counter and runs an abort action once when the counter has not moved for a stall limit (a longer
 * one until the first step, which may include a JVM start).
 *
 * <p>The measuring thread only writes the counter ({@link #progress}, a lazy store); the watchdog
 * reads it every {@value #CHECK_MS} ms. {@link #fired()} tells the measuring thread afterwards
 * whether its failure came from an abort.
 */
final class StallWatchdog implements AutoCloseable {

  private static final long CHECK_MS = 100;

  private final AtomicLong progress = new AtomicLong();
  private final Thread thread;
  private volatile boolean fired;

  /**
   * @param firstStepLimit how long the first step may take
   * @param stallLimit how long any later step may take
   * @param onStall what to do once on a stall (e.g. {@link PeerConnection#abort()})
   */
  StallWatchdog(String name, Duration firstStepLimit, Duration stallLimit, Runnable onStall) {
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name(name + "-watchdog")
            .start(() -> watch(firstStepLimit.toNanos(), stallLimit.toNanos(), onStall));
  }

  /** Records that step {@code n} (1-based, increasing) completed. */
  void progress(long n) {
    progress.lazySet(n);
  }

  /** Whether the abort action ran. */
  boolean fired() {
    return fired;
  }

  private void watch(long firstNs, long stallNs, Runnable onStall) {
    long last = progress.get();
    long since = System.nanoTime();
    try {
      while (true) {
        Thread.sleep(CHECK_MS);
        long now = progress.get();
        long t = System.nanoTime();
        if (now != last) {
          last = now;
          since = t;
        } else if (t - since > (last == 0 ? firstNs : stallNs)) {
          fired = true;
          onStall.run();
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed: the run ended
    }
  }

  /** Stops the watchdog and waits for its thread (it sleeps at most {@value #CHECK_MS} ms). */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
