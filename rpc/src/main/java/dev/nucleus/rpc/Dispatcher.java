package dev.nucleus.rpc;

/**
 * The server side of a service: reads a request, calls the implementation, writes the reply.
 * Implemented by the generated {@code Foo_Adapter}; a transport calls it through
 * {@link ServerCall#serve(Dispatcher)}, which turns its exceptions into the call's outcome.
 *
 * <p>The generated {@link #dispatch} switches on the method id (no lookup, no reflection), and for
 * a known method: gets the arguments from {@link ServerCall#request()}, calls
 * {@link ServerCall#argumentsRead()}, calls the implementation, and puts the result on
 * {@link ServerCall#reply()}. A declared exception is caught and reported with
 * {@link ServerCall#fail(int, String)}; anything else propagates.
 *
 * <p>Thread-safety: an adapter has no state of its own; it is as thread-safe as the
 * implementation it calls.
 */
public interface Dispatcher {

  /**
   * The service this adapter serves.
   *
   * @return its descriptor
   */
  ServiceDescriptor<?> service();

  /**
   * Serves one call of method {@code methodId}.
   *
   * @param methodId the method id the client called
   * @param call the request, the reply and the call's context
   * @return true if this adapter has the method (it ran, or its arguments were malformed);
   *     false if it has none with that id (nothing was read and nothing ran)
   * @throws MalformedFrameException if the request is malformed (before the implementation runs)
   * @throws RuntimeException anything the implementation threw that the method does not declare,
   *     or a failure to write the reply
   */
  boolean dispatch(int methodId, ServerCall call);
}
