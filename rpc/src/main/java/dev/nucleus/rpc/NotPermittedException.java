package dev.nucleus.rpc;

/**
 * This space may not call the service (its import was not granted, or the binding was revoked):
 * nothing was delivered.
 */
public final class NotPermittedException extends RpcException {

  /**
   * An exception with {@code message}.
   *
   * @param message what failed, naming the call
   */
  public NotPermittedException(String message) {
    super(message);
  }

  /**
   * {@return false: the request never reached the server}
   */
  @Override
  public boolean delivered() {
    return false;
  }
}
