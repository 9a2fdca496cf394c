package dev.nucleus.rpc;

import dev.nucleus.kernel.Status;

/**
 * The failure of a remote call, unchecked, saying which leg of the call failed:
 * {@link #delivered()} is false when the request never reached the server (the call had no
 * effect and is safe to retry), true when it did (the server may have acted).
 *
 * <table class="striped">
 *   <caption>The subclasses</caption>
 *   <thead><tr><th>exception</th><th>delivered</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link NotDeliveredException}</td><td>false</td><td>the request never reached the server</td></tr>
 *     <tr><td>{@link FrameOverflowException}</td><td>false</td><td>the request does not fit its frame and the binding cannot grow it</td></tr>
 *     <tr><td>{@link ReplyLostException}</td><td>true</td><td>delivered, but the reply did not come back</td></tr>
 *     <tr><td>{@link DeadlineExceededException}</td><td>phase RECEIVE</td><td>the call's deadline passed, in the phase it names</td></tr>
 *     <tr><td>{@link PeerDeadException}</td><td>phase RECEIVE</td><td>the server's space died, in the phase it names</td></tr>
 *     <tr><td>{@link NotPermittedException}</td><td>false</td><td>this space may not call that service</td></tr>
 *     <tr><td>{@link RemoteFailureException}</td><td>true</td><td>the implementation threw an undeclared exception</td></tr>
 *     <tr><td>{@link UnknownMethodException}</td><td>true</td><td>the server has no such method; nothing ran</td></tr>
 *     <tr><td>{@link MalformedFrameException}</td><td>true</td><td>a frame failed validation where it was read</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Declared exceptions of a service method are not RpcExceptions: the proxy rethrows them with
 * their own type and message.
 */
public abstract sealed class RpcException extends RuntimeException
    permits NotDeliveredException, FrameOverflowException, ReplyLostException, DeadlineExceededException,
        PeerDeadException, NotPermittedException, RemoteFailureException, UnknownMethodException,
        MalformedFrameException {

  /** The phase of a call in which a failure happened. */
  public enum Phase {
    /** Sending the request: it was not delivered. */
    SEND,
    /** Waiting for the reply: the request was delivered, the server may have acted. */
    RECEIVE
  }

  /**
   * An exception with {@code message}.
   *
   * @param message what failed, naming the service and method where known
   */
  RpcException(String message) {
    super(message);
  }

  /**
   * Whether the request reached the server.
   *
   * @return false if the call had no effect and is safe to retry; true if the server may have
   *     acted on it
   */
  public abstract boolean delivered();

  /**
   * The exception for a failed kernel IPC status, for transports: TIMEOUT is
   * {@link DeadlineExceededException}, PEER_DEAD (and STALE_ID, CLOSED, which mean the partner
   * has gone) {@link PeerDeadException}, NOT_PERMITTED {@link NotPermittedException}; any other
   * code is {@link NotDeliveredException} in the send phase and {@link ReplyLostException} in the
   * receive phase. The phase comes from the status ({@link Status#failedInReceive}).
   *
   * @param status a failed {@link Status}, not OK
   * @param call what was being called, e.g. {@code "KeyValue.get(J)J"}, for the message
   * @return the exception to throw; never null
   * @throws IllegalArgumentException if {@code status} is OK
   */
  public static RpcException fromStatus(int status, String call) {
    if (Status.isOk(status)) {
      throw new IllegalArgumentException("status OK is not a failure");
    }
    final Phase phase = Status.failedInReceive(status) ? Phase.RECEIVE : Phase.SEND;
    final String detail = call + ": " + Status.toString(status);
    return switch (Status.code(status)) {
      case Status.TIMEOUT -> new DeadlineExceededException(phase, detail);
      case Status.PEER_DEAD, Status.STALE_ID, Status.CLOSED -> new PeerDeadException(phase, detail);
      case Status.NOT_PERMITTED -> new NotPermittedException(detail);
      default -> phase == Phase.RECEIVE ? new ReplyLostException(detail) : new NotDeliveredException(detail);
    };
  }
}
