package dev.nucleus.kernel;

/**
 * A snapshot of what a thread is doing in IPC, as L4's ExchangeRegisters reports it: for tools
 * ({@code nucleus ps}) and for tests that stage start orders without sleeping. It may be out of
 * date as soon as it is returned: a partner, a timeout or an abort may end the state it reports.
 *
 * @param kind what the thread is doing
 * @param partner the destination (SENDING), the source or {@link ThreadId#ANY} (RECEIVING), the
 *     thread a reply is awaited from (WAITING_FOR_REPLY), else {@link ThreadId#NIL}
 * @param endpoint for RECEIVING/SENDING, the endpoint id waited on or queued at, else NIL
 */
public record IpcState(Kind kind, long partner, long endpoint) {

  /** What a thread is doing in IPC. */
  public enum Kind {
    /** Not in an IPC (or between phases of one). */
    IDLE,
    /** Blocked in a send phase, queued at its destination. */
    SENDING,
    /** Blocked in a receive phase (closed, open, or on an endpoint). */
    RECEIVING,
    /** A call whose request was delivered, waiting for the reply. */
    WAITING_FOR_REPLY,
    /** Waiting only for notifications. */
    WAITING_FOR_NOTIFICATION,
    /** A message is being copied in or out right now: by a partner, or by the thread itself replying inside replyWait. */
    TRANSFERRING,
    /** Exited, or its space ended. */
    DEAD
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SENDING -> "sending to " + ThreadId.toString(partner);
      case RECEIVING -> "receiving from " + ThreadId.toString(partner)
          + (endpoint != ThreadId.NIL ? " on " + ThreadId.toString(endpoint) : "");
      case WAITING_FOR_REPLY -> "waiting for reply from " + ThreadId.toString(partner);
      default -> kind.name().toLowerCase().replace('_', ' ');
    };
  }
}
