package dev.nucleus.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The wait of the two-thread floors ({@code floor-java-spin}, {@code floor-handoff-<size>}): a
 * thread spins on a counter the other one publishes with a release store, and both are bounded by
 * a shared abort flag and a stall clock, so that a side that stops answering fails the run instead
 * of spinning for ever. Stateless; any thread.
 */
public final class SpinHandoff {

  /** How long a side waits without progress before it gives up. */
  public static final long STALL_NS = TimeUnit.SECONDS.toNanos(5);
  /** Spins between two looks at the abort flag and the clock: both stay off the measured path. */
  private static final int CHECK_EVERY = 1 << 12;
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  private SpinHandoff() {}

  /**
   * Spins (acquire loads, {@link Thread#onSpinWait()}) until the long at {@code offset} of
   * {@code s} is {@code value}. Every 4,096 spins it gives up if the other side has aborted (the
   * long at {@code abortOffset} of {@code abort} is not 0), or if {@link #STALL_NS} has passed
   * since {@code since}, and then sets the abort flag for the other side.
   *
   * @param since {@link System#nanoTime()} when the wait began, or 0 for "at the first check"
   * @param what the failure's message, which the value follows: "ponger did not answer round trip"
   * @throws TimeoutException if it gave up
   */
  public static void await(MemorySegment s, long offset, long value, MemorySegment abort, long abortOffset, long since,
      String what) throws TimeoutException {
    int spins = 0;
    long start = since;
    while ((long) LONG.getAcquire(s, offset) != value) {
      Thread.onSpinWait();
      if (++spins == CHECK_EVERY) {
        spins = 0;
        if (start == 0) {
          start = System.nanoTime(); // first check: start the stall clock
        }
        if ((long) LONG.getAcquire(abort, abortOffset) != 0) {
          throw new TimeoutException(what + " " + value + ": aborted");
        }
        if (System.nanoTime() - start > STALL_NS) {
          abort(abort, abortOffset);
          throw new TimeoutException(what + " " + value + " within 5 s");
        }
      }
    }
  }

  /** Sets the abort flag: the other side gives up at its next check. A no-op for a side already done. */
  public static void abort(MemorySegment abort, long abortOffset) {
    LONG.setRelease(abort, abortOffset, 1L);
  }
}
