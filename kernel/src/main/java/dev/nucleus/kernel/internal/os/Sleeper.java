package dev.nucleus.kernel.internal.os;

/**
 * How a waiting thread sleeps and how a partner wakes it: the one thing that differs between
 * thread spaces (park/unpark) and process spaces (futex on a word of the shared segment).
 *
 * <p>Protocol (an event count): the sleeper sets its TCB's SLEEPING word with a volatile store,
 * re-checks the condition it waits for, and only then calls {@link #park}. A waker first
 * publishes the change with a volatile store or an atomic update, then reads SLEEPING and calls
 * {@link #wake} only if it is set. The two store-load pairs cannot both miss, so no wake-up is
 * lost and no wake call is made when nobody sleeps.
 */
public interface Sleeper {

  /**
   * Sleeps until woken, interrupted, spuriously, or until {@code deadline} on the
   * {@link Timeout#now()} clock. May return early; callers re-check their condition.
   */
  public void park(int tcbIndex, long deadline);

  /** Wakes the thread of TCB {@code tcbIndex} if it is parked (or makes its next park return). */
  public void wake(int tcbIndex);

  /** Binds TCB {@code tcbIndex} to the Java thread that runs it (null: unbind), if this sleeper needs to know. */
  default void bind(int tcbIndex, Thread thread) {}
}
