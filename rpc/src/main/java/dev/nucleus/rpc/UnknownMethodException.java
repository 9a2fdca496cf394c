package dev.nucleus.rpc;

/**
 * The server does not have the method called: typically a newer client calling a method an older
 * server does not know. The request was delivered and nothing ran.
 */
public final class UnknownMethodException extends RpcException {

  /** The service called. */
  private final String service;
  /** The method id the server does not know. */
  private final int methodId;

  /**
   * An exception for a method the server does not have.
   *
   * @param service the service's name
   * @param methodId the id called
   * @param method the method's name and signature as the client knows it, e.g.
   *     {@code describe()Ljava/lang/String;}, or null if unknown
   */
  public UnknownMethodException(String service, int methodId, String method) {
    super("service " + service + " has no method " + MethodIds.toString(methodId)
        + (method == null ? "" : " (" + method + ")") + " at the server; nothing ran");
    this.service = service;
    this.methodId = methodId;
  }

  /**
   * The service called.
   *
   * @return its name
   */
  public String service() {
    return service;
  }

  /**
   * The method id the server does not know.
   *
   * @return the id
   */
  public int methodId() {
    return methodId;
  }

  /**
   * {@return true: the request reached the server, which ran nothing}
   */
  @Override
  public boolean delivered() {
    return true;
  }
}
