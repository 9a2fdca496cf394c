package dev.nucleus.rpc;

/**
 * The implementation threw an exception its method does not declare. The server reported the
 * exception's class name and message and went on serving; the stack trace stays at the server.
 */
public final class RemoteFailureException extends RpcException {

  /** The class name of the server's exception. */
  private final String remoteClass;
  /** Its message, or null. */
  private final String remoteMessage;

  /**
   * An exception for an undeclared failure at the server.
   *
   * @param call what was called, e.g. {@code KeyValue.get(J)J}
   * @param remoteClass the class name of the server's exception
   * @param remoteMessage its message, or null
   */
  public RemoteFailureException(String call, String remoteClass, String remoteMessage) {
    super(call + " failed at the server: " + remoteClass + (remoteMessage == null ? "" : ": " + remoteMessage));
    this.remoteClass = remoteClass;
    this.remoteMessage = remoteMessage;
  }

  /**
   * The class name of the exception the implementation threw.
   *
   * @return a binary class name, e.g. {@code java.lang.IllegalStateException}
   */
  public String remoteClass() {
    return remoteClass;
  }

  /**
   * The message of the exception the implementation threw.
   *
   * @return the message, or null if it had none
   */
  public String remoteMessage() {
    return remoteMessage;
  }

  /**
   * {@return true: the implementation ran}
   */
  @Override
  public boolean delivered() {
    return true;
  }
}
