package dev.nucleus.kernel.internal.ipc;

import static dev.nucleus.kernel.internal.ipc.EngineCodes.WAITING;

import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;

/**
 * The one wait loop of the engine: how a thread waits for its IPC to complete, in one table
 * ({@link PortWait}) or in several ({@link PortSet}). A subclass says what to look at; this class
 * says when: the spin, yield, adaptive and sleep policy, and the periodic checks.
 *
 * <pre>
 * Implementation overview
 *
 *   loop:
 *     r := poll()                     the cheap look: has the partner completed the IPC?
 *     if r != WAITING: return r
 *     every CHECK_EVERY rounds, and after every sleep:
 *       r := check()                  abort, deadline, peer liveness, stranded copies, ...
 *       if r != WAITING: return r
 *     SPIN:     onSpinWait; every YIELD_EVERY rounds, yield
 *     ADAPTIVE: as SPIN until the thread has spun adaptiveSpinNanos (the clock is read every
 *               CLOCK_EVERY rounds), then as BLOCK for the rest of this wait
 *     BLOCK:    sleep()                announce SLEEPING, re-check, park (see Sleeper)
 * </pre>
 *
 * Why the constants have their values: a check reads the clock and shared fields a partner may
 * be writing, so it runs every {@link #CHECK_EVERY} rounds only (a few microseconds apart),
 * which bounds how late an abort, a timeout or a peer's death is seen by a spinning thread. A
 * sleeping thread is woken for all of these (or sleeps no longer than its deadline), and checks
 * at once after every wake-up. {@link #YIELD_EVERY}: see its comment.
 *
 * <p>A wait loop is owned by one thread and used only by it; {@link #run} allocates nothing and
 * takes no lock. The subclasses keep the state of the wait in progress in their fields.
 */
abstract class WaitLoop {

  /** Rounds between checks of deadline, abort and peer liveness while waiting. */
  static final int CHECK_EVERY = 128;
  /**
   * Rounds between yields of a spinning waiter, so that a waiter never starves a partner sharing
   * its CPU. When the scheduler puts both ends of a spinning pair on one CPU (on two vCPUs it does,
   * for a while, now and then), every hand-off costs this many spins plus a yield: 256 made those
   * round trips ~20 µs, 32 makes them ~6 µs. A hand-off between CPUs takes a few spins, so the
   * fast path never reaches a yield.
   */
  static final int YIELD_EVERY = 1 << 5;
  /** Rounds between clock readings of an adaptive waiter (a power of two). */
  private static final int CLOCK_EVERY = 1 << 6;

  /**
   * Waits as {@code strategy} says until {@link #poll} or {@link #check} returns an outcome, and
   * returns it. {@code adaptiveSpinNanos}: how long an ADAPTIVE waiter spins before it sleeps.
   */
  final int run(WaitStrategy strategy, long adaptiveSpinNanos) {
    final long spinUntil = strategy == WaitStrategy.ADAPTIVE ? Timeout.now() + adaptiveSpinNanos : 0;
    boolean spinning = strategy != WaitStrategy.BLOCK;
    int spins = 0;
    boolean check = false;
    while (true) {
      final int polled = poll();
      if (polled != WAITING) {
        return polled;
      }
      if (check || ++spins % CHECK_EVERY == 0) {
        check = false;
        final int checked = check();
        if (checked != WAITING) {
          return checked;
        }
      }
      if (spinning) {
        if (strategy == WaitStrategy.ADAPTIVE && (spins & (CLOCK_EVERY - 1)) == 0 && Timeout.now() > spinUntil) {
          spinning = false; // spun about as long as a wake-up costs: sleep from now on
        } else {
          Thread.onSpinWait();
          if (spins % YIELD_EVERY == 0) {
            Thread.yield();
          }
          continue;
        }
      }
      sleep();
      check = true;
    }
  }

  /**
   * One cheap look at the IPC: its outcome (a status, or an internal code such as RESTART), or
   * {@link EngineCodes#WAITING}. Runs every round, so it reads only what a partner publishes.
   */
  abstract int poll();

  /**
   * The periodic checks (abort, deadline, liveness, stranded copies): an outcome, or
   * {@link EngineCodes#WAITING}. Runs every {@link #CHECK_EVERY} rounds and after every sleep.
   */
  abstract int check();

  /**
   * Sleeps until a partner wakes this thread or a deadline passes: announces SLEEPING, re-checks
   * everything a waker publishes before it reads SLEEPING, then parks (see Sleeper). May return
   * early for any reason; the loop polls and checks again.
   */
  abstract void sleep();
}
