package dev.nucleus.rpc;

/**
 * A value does not fit in its frame and the frame cannot grow (it has no {@link Frame.Growth},
 * the growth refused, or the value is beyond the wire format's limits). Thrown while the proxy
 * writes a request, before anything is sent, so {@link #delivered()} is false. A server's reply
 * that overflows reaches the client as a {@link RemoteFailureException} naming this class.
 */
public final class FrameOverflowException extends RpcException {

  /**
   * An exception with {@code message}.
   *
   * @param message what did not fit, and how large the frame is
   */
  public FrameOverflowException(String message) {
    super(message);
  }

  /**
   * {@return false: thrown while writing, before anything is sent}
   */
  @Override
  public boolean delivered() {
    return false;
  }
}
