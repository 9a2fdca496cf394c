package dev.nucleus.system.internal;

import dev.nucleus.kernel.InterruptSource;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.RpcRelay;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.rpc.ServerLocator;
import dev.nucleus.system.Component;
import dev.nucleus.system.ComponentSpec;
import dev.nucleus.system.DriverSpec;
import dev.nucleus.system.GroupSpec;
import dev.nucleus.system.Isolation;
import dev.nucleus.system.RestartPolicy;
import dev.nucleus.system.SystemDescriptor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The root task at work: boots the components of a descriptor in start order, keeps the name
 * server (which service is up, at which id, reachable how from each importer), supervises the
 * instances and restarts them as their policy says, and stops everything in reverse order.
 *
 * <p>Every change of an instance's life (start, death, restart, stop) runs on the supervisor's
 * one thread, so those never race; the name server's state is guarded by this object's monitor,
 * on which importers wait for a service to come up.
 */
public final class SystemRuntime implements AutoCloseable {

  /** Exit code: the system was stopped. */
  public static final int STOPPED = 0;
  /** Exit code: a component did not start at boot. */
  public static final int BOOT_FAILED = 2;
  /** Exit code: a group exceeded its restart intensity. */
  public static final int ESCALATED = 3;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** A provided service as the name server keeps it. */
  private static final class Entry {
    final Supervised provider;
    volatile long directId = ThreadId.NIL;
    volatile boolean up;
    /** How many times an up instance of the provider has gone down: for death notification. */
    volatile long deaths;

    Entry(Supervised provider) {
      this.provider = provider;
    }
  }

  private final SystemDescriptor descriptor;
  private final Kernel kernel;
  private final Consumer<String> log;
  private final Map<String, Supervised> components = new LinkedHashMap<>();
  private final Map<String, Entry> services = new HashMap<>();
  private final Map<String, Deque<Long>> restartLog = new HashMap<>();
  private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("nucleus-supervisor").unstarted(r));
  private final CompletableFuture<Integer> end = new CompletableFuture<>();
  private final Instant started = Instant.now();
  private volatile boolean stopping;
  private volatile String endMessage = "";

  private SystemRuntime(SystemDescriptor descriptor, Kernel kernel, Consumer<String> log) {
    this.descriptor = descriptor;
    this.kernel = kernel;
    this.log = log;
    int order = 0;
    for (ComponentSpec c : descriptor.components()) {
      final Supervised s = new Supervised(c, order++);
      components.put(c.name(), s);
      for (String service : c.provides()) {
        services.put(service, new Entry(s));
      }
    }
  }

  /**
   * Boots the system: a kernel, each component's gate, then each component in start order, each
   * waited for until it has exported what it provides.
   *
   * @param descriptor the system
   * @param log where lines about the system's life go (starts, deaths, restarts, escalation)
   * @return the running system
   * @throws IllegalStateException if a component does not start (everything started is stopped)
   * @throws InterruptedException if interrupted while booting
   */
  public static SystemRuntime boot(SystemDescriptor descriptor, Consumer<String> log) throws InterruptedException {
    final Kernel kernel = Kernel.create();
    final SystemRuntime rt = new SystemRuntime(descriptor, kernel, log);
    try {
      rt.onSupervisor(() -> {
        rt.makeGates();
        for (Supervised s : rt.components.values()) {
          rt.start(s);
          if (!rt.awaitReady(s)) {
            throw new IllegalStateException("component " + s + " did not start: " + s.state);
          }
        }
        return null;
      });
    } catch (RuntimeException | InterruptedException e) {
      rt.close();
      throw e;
    }
    return rt;
  }

  // --- the name server -------------------------------------------------------------------

  /** The id that importer {@code i} calls for {@code service} now, or NIL if it cannot yet. */
  private long route(Supervised i, String service) {
    final Entry e = services.get(service);
    if (e == null || !e.up) {
      return ThreadId.NIL;
    }
    final Supervised p = e.provider;
    if (!i.isProcess()) {
      return p.isProcess() ? p.providedRelays.get(service).id() : e.directId;
    }
    if (!p.isProcess()) {
      return i.importRelays.get(service).id();
    }
    final Instance mine = i.instance;
    return mine != null && mine.connected.contains(p.instance) ? e.directId : ThreadId.NIL;
  }

  /** Waits until {@code service} is routable for {@code importer}; NIL at the deadline. */
  synchronized long awaitRoute(Supervised importer, String service, long deadline) throws InterruptedException {
    long id;
    while ((id = route(importer, service)) == ThreadId.NIL) {
      final long left = Deadlines.remainingNanos(deadline);
      if (left == 0) {
        return ThreadId.NIL;
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, 100_000_000L));
    }
    return id;
  }

  /** Waits until {@code service}'s provider has died more than {@code seen} times; the count then, or at the deadline. */
  synchronized long awaitDeaths(String service, long seen, long deadline) throws InterruptedException {
    final Entry e = services.get(service);
    while (e.deaths <= seen) {
      final long left = Deadlines.remainingNanos(deadline);
      if (left == 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, 100_000_000L));
    }
    return e.deaths;
  }

  /** Where a thread component finds its import {@code service}. */
  ServerLocator locator(Supervised importer, String service) {
    return new ServerLocator() {
      @Override
      public long server() {
        synchronized (SystemRuntime.this) {
          return route(importer, service);
        }
      }

      @Override
      public long awaitServer(long failed, long deadline) throws InterruptedException {
        return awaitRoute(importer, service, deadline);
      }
    };
  }

  /** An instance exported a provided service: it is up for its importers. */
  void exported(Instance instance, String service, long id) {
    synchronized (this) {
      final Entry e = services.get(service);
      if (e == null || instance.owner().instance != instance || instance.stopping) {
        return;
      }
      e.directId = id;
      e.up = true;
      if (instance.exportedOne()) {
        instance.owner().state = "running";
      }
      notifyAll();
    }
  }

  /** The provider's services are down: importers' calls fail or wait, as each import chose. */
  private synchronized void down(Supervised provider) {
    for (String service : provider.spec.provides()) {
      final Entry e = services.get(service);
      if (e.up) {
        e.deaths++;
      }
      e.up = false;
      e.directId = ThreadId.NIL;
    }
    notifyAll();
  }

  // --- starting --------------------------------------------------------------------------

  private void makeGates() throws InterruptedException {
    for (Supervised s : components.values()) {
      s.gate = kernel.createSpace(s.spec.name() + ".gate");
      final List<DriverSpec> drivers = driversOf(s);
      if (!drivers.isEmpty()) {
        final List<InterruptSource> sources = new ArrayList<>();
        for (DriverSpec d : drivers) {
          sources.add(DriverSources.of(d));
        }
        s.drivers = new DriverRelay(kernel, s.gate, s.spec.name(), drivers.stream().map(DriverSpec::name).toList(), sources);
      }
    }
    for (Supervised s : components.values()) {
      if (!s.isProcess()) {
        continue;
      }
      s.namesExport = RpcServer.export(s.gate, Names_Service.INSTANCE, new NamesServer(this, s), 4);
      for (String service : s.spec.imports()) {
        final Entry e = services.get(service);
        if (!e.provider.isProcess()) {
          s.importRelays.put(service, RpcRelay.start(s.gate, service, Math.max(2, e.provider.spec.serverThreads()),
              () -> e.up ? e.directId : ThreadId.NIL));
        }
      }
      for (String service : s.spec.provides()) {
        final Entry e = services.get(service);
        if (importers(service).stream().anyMatch(i -> !i.isProcess())) {
          s.providedRelays.put(service, RpcRelay.start(s.gate, service, s.spec.serverThreads(),
              () -> e.up ? e.directId : ThreadId.NIL));
        }
      }
    }
  }

  private List<DriverSpec> driversOf(Supervised s) {
    return descriptor.drivers().stream().filter(d -> d.component().equals(s.spec.name())).toList();
  }

  /** The words that say which importers a death notification goes to. */
  private String importersTold(Supervised provider) {
    final List<String> told = provider.spec.provides().stream().flatMap(svc -> importers(svc).stream())
        .map(Supervised::toString).distinct().toList();
    return told.isEmpty() ? "" : "; importers told: " + String.join(", ", told);
  }

  private List<Supervised> importers(String service) {
    return components.values().stream().filter(c -> c.spec.imports().contains(service)).toList();
  }

  private Supervised providerOf(String service) {
    return services.get(service).provider;
  }

  /** Starts a new instance of {@code s} (on the supervisor's thread); returns once it runs (not once ready). */
  private void start(Supervised s) {
    s.state = "starting";
    s.since = Instant.now();
    try {
      if (s.isProcess()) {
        startProcess(s);
      } else {
        startThread(s);
      }
    } catch (RuntimeException e) {
      s.state = "failed";
      log.accept("component " + s + " failed to start: " + e.getMessage());
      throw e;
    }
  }

  private void startThread(Supervised s) {
    final Space space = kernel.createSpace(s.spec.name());
    final ThreadInstance inst = new ThreadInstance(s, space);
    kernel.createChannel(space, s.gate);
    for (String service : s.spec.imports()) {
      final Supervised p = providerOf(service);
      if (p.isProcess()) {
        kernel.createChannel(space, p.gate);
      } else if (p.instance instanceof ThreadInstance t && !kernel.connected(space, t.space)) {
        kernel.createChannel(space, t.space);
      }
    }
    for (String service : s.spec.provides()) {
      for (Supervised i : importers(service)) {
        final Space from = i.isProcess() ? i.gate : i.instance instanceof ThreadInstance t ? t.space : null;
        if (from != null && !kernel.connected(from, space)) {
          kernel.createChannel(from, space);
        }
      }
    }
    final Component component = instantiate(s.spec.className());
    inst.context = new LocalContext(this, inst, space, driversOf(s).stream().map(DriverSpec::name).toList());
    inst.driverInbox = inst.context.driverInbox();
    s.instance = inst;
    if (s.drivers != null) {
      s.drivers.target(inst.driverInbox);
    }
    space.spawn("main", self -> {
      try {
        component.run(inst.context);
        onSupervisor(inst, false, "returned");
      } catch (Throwable t) {
        // When another thread's failure ended the space, this thread was interrupted: the failure
        // is the reason, not the interruption.
        final Throwable failure = space.failure();
        onSupervisor(inst, true, failure != null ? "its space ended: " + failure : t.toString());
      }
    });
    // Another thread of the space that fails ends the space (the kernel's rule): a crash too.
    Thread.ofPlatform().daemon().name("nucleus-watch-" + s.spec.name()).start(() -> {
      try {
        while (!space.awaitEnd(Duration.ofSeconds(60))) {
          // keep watching
        }
      } catch (InterruptedException e) {
        return;
      }
      final Throwable failure = space.failure();
      onSupervisor(inst, true, failure == null ? "its space ended" : "its space ended: " + failure);
    });
  }

  private void startProcess(Supervised s) {
    final ComponentSpec c = s.spec;
    final ProcessSpace ps = kernel.spawnProcessSpace(c.name(), ProcessHostMain.class, s.gate, c.jvmOptions(),
        ProcessHostMain.args(c.name(), c.className(), c.serverThreads(), c.provides(), c.imports(),
            driversOf(s).stream().map(DriverSpec::name).toList(), c.args()));
    final ProcessInstance inst = new ProcessInstance(s, ps);
    s.instance = inst;
    ps.offer(Names.NAME, s.namesExport.id());
    synchronized (this) {
      for (String service : c.imports()) {
        final Supervised p = providerOf(service);
        if (p.instance instanceof ProcessInstance q && !q.stopping) {
          connect(inst, q);
        }
      }
      for (String service : c.provides()) {
        for (Supervised i : importers(service)) {
          if (i.instance instanceof ProcessInstance q && !q.stopping) {
            connect(q, inst);
          }
        }
      }
      notifyAll();
    }
    Thread.ofPlatform().daemon().name("nucleus-exports-" + c.name()).start(() -> awaitExports(inst));
    Thread.ofPlatform().daemon().name("nucleus-watch-" + c.name()).start(() -> watch(inst));
  }

  /** Gives importer {@code i} a peer link to provider {@code p} (guarded by this monitor). */
  private void connect(ProcessInstance i, ProcessInstance p) {
    if (i.connected.contains(p)) {
      return;
    }
    try {
      kernel.connect(i.process, p.process);
      i.connected.add(p);
    } catch (RuntimeException e) {
      log.accept("could not connect " + i.owner() + " to " + p.owner() + ": " + e.getMessage());
    }
  }

  private void awaitExports(ProcessInstance inst) {
    try {
      if (!driversOf(inst.owner()).isEmpty()) {
        inst.driverInbox = inst.process.awaitPublished(RemoteContext.DRIVERS, START_TIMEOUT);
        if (inst.owner().instance == inst) {
          inst.owner().drivers.target(inst.driverInbox);
        }
      }
      for (String service : inst.owner().spec.provides()) {
        exported(inst, service, inst.process.awaitPublished(RemoteContext.EXPORT_PREFIX + service, START_TIMEOUT));
      }
    } catch (Exception e) {
      // The process ended or did not export in time: its watcher or the start's wait reports it.
    }
  }

  private void watch(ProcessInstance inst) {
    try {
      while (!inst.process.awaitExit(Duration.ofSeconds(60))) {
        // keep watching
      }
    } catch (InterruptedException e) {
      return;
    }
    final int code = inst.process.exitCode();
    onSupervisor(inst, code != 0, code == 0 ? "exited" : "exit code " + code);
  }

  private boolean awaitReady(Supervised s) throws InterruptedException {
    final Instance inst = s.instance;
    if (inst == null) {
      return false;
    }
    // Ready once it has exported what it provides; one that provides nothing is ready once it
    // runs, even if it has crashed since: that crash is the supervisor's (queued behind this).
    if (!inst.ready.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || !inst.exportedAll) {
      return false;
    }
    if (s.spec.provides().isEmpty()) {
      s.state = "running";
    }
    return true;
  }

  private static Component instantiate(String className) {
    try {
      final Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      return (Component) c.getConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("cannot make component class " + className + ": " + e, e);
    }
  }

  // --- supervision -----------------------------------------------------------------------

  /** An instance ended: handled on the supervisor's thread. */
  private void onSupervisor(Instance inst, boolean crashed, String why) {
    inst.ended = true;
    inst.ready.countDown();
    if (!supervisor.isShutdown()) {
      try {
        supervisor.execute(() -> ended(inst, crashed, why));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // stopping: nothing to supervise
      }
    }
  }

  private void ended(Instance inst, boolean crashed, String why) {
    final Supervised s = inst.owner();
    if (stopping || inst.stopping || s.instance != inst) {
      return;
    }
    log.accept("component " + s + " " + (crashed ? "crashed" : "ended") + " (" + why + ")" + importersTold(s));
    down(s);
    s.instance = null;
    if (s.drivers != null) {
      s.drivers.target(ThreadId.NIL);
    }
    inst.stop();
    final RestartPolicy policy = s.spec.restart();
    if (policy == RestartPolicy.TEMPORARY || (policy == RestartPolicy.TRANSIENT && !crashed)) {
      s.state = crashed ? "failed" : "stopped";
      return;
    }
    final GroupSpec group = descriptor.group(s.spec.group());
    if (!withinIntensity(group)) {
      escalate(group, s);
      return;
    }
    final List<Supervised> members = components.values().stream()
        .filter(c -> descriptor.group(c.spec.group()).name().equals(group.name())).toList();
    final List<Supervised> restart = switch (group.strategy()) {
      case ONE_FOR_ONE -> List.of(s);
      case ONE_FOR_ALL -> members;
      case REST_FOR_ONE -> members.stream().filter(c -> c.order >= s.order).toList();
    };
    for (Supervised c : restart.reversed()) {
      if (c != s && c.instance != null) {
        log.accept("stopping " + c + " (" + group.strategy().name().toLowerCase() + " with " + s + ")");
        stopInstance(c);
      }
    }
    for (Supervised c : restart) {
      c.state = "restarting";
    }
    final long delay = backoff(s).toNanos();
    supervisor.schedule(() -> restartAll(restart), delay, TimeUnit.NANOSECONDS);
  }

  private void restartAll(List<Supervised> restart) {
    for (Supervised c : restart) {
      if (stopping) {
        return;
      }
      if (c.instance != null) {
        continue;
      }
      c.restarts++;
      log.accept("restarting " + c + " (restart " + c.restarts + ")");
      try {
        start(c);
        awaitReady(c);
      } catch (RuntimeException e) {
        // A failed start counts like a crash.
        c.instance = null;
        final GroupSpec group = descriptor.group(c.spec.group());
        if (!withinIntensity(group)) {
          escalate(group, c);
          return;
        }
        supervisor.schedule(() -> restartAll(List.of(c)), backoff(c).toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Duration backoff(Supervised s) {
    final long now = System.nanoTime();
    final GroupSpec group = descriptor.group(s.spec.group());
    s.consecutive = now - s.lastRestartNanos > group.period().toNanos() ? 0 : s.consecutive + 1;
    s.lastRestartNanos = now;
    final Duration base = s.spec.backoff();
    if (base.isZero()) {
      return Duration.ZERO;
    }
    final Duration d = base.multipliedBy(1L << Math.min(s.consecutive, 20));
    return d.compareTo(s.spec.maxBackoff()) > 0 ? s.spec.maxBackoff() : d;
  }

  /** Records a restart of the group; false if it makes more than the intensity within the period. */
  private boolean withinIntensity(GroupSpec group) {
    final Deque<Long> times = restartLog.computeIfAbsent(group.name(), g -> new ArrayDeque<>());
    final long now = System.nanoTime();
    times.addLast(now);
    while (!times.isEmpty() && now - times.peekFirst() > group.period().toNanos()) {
      times.removeFirst();
    }
    return times.size() <= group.intensity();
  }

  private void escalate(GroupSpec group, Supervised s) {
    endMessage = "group '" + group.name() + "' exceeded its restart intensity (" + group.intensity() + " restarts in "
        + group.period() + ", last by " + s + "): stopping the group, then the system";
    log.accept(endMessage);
    final List<Supervised> all = new ArrayList<>(components.values());
    for (Supervised c : all.reversed()) {
      if (descriptor.group(c.spec.group()).name().equals(group.name())) {
        stopInstance(c);
      }
    }
    stopAll();
    end.complete(ESCALATED);
  }

  private void stopInstance(Supervised c) {
    final Instance inst = c.instance;
    c.state = "stopping";
    if (inst != null) {
      inst.stopping = true;
      down(c);
      c.instance = null;
      if (c.drivers != null) {
        c.drivers.target(ThreadId.NIL);
      }
      inst.stop();
    }
    c.state = "stopped";
  }

  private void stopAll() {
    stopping = true;
    final List<Supervised> all = new ArrayList<>(components.values());
    for (Supervised c : all.reversed()) {
      stopInstance(c);
    }
    for (Supervised c : all.reversed()) {
      if (c.drivers != null) {
        c.drivers.close();
      }
      c.providedRelays.values().forEach(RpcRelay::close);
      c.importRelays.values().forEach(RpcRelay::close);
      if (c.namesExport != null) {
        c.namesExport.close();
      }
    }
    kernel.close();
  }

  // --- the API of the root task --------------------------------------------------------------

  /**
   * Completes with the exit code when the system ends by itself: {@link #ESCALATED}.
   *
   * @return the future exit code
   */
  public CompletableFuture<Integer> end() {
    return end;
  }

  /**
   * Why the system ended by itself, or empty.
   *
   * @return the message
   */
  public String endMessage() {
    return endMessage;
  }

  /**
   * The descriptor the system runs.
   *
   * @return it
   */
  public SystemDescriptor descriptor() {
    return descriptor;
  }

  /**
   * The kernel.
   *
   * @return it
   */
  public Kernel kernel() {
    return kernel;
  }

  /**
   * When the system booted.
   *
   * @return the instant
   */
  public Instant started() {
    return started;
  }

  /** A component's state for the status segment and the status line. */
  public record ComponentView(String name, Isolation isolation, String state, int space, long pid, long restarts,
      long callsServed, Instant since, long[] threadIds, List<String> threadNames) {}

  /**
   * The components now, in start order.
   *
   * @return a snapshot
   */
  public List<ComponentView> components() {
    final List<ComponentView> views = new ArrayList<>();
    for (Supervised s : components.values()) {
      final Instance inst = s.instance;
      final Instance.Threads t = inst == null ? new Instance.Threads(new long[0], List.of()) : inst.threads();
      views.add(new ComponentView(s.spec.name(), s.spec.isolation(), s.state, inst == null ? -1 : inst.spaceNumber(),
          inst == null ? 0 : inst.pid(), s.restarts, inst == null ? 0 : inst.callsServed(), s.since, t.ids(), t.names()));
    }
    return views;
  }

  /**
   * Which component a space number belongs to now (its instance or its gate).
   *
   * @param space a space number
   * @return the component's name (with ".gate" for a gate), or null
   */
  public String componentOfSpace(int space) {
    for (Supervised s : components.values()) {
      final Instance inst = s.instance;
      if (inst != null && inst.spaceNumber() == space) {
        return s.spec.name();
      }
      if (s.gate != null && s.gate.number() == space) {
        return s.spec.name() + ".gate";
      }
    }
    return null;
  }

  /** What a process component reported through its Names server. */
  void reported(Supervised s, long calls, long[] ids, List<String> names) {
    if (s.instance instanceof ProcessInstance p) {
      p.reported(calls, ids, names);
    }
  }

  /** Whether {@code s} may import {@code service}. */
  static boolean imports(Supervised s, String service) {
    return s.spec.imports().contains(service);
  }

  private <T> T onSupervisor(java.util.concurrent.Callable<T> task) throws InterruptedException {
    try {
      return supervisor.submit(task).get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Stops every component in reverse start order, then the kernel. Blocks until done. Idempotent.
   */
  @Override
  public void close() {
    if (!end.isDone() || !stopping) {
      try {
        onSupervisor(() -> {
          if (!stopping) {
            stopAll();
          }
          return null;
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.accept("stopping: " + e.getMessage());
      }
    }
    supervisor.shutdownNow();
    end.complete(STOPPED);
  }
}
