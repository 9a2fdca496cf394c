package dev.nucleus.rpc;

/**
 * The request never reached the server: the call had no effect and is safe to retry (for
 * example the binding is closed, or the server could not be reached).
 */
public final class NotDeliveredException extends RpcException {

  /**
   * An exception with {@code message}.
   *
   * @param message what failed, naming the call
   */
  public NotDeliveredException(String message) {
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
