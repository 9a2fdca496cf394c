package dev.nucleus.rpc;

/**
 * The request was delivered but its reply did not come back: the server may have acted on it,
 * so a retry is safe only for an idempotent method.
 */
public final class ReplyLostException extends RpcException {

  /**
   * An exception with {@code message}.
   *
   * @param message what failed, naming the call
   */
  public ReplyLostException(String message) {
    super(message);
  }

  /**
   * {@return true: the server may have acted}
   */
  @Override
  public boolean delivered() {
    return true;
  }
}
