package dev.nucleus.rpc;

import java.util.List;

/**
 * What the processor knows about a {@link Service} interface {@code T}: its name and id, its
 * methods, and factories for its proxy and adapter. Implemented by the generated
 * {@code Foo_Service} (one instance, {@code Foo_Service.INSTANCE}); transports use it to bind
 * clients and export servers.
 *
 * <p>Implementations are immutable and thread-safe.
 *
 * @param <T> the service interface
 */
public interface ServiceDescriptor<T> {

  /**
   * The service's name ({@link Service#name()}, or the interface's simple name).
   *
   * @return the name
   */
  String name();

  /**
   * The service's id.
   *
   * @return {@link MethodIds#serviceId MethodIds.serviceId(name())}
   */
  int id();

  /**
   * The service interface.
   *
   * @return the interface the proxy implements and the adapter calls
   */
  Class<T> type();

  /**
   * The remote methods, in declaration order: for diagnostics and tools.
   *
   * @return an immutable list
   */
  List<MethodDescriptor> methods();

  /**
   * The method with {@code id}, for diagnostics (the call path switches on the id instead).
   *
   * @param id a method id
   * @return the method, or null if this version of the service has none with that id
   */
  default MethodDescriptor method(int id) {
    for (final MethodDescriptor m : methods()) {
      if (m.id() == id) {
        return m;
      }
    }
    return null;
  }

  /**
   * A client proxy that calls through {@code binding}.
   *
   * @param binding the transport to the server
   * @return a new {@code Foo_Proxy}; as thread-safe as the binding (every binding in this module
   *     is)
   * @throws NullPointerException if {@code binding} is null
   */
  T newProxy(Binding binding);

  /**
   * A server adapter that calls {@code implementation}.
   *
   * @param implementation the service's implementation
   * @return a new {@code Foo_Adapter}
   * @throws NullPointerException if {@code implementation} is null
   */
  Dispatcher newAdapter(T implementation);
}
