package dev.nucleus.kernel.internal.ipc;

import dev.nucleus.kernel.Status;

/**
 * The engine's internal result codes: what a phase or a wait step returns to the engine when the
 * IPC has no outcome yet (queued, go on waiting, start again). They never reach a user: the
 * engine turns each into a status or acts on it.
 *
 * <p>An int result of the engine is one of four things, in ranges that cannot meet:
 *
 * <pre>
 *   a status            [0, 1 &lt;&lt; 10)        a code below 256, or'ed with Status.SEND_PHASE (1 &lt;&lt; 8)
 *                                           or Status.RECEIVE_PHASE (1 &lt;&lt; 9): at most 1023
 *   a negated status    (-(1 &lt;&lt; 10), 0)     "an index or -status" results (resolve, claimCaller):
 *                                           at least -1023
 *   an index            [0, 2^31)            a TCB, receive point or member bit; -1 for "none" only
 *                                           where a method says "an index or -1"
 *   an internal code    [MIN_VALUE, MIN_VALUE + 16)   the constants below
 * </pre>
 *
 * So a code here is never a status, never a negated status, and never an index, whatever the
 * method that returns it also returns; {@link #checkRanges} checks it (tests call it). Compare a
 * result with these constants by {@code ==}, never by sign.
 */
final class EngineCodes {

  /** The lowest internal code: every one is {@code BASE + k} for a small k. */
  private static final int BASE = Integer.MIN_VALUE;
  /** How many values the range holds. */
  private static final int RANGE = 16;

  /**
   * A send or receive phase left the thread waiting (SENDING or RECEIVING): finish the IPC with
   * {@link Rendezvous#await}.
   */
  static final int QUEUED = BASE + 1;
  /**
   * A zero-timeout send phase queued at a POLLING receiver (one that waits in several tables and
   * takes its senders itself): the sender waits up to {@link Rendezvous#POLL_PATIENCE_NANOS} for
   * it, then gives up with NO_PARTNER.
   */
  static final int QUEUED_AT_POLLER = BASE + 2;
  /**
   * {@link Rendezvous#takeQueued}: LENGTH is not 0 but no sender is queued, which only a broken
   * peer leaves; the caller stops trusting the count until it changes.
   */
  static final int WRONG_LENGTH = BASE + 3;
  /** {@link Rendezvous#takeQueued}: the receive point's lock stayed taken; try later. */
  static final int LOCK_BUSY = BASE + 4;
  /** A take under the lock found no sender; the lock is still held. */
  static final int NOTHING_TAKEN = BASE + 5;
  /** A step of a {@link WaitLoop} found no outcome yet: go on waiting. */
  static final int WAITING = BASE + 6;
  /**
   * An open receive stopped because its space's set of tables changed (a link to a process space
   * came or went): the caller starts the receive again over the new set.
   */
  static final int RESTART = BASE + 7;

  private EngineCodes() {}

  /**
   * Checks that every code lies in the internal range, apart from every status and negated
   * status.
   *
   * @throws IllegalStateException if one does not
   */
  static void checkRanges() {
    final int lowestNegatedStatus = -(Status.SEND_PHASE | Status.RECEIVE_PHASE | 0xFF);
    for (int code : new int[] {QUEUED, QUEUED_AT_POLLER, WRONG_LENGTH, LOCK_BUSY, NOTHING_TAKEN, WAITING, RESTART}) {
      if (code < BASE || code >= BASE + RANGE || code >= lowestNegatedStatus) {
        throw new IllegalStateException("internal code " + code + " outside [" + BASE + ", " + (BASE + RANGE) + ")");
      }
    }
  }
}
