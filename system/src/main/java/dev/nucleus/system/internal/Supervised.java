package dev.nucleus.system.internal;

import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.RpcRelay;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.system.ComponentSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A component as the supervisor keeps it across its instances: its spec, its gate (a thread space
 * of the root that outlives the instances: the peer of a process component, the home of its
 * relays, its driver relay and, for a process, the {@link Names} server it asks), the current
 * instance, and its figures. Fields are guarded by the runtime's lock unless volatile.
 */
final class Supervised {

  final ComponentSpec spec;
  /** Its place in the start order. */
  final int order;
  Space gate;
  DriverRelay drivers;
  /** A process component's Names server, in its gate. */
  RpcServer namesExport;
  /** A process provider's relays, in its gate, for the thread components that import its services. */
  final Map<String, RpcRelay> providedRelays = new HashMap<>();
  /** A process importer's relays, in its gate, to the thread components that provide its imports. */
  final Map<String, RpcRelay> importRelays = new HashMap<>();
  volatile Instance instance;
  volatile String state = "stopped";
  volatile long restarts;
  volatile Instant since = Instant.now();
  /** Restarts in a row without a period of calm: the backoff's exponent. */
  int consecutive;
  long lastRestartNanos;

  Supervised(ComponentSpec spec, int order) {
    this.spec = spec;
    this.order = order;
  }

  boolean isProcess() {
    return spec.isolation() == dev.nucleus.system.Isolation.PROCESS;
  }

  @Override
  public String toString() {
    return spec.name();
  }
}
