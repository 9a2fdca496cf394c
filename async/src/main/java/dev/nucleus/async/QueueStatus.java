package dev.nucleus.async;

import dev.nucleus.kernel.Status;

/**
 * What queue operations return: the kernel's {@link Status} codes, with the phase that says
 * which end failed ({@link Status#SEND_PHASE} at the sender, {@link Status#RECEIVE_PHASE} at the
 * receiver), so that one mapping to exceptions serves IPC and queues alike. An operation that
 * returns a length or a count returns {@code -status} on failure instead.
 *
 * <pre>
 *  status                    sender                                receiver
 *  OK                        the message is published              a message was taken
 *  FULL / EMPTY (NO_PARTNER) zero timeout, no room in the ring     zero timeout, nothing in the ring
 *  TIMEOUT                   no room before the deadline           nothing before the deadline
 *  PEER_DEAD                 the receiver closed, died or gave     the sender closed or died, and
 *                            the queue up                          everything it published was taken
 *  CLOSED                    this end was closed                   this end was closed
 *  PROTOCOL_ERROR            the receiver published a bad          the sender wrote a bad stamp or
 *                            position or state (see failure())     length (see failure())
 *  MSG_TOO_LONG              above the queue's maxPayload          above the caller's buffer
 *  INVALID_ARGUMENT          a negative length, a bad timeout      a bad timeout or buffer
 *  ABORTED                   the waiting thread was interrupted    the waiting thread was interrupted
 * </pre>
 *
 * PEER_DEAD, CLOSED and PROTOCOL_ERROR are final: every later operation of that end returns the
 * same status. This class is stateless and thread-safe.
 */
public final class QueueStatus {

  /** A zero-timeout send found no room: the ring is full (the kernel's NO_PARTNER, send phase). */
  public static final int FULL = Status.send(Status.NO_PARTNER);
  /** A zero-timeout receive found no message (the kernel's NO_PARTNER, receive phase). */
  public static final int EMPTY = Status.receive(Status.NO_PARTNER);

  private QueueStatus() {}

  /**
   * Human-readable form: {@code FULL}, {@code EMPTY}, or the kernel's, e.g.
   * {@code "PEER_DEAD (receive phase)"}.
   *
   * @param status a status a queue operation returned (not negated)
   * @return its name
   */
  public static String toString(int status) {
    if (status == FULL) {
      return "FULL";
    }
    if (status == EMPTY) {
      return "EMPTY";
    }
    return Status.toString(status);
  }
}
