package dev.nucleus.kernel;

/**
 * Status codes of the IPC path. Operations return an {@code int}: {@link #OK}, or an error code
 * combined with the phase that failed, so that a caller knows whether its request was delivered:
 *
 * <pre>
 *  31            10  9   8  7            0
 * +----------------+---+---+--------------+
 * |       0        | R | S |     code     |
 * +----------------+---+---+--------------+
 *   S = failed in the SEND phase (the message was not delivered)
 *   R = failed in the RECEIVE phase (for a call: the request was delivered, the reply was not)
 * </pre>
 *
 * <p>Codes are plain ints so that the IPC path neither allocates nor throws; higher layers turn
 * them into exceptions. This class is stateless and thread-safe.
 */
public final class Status {

  /** Success. */
  public static final int OK = 0;
  /** A relative or absolute timeout expired before a partner arrived. */
  public static final int TIMEOUT = 1;
  /** A zero-timeout operation found no partner waiting, or a reply found its caller no longer waiting. */
  public static final int NO_PARTNER = 2;
  /** The id names nothing this kernel ever issued (malformed, out of range, wrong kind). */
  public static final int INVALID_ID = 3;
  /** The id names a thread or endpoint that has gone (exited, its space ended, slot reused). */
  public static final int STALE_ID = 4;
  /** The partner died (its thread exited or its space ended) while this IPC was blocked on it. */
  public static final int PEER_DEAD = 5;
  /** Another thread aborted this IPC. */
  public static final int ABORTED = 6;
  /**
   * No channel connects the two spaces (also: the channel was closed while this IPC was queued
   * through it), or the operation is not allowed to this thread: a wait on an endpoint of another
   * space or on one that already has 64 member threads, a send, call or notify to an interrupt's
   * pseudo-thread.
   */
  public static final int NOT_PERMITTED = 7;
  /** The message tag names more words than the message registers hold. */
  public static final int MSG_TOO_LONG = 8;
  /** A malformed argument (e.g. a timeout encoding that is none of never/zero/relative/absolute). */
  public static final int INVALID_ARGUMENT = 9;
  /**
   * The calling thread has ended: it was closed, its space ended, or the kernel was closed. Given
   * with the phase the IPC was in.
   */
  public static final int CLOSED = 10;
  /**
   * The partner broke the protocol: shared memory held a value no correct peer writes (a state,
   * status, index or length out of range). Only a broken or hostile process space causes it.
   */
  public static final int PROTOCOL_ERROR = 11;

  /** Phase flag: the send phase failed; nothing was delivered. */
  public static final int SEND_PHASE = 1 << 8;
  /** Phase flag: the receive phase failed (for a call, the request had been delivered). */
  public static final int RECEIVE_PHASE = 1 << 9;

  private static final String[] NAMES = {
    "OK", "TIMEOUT", "NO_PARTNER", "INVALID_ID", "STALE_ID", "PEER_DEAD", "ABORTED",
    "NOT_PERMITTED", "MSG_TOO_LONG", "INVALID_ARGUMENT", "CLOSED", "PROTOCOL_ERROR"
  };

  private Status() {}

  /**
   * {@code code} failed in the send phase.
   *
   * @param code an error code, e.g. {@link #TIMEOUT}
   * @return {@code code | SEND_PHASE}
   */
  public static int send(int code) {
    return code | SEND_PHASE;
  }

  /**
   * {@code code} failed in the receive phase.
   *
   * @param code an error code, e.g. {@link #PEER_DEAD}
   * @return {@code code | RECEIVE_PHASE}
   */
  public static int receive(int code) {
    return code | RECEIVE_PHASE;
  }

  /**
   * The error code without its phase.
   *
   * @param status a status an IPC operation returned
   * @return bits 0..7, e.g. {@link #PEER_DEAD}; {@link #OK} for OK
   */
  public static int code(int status) {
    return status & 0xFF;
  }

  /**
   * Whether {@code status} is {@link #OK}.
   *
   * @param status a status an IPC operation returned
   * @return true for OK
   */
  public static boolean isOk(int status) {
    return status == OK;
  }

  /**
   * Whether the send phase failed (the message or request was not delivered).
   *
   * @param status a status an IPC operation returned
   * @return true if the {@link #SEND_PHASE} flag is set
   */
  public static boolean failedInSend(int status) {
    return (status & SEND_PHASE) != 0;
  }

  /**
   * Whether the receive phase failed (for a call: the request was delivered, the reply was not).
   *
   * @param status a status an IPC operation returned
   * @return true if the {@link #RECEIVE_PHASE} flag is set
   */
  public static boolean failedInReceive(int status) {
    return (status & RECEIVE_PHASE) != 0;
  }

  /**
   * Whether {@code status} is one this kernel can return (a known code, only phase flags
   * besides). For checking a status read from shared memory or from another language's peer.
   *
   * @param status any int
   * @return true for OK and for every known error code with no other bits than the phase flags
   */
  public static boolean isValid(int status) {
    return (status & ~(0xFF | SEND_PHASE | RECEIVE_PHASE)) == 0 && code(status) < NAMES.length
        && (status == OK || code(status) != OK);
  }

  /**
   * The name of a code, e.g. {@code "PEER_DEAD"}.
   *
   * @param status a status or a bare code; the phase is ignored
   * @return the constant's name, or {@code "UNKNOWN(n)"} for a code this kernel does not define
   */
  public static String name(int status) {
    final int code = code(status);
    return code < NAMES.length ? NAMES[code] : "UNKNOWN(" + code + ")";
  }

  /**
   * Human-readable form, e.g. {@code "PEER_DEAD (receive phase)"}.
   *
   * @param status a status an IPC operation returned
   * @return the code's name and, if set, its phase
   */
  public static String toString(int status) {
    if (failedInSend(status)) {
      return name(status) + " (send phase)";
    }
    if (failedInReceive(status)) {
      return name(status) + " (receive phase)";
    }
    return name(status);
  }
}
