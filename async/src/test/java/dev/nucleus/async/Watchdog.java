package dev.nucleus.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs the parties of a concurrency test, each on a thread of its own, and turns a stall into a
 * failure instead of a hang: if the progress counter does not move for {@code stall} (a lost
 * wake-up leaves a party asleep for ever), or a party fails, it records the diagnostics, calls
 * {@code release} (which must make every party return, e.g. by declaring the peer dead at each
 * end), and fails with what it saw. The stall limit is a hang guard, not a timing assertion.
 */
final class Watchdog {

  /** One party: a loop that returns when its part is done. */
  @FunctionalInterface
  interface Party {
    void run() throws Exception;
  }

  private static final Duration LOOK_EVERY = Duration.ofMillis(50);
  private static final Duration JOIN_AFTER_RELEASE = Duration.ofSeconds(20);

  private Watchdog() {}

  /**
   * Runs {@code parties} and waits for them all.
   *
   * @throws AssertionError if progress stalls for {@code stall} or a party throws (the first
   *     failure, with the diagnostics taken when the watchdog noticed)
   */
  static void run(String what, Duration stall, LongSupplier progress, Supplier<String> diagnostics, Runnable release,
      Party... parties) throws InterruptedException {
    final AtomicReference<Throwable> failed = new AtomicReference<>();
    final List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < parties.length; i++) {
      final Party party = parties[i];
      threads.add(Thread.ofPlatform().daemon().name(what + "-" + i).start(() -> {
        try {
          party.run();
        } catch (Throwable t) {
          failed.compareAndSet(null, t);
        }
      }));
    }
    long last = progress.getAsLong();
    long lastMove = System.nanoTime();
    String stalled = null;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      for (Thread t : threads) {
        t.join(LOOK_EVERY);
      }
      final long now = progress.getAsLong();
      if (now != last) {
        last = now;
        lastMove = System.nanoTime();
      } else if (System.nanoTime() - lastMove > stall.toNanos() && stalled == null) {
        stalled = what + ": no progress for " + stall.toSeconds() + " s at " + now + "; " + diagnostics.get();
        release.run();
      }
      if (failed.get() != null && stalled == null) {
        stalled = what + ": a party failed at progress " + now + "; " + diagnostics.get();
        release.run();
      }
      if (stalled != null) {
        for (Thread t : threads) {
          t.join(JOIN_AFTER_RELEASE);
        }
        break;
      }
    }
    if (stalled != null) {
      final AssertionError error = new AssertionError(stalled);
      if (failed.get() != null) {
        error.initCause(failed.get());
      }
      throw error;
    }
    if (failed.get() != null) {
      throw new AssertionError(what + " failed", failed.get());
    }
  }
}
