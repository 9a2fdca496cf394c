package dev.nucleus.rpc;

import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.internal.LocalBindingCore;
import java.time.Duration;
import java.util.Objects;

/**
 * The in-space transport: client and server in the same space, the adapter called directly on
 * the client's thread. The proxy still marshals every argument onto a frame and the adapter reads
 * it back, so every rule holds as it does across spaces:
 *
 * <ul>
 *   <li><b>copy semantics</b>: the server gets copies (and read-only views of ByteBuffer and
 *       MemorySegment arguments, valid for the call only), the client gets copies of the result;
 *   <li><b>exceptions</b>: declared ones rethrown with type and message, undeclared ones as
 *       {@link RemoteFailureException}, an unknown method as {@link UnknownMethodException}, a
 *       closed binding as {@link NotDeliveredException};
 *   <li><b>deadlines</b>: a call whose deadline has passed before dispatch fails with
 *       {@link DeadlineExceededException} in the SEND phase (the implementation is never
 *       interrupted: a local call that has started runs to its end);
 *   <li><b>identity</b>: {@link ServerCall#current()} reports the binding's space, thread
 *       {@link dev.nucleus.kernel.ThreadId#NIL} (the caller is a plain thread of the space) and
 *       pid 0;
 *   <li><b>one-way</b>: returns when the implementation has run; a failure there is logged
 *       (System.Logger {@code dev.nucleus.rpc.LocalBinding}, WARNING), not thrown.
 * </ul>
 *
 * <p>Each call takes a slot of preallocated request and reply stacks (LRPC's A-stacks), reused:
 * a call with primitive arguments and result allocates nothing. Larger values grow the frame into
 * memory freed at the end of the call, so there is no size cliff.
 *
 * <p>Thread-safety: any number of threads may call through one binding at once, and an
 * implementation may call local services from inside a call.
 */
public final class LocalBinding implements Binding, AutoCloseable {

  /** The default timeout of a call when none is given: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** The default size of each request and reply stack: 4 KiB. */
  public static final int DEFAULT_STACK_BYTES = 4096;

  private final LocalBindingCore core;
  private final String service;

  private LocalBinding(LocalBindingCore core, String service) {
    this.core = core;
    this.service = service;
  }

  /**
   * A binding to {@code server}, with the default timeout and stacks.
   *
   * @param space the space client and server live in, reported as the caller's
   * @param server the adapter of the implementation
   * @return the binding
   */
  public static LocalBinding create(Space space, Dispatcher server) {
    return create(space, server, DEFAULT_TIMEOUT, DEFAULT_STACK_BYTES);
  }

  /**
   * A binding to {@code server}.
   *
   * @param space the space client and server live in, reported as the caller's
   * @param server the adapter of the implementation
   * @param defaultTimeout the deadline of a call, from its start, when no {@link Deadlines#within}
   *     gives one; null for none
   * @param stackBytes the size of each preallocated request and reply stack, at least 8
   * @return the binding
   * @throws IllegalArgumentException if {@code defaultTimeout} is negative or {@code stackBytes}
   *     below 8
   */
  public static LocalBinding create(Space space, Dispatcher server, Duration defaultTimeout, int stackBytes) {
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(server, "server");
    if (stackBytes < 8) {
      throw new IllegalArgumentException("stacks must hold at least 8 bytes, got " + stackBytes);
    }
    final long timeout = defaultTimeout == null ? Timeout.NEVER : Timeout.relative(defaultTimeout);
    return new LocalBinding(new LocalBindingCore(server, space.number(), timeout, stackBytes),
        server.service().name());
  }

  /**
   * Binds {@code implementation} in {@code space} and returns a proxy to it: the shortest way to a
   * local call.
   *
   * @param <T> the service interface
   * @param space the space client and server live in
   * @param service the service's descriptor ({@code Foo_Service.INSTANCE})
   * @param implementation the implementation
   * @return a proxy that calls {@code implementation} through a new binding
   */
  public static <T> T connect(Space space, ServiceDescriptor<T> service, T implementation) {
    return create(space, service.newAdapter(implementation)).proxy(service);
  }

  /**
   * A proxy that calls through this binding. The client's version of the service may differ from
   * the server's (methods added or removed), not its name.
   *
   * @param <T> the client's service interface
   * @param client the client's descriptor of the service
   * @return the proxy
   * @throws IllegalArgumentException if the client's service has another name than the server's
   */
  public <T> T proxy(ServiceDescriptor<T> client) {
    if (!client.name().equals(service)) {
      throw new IllegalArgumentException("a proxy of service " + client.name() + " cannot call service " + service);
    }
    return client.newProxy(this);
  }

  @Override
  public ClientCall begin(MethodDescriptor method) {
    return core.take(method);
  }

  /**
   * How many call slots the binding holds: the most calls that were in flight at once.
   *
   * @return the number of slots
   */
  public int slots() {
    return core.slots();
  }

  /**
   * Refuses further calls ({@link NotDeliveredException}); calls in flight finish. The stacks are
   * freed once the binding is unreachable.
   */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return "LocalBinding[" + service + "]";
  }
}
