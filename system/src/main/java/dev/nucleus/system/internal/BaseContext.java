package dev.nucleus.system.internal;

import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.NotDeliveredException;
import dev.nucleus.rpc.NotPermittedException;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.rpc.ServerLocator;
import dev.nucleus.rpc.ServiceDescriptor;
import dev.nucleus.system.ComponentContext;
import dev.nucleus.system.DriverEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a component's context does the same in a thread space and in a process space: checks
 * exports against {@code provides} and imports against {@code imports} (the routes are the
 * component's capabilities), makes the server pools and the re-binding proxies, and keeps the
 * driver inbox. Where an import is found and what happens on export is the subclass's.
 */
abstract class BaseContext implements ComponentContext {

  private final String name;
  private final List<String> args;
  private final Space space;
  private final int serverThreads;
  private final Set<String> provides;
  private final Set<String> imports;
  private final Map<String, RpcServer> exports = new ConcurrentHashMap<>();
  private final List<KernelBinding> bindings = new CopyOnWriteArrayList<>();
  private final DriverInbox inbox;
  private final Map<String, List<Runnable>> deathListeners = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private static final System.Logger LOG = System.getLogger(BaseContext.class.getName());
  /** How long one wait for a death lasts before the watcher looks whether it should stop. */
  private static final Duration DEATH_POLL = Duration.ofSeconds(10);

  BaseContext(String name, List<String> args, Space space, int serverThreads, List<String> provides,
      List<String> imports, List<String> drivers) {
    this.name = name;
    this.args = List.copyOf(args);
    this.space = space;
    this.serverThreads = serverThreads;
    this.provides = Set.copyOf(provides);
    this.imports = Set.copyOf(imports);
    this.inbox = drivers.isEmpty() ? null : new DriverInbox(space, drivers);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final List<String> args() {
    return args;
  }

  @Override
  public final Space space() {
    return space;
  }

  @Override
  public final <T> void export(String service, ServiceDescriptor<T> descriptor, T implementation) {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(implementation, "implementation");
    if (!provides.contains(service)) {
      throw new IllegalArgumentException("component " + name + " does not provide '" + service
          + "' (its provides: " + provides + ")");
    }
    synchronized (exports) {
      if (exports.containsKey(service)) {
        throw new IllegalArgumentException("component " + name + " has exported '" + service + "' already");
      }
      final RpcServer server = RpcServer.export(space, descriptor, implementation, serverThreads);
      exports.put(service, server);
      exported(service, server);
    }
  }

  /** Tells the root about a new export (its id, in this space). */
  abstract void exported(String service, RpcServer server);

  @Override
  public final <T> T bind(String service, ServiceDescriptor<T> descriptor) {
    return bind(service, descriptor, Rebind.FAIL_FAST);
  }

  @Override
  public final <T> T bind(String service, ServiceDescriptor<T> descriptor, Rebind rebind) {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(rebind, "rebind");
    checkImported(service);
    final ServerLocator locator = locator(service);
    final long up;
    try {
      up = locator.awaitServer(ThreadId.NIL, Timeout.now() + BIND_TIMEOUT.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotDeliveredException("interrupted while waiting for service '" + service + "'");
    }
    if (up == ThreadId.NIL) {
      throw new NotDeliveredException("service '" + service + "' was not up within " + BIND_TIMEOUT);
    }
    final KernelBinding binding = KernelBinding.located(space, locator, descriptor, KernelBinding.DEFAULT_TIMEOUT,
        rebind == Rebind.WAIT);
    bindings.add(binding);
    return binding.proxy(descriptor);
  }

  /** Refuses a name outside the component's imports: its routes are its capabilities. */
  private void checkImported(String service) {
    if (!imports.contains(service)) {
      throw new NotPermittedException("component " + name + " may not import '" + service + "' (its imports: "
          + imports + ")");
    }
  }

  /** Where the service imported as {@code service} is, as this space reaches it. */
  abstract ServerLocator locator(String service);

  @Override
  public final void onDeath(String service, Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    checkImported(service);
    final List<Runnable> listeners = deathListeners.computeIfAbsent(service, s -> {
      final List<Runnable> list = new CopyOnWriteArrayList<>();
      final long known = deaths(s, -1, 0);
      Thread.ofPlatform().daemon().name("nucleus-death-" + s).start(() -> watchDeaths(s, known, list));
      return list;
    });
    listeners.add(listener);
  }

  private void watchDeaths(String service, long known, List<Runnable> listeners) {
    long seen = known;
    while (!closed) {
      final long now;
      try {
        now = deaths(service, seen, DEATH_POLL.toNanos());
      } catch (RuntimeException e) {
        return; // the root has gone: so has this component
      }
      if (now > seen) {
        seen = now;
        for (Runnable r : listeners) {
          try {
            r.run();
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a death listener of " + name + " for '" + service + "' failed", e);
          }
        }
      }
    }
  }

  /**
   * The number of deaths of {@code service}'s provider, once more than {@code seen} (or after
   * {@code waitNanos}); with {@code seen} -1 and no wait, the count now.
   */
  abstract long deaths(String service, long seen, long waitNanos);

  @Override
  public final DriverEvent awaitDriver(Duration timeout) throws InterruptedException {
    if (inbox == null) {
      throw new IllegalStateException("component " + name + " owns no driver");
    }
    return inbox.await(timeout);
  }

  /** The inbox's id, or NIL if the component owns no driver. */
  final long driverInbox() {
    return inbox == null ? ThreadId.NIL : inbox.id();
  }

  /** Requests served by the component's exports, in all. */
  final long callsServed() {
    long n = 0;
    for (RpcServer s : exports.values()) {
      n += s.callsServed();
    }
    return n;
  }

  /** Closes the component's bindings and exports. */
  final void closeAll() {
    closed = true;
    for (KernelBinding b : bindings) {
      b.close();
    }
    for (RpcServer s : exports.values()) {
      s.close();
    }
  }
}
