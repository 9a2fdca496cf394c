package dev.nucleus.system;

import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.NotPermittedException;
import dev.nucleus.rpc.ServiceDescriptor;
import java.time.Duration;
import java.util.List;

/**
 * A component's view of its system, handed to {@link Component#run}: its name and arguments, the
 * services it exports and imports, and the events of the drivers it owns. The same interface
 * serves a component in a thread space and one in a process space.
 *
 * <p>Thread-safe: any thread of the component may use it.
 */
public interface ComponentContext {

  /**
   * The component's name in the descriptor.
   *
   * @return the name
   */
  String name();

  /**
   * The descriptor's {@code args} of this component.
   *
   * @return the arguments, unmodifiable
   */
  List<String> args();

  /**
   * The component's space: its own thread space in the root JVM, or the space of its process.
   *
   * @return the space
   */
  Space space();

  /**
   * Exports {@code implementation} as the service the descriptor lets this component provide
   * under {@code name}: a pool of the descriptor's {@code server-threads} platform threads in
   * this space serves it until the component ends. Once every provided name is exported the
   * component is ready, and the name server hands the export to the importers the descriptor
   * routes to it. Does not block on IPC.
   *
   * @param <T> the service interface
   * @param name a name in the component's {@code provides}
   * @param service the service's descriptor ({@code Foo_Service.INSTANCE})
   * @param implementation what serves the calls
   * @throws IllegalArgumentException if {@code name} is not in {@code provides}, or is exported
   *     already
   */
  <T> void export(String name, ServiceDescriptor<T> service, T implementation);

  /**
   * As {@link #bind(String, ServiceDescriptor, Rebind)} with {@link Rebind#FAIL_FAST}.
   *
   * @param <T> the service interface
   * @param name a name in the component's {@code imports}
   * @param service the importer's descriptor of the service
   * @return the proxy
   * @throws NotPermittedException if {@code name} is not one of this component's imports
   * @throws dev.nucleus.rpc.RpcException if the service is not ready within the default deadline
   */
  <T> T bind(String name, ServiceDescriptor<T> service);

  /**
   * A proxy to the service imported as {@code name}, at whatever distance its provider runs.
   * Waits, up to {@link #BIND_TIMEOUT}, while the provider is starting or restarting. The proxy
   * re-binds by itself after the provider restarts: the call after the restart goes to the new
   * instance. {@code rebind} says what a call does meanwhile.
   *
   * @param <T> the service interface
   * @param name a name in the component's {@code imports}
   * @param service the importer's descriptor of the service
   * @param rebind what a call does while the provider is down
   * @return the proxy, thread-safe
   * @throws NotPermittedException if {@code name} is not one of this component's imports (its
   *     routes are its capabilities)
   * @throws dev.nucleus.rpc.RpcException if the service is not ready within
   *     {@link #BIND_TIMEOUT}, or is another service than {@code service}
   */
  <T> T bind(String name, ServiceDescriptor<T> service, Rebind rebind);

  /**
   * Death notification, as Binder's linkToDeath: {@code listener} runs each time the provider of
   * the import {@code name} dies or is stopped (its instance ends; a restart follows if its policy
   * says so). It runs on a thread of the context's own, one notification at a time, soon after the
   * supervisor learned of the death; a listener that throws is logged and kept. Proxies need no
   * listener to re-bind: this is for state that must be rebuilt (a subscription, a session).
   *
   * @param name a name in the component's {@code imports}
   * @param listener what to run
   * @throws NotPermittedException if {@code name} is not one of this component's imports
   */
  void onDeath(String name, Runnable listener);

  /**
   * Waits for the next event of a driver this component owns: each timer period, signal or
   * readiness arrives as an interrupt message to the component, and this returns it, already
   * acknowledged. Blocks up to {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return the event, or null if none came in time
   * @throws InterruptedException if the component is stopped while waiting
   */
  DriverEvent awaitDriver(Duration timeout) throws InterruptedException;

  /** How long {@link #bind} waits for a service that is not ready yet: 30 s. */
  Duration BIND_TIMEOUT = Duration.ofSeconds(30);

  /** What a call through an imported proxy does while the service's provider is down. */
  enum Rebind {
    /**
     * Fails at once with a typed {@link dev.nucleus.rpc.RpcException} (peer dead, not delivered);
     * the next call after the restart goes to the new instance.
     */
    FAIL_FAST,
    /**
     * A call that was not delivered waits, up to its deadline, for the new instance and goes to
     * it. A call that was delivered before the provider died still fails (reply lost: the old
     * instance may have acted), as sending it again could do it twice.
     */
    WAIT
  }
}
