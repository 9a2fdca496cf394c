package dev.nucleus.async;

import dev.nucleus.kernel.Status;

/**
 * An end of a queue was not handed out: the {@link QueueBroker} refused it (NOT_PERMITTED: the
 * caller's space was not granted that end, or it was handed out already; INVALID_ARGUMENT: a
 * malformed request; CLOSED: the broker has closed), the IPC to the broker failed (its status,
 * with its phase), the queue was freed before the process could map it (STALE_ID), or the
 * broker's reply was not one a broker sends (PROTOCOL_ERROR). The message names the queue, the end
 * and the reason.
 */
public final class QueueHandoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The status; see {@link #status()}. */
  private final int status;

  /**
   * An end not handed out.
   *
   * @param status the kernel status that says why (see {@link #status()})
   * @param message the queue, the end and the reason, for a person
   */
  public QueueHandoutException(int status, String message) {
    super(message);
    this.status = status;
  }

  /**
   * An end not handed out because of {@code cause} (e.g. a region that could not be mapped).
   *
   * @param status the kernel status that says why
   * @param message the queue, the end and the reason
   * @param cause what failed
   */
  public QueueHandoutException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /**
   * Why, as a {@link Status}: {@link Status#NOT_PERMITTED}, {@link Status#INVALID_ARGUMENT} or
   * {@link Status#CLOSED} from the broker; {@link Status#STALE_ID} for a queue freed before the
   * process mapped it; {@link Status#PROTOCOL_ERROR} for a reply no broker sends; or the failed IPC's
   * status, with its phase (e.g. PEER_DEAD in the receive phase: the
   * broker's space died before it replied).
   *
   * @return the status
   */
  public int status() {
    return status;
  }
}
