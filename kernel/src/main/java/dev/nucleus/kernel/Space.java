package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.Rendezvous;
import dev.nucleus.kernel.internal.ipc.SpaceTables;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An address space: a unit of isolation holding IPC threads and endpoints. This is a
 * <em>thread space</em>: its threads run in this JVM, isolated by software only (no CPU or memory
 * isolation). A space ends when {@link #end()} is called or when one of its threads throws an
 * uncaught exception: then all its ids become stale and every IPC blocked on one of its threads
 * fails with PEER_DEAD.
 *
 * <p>Thread-safe.
 */
public final class Space {

  /** The code a spawned IPC thread runs; returning ends the thread, throwing ends the space. */
  @FunctionalInterface
  public interface Body {
    void run(IpcThread self) throws Exception;
  }

  private final ThreadRegistry registry;
  /** The root kernel; null in a process space, whose code has no access to root operations. */
  private final Kernel kernel;
  private final int number;
  private final String name;
  /** The engine side: this space's port tables and routes. */
  final SpaceTables tables;
  private final List<Thread> javaThreads = new CopyOnWriteArrayList<>();
  private final AtomicBoolean alive = new AtomicBoolean(true);
  private volatile Throwable failure;

  Space(ThreadRegistry registry, Kernel kernel, int number, String name, Rendezvous home) {
    this.registry = registry;
    this.kernel = kernel;
    this.number = number;
    this.name = name;
    this.tables = new SpaceTables(registry.lock, number, registry.config.maxSpaces(), home);
  }

  /** The space number encoded in its threads' ids. */
  public int number() {
    return number;
  }

  public String name() {
    return name;
  }

  public Kernel kernel() {
    if (kernel == null) {
      throw new IllegalStateException(this + " is a process space: its code has no access to the root kernel;"
          + " spaces and channels are created by the root task");
    }
    return kernel;
  }

  /** The root kernel, or null in a process space. */
  Kernel kernelOrNull() {
    return kernel;
  }

  public boolean isAlive() {
    return alive.get();
  }

  /** The uncaught exception that ended this space, or null. */
  public Throwable failure() {
    return failure;
  }

  /** The IPC threads currently in this space. */
  public List<IpcThread> threads() {
    return registry.threads(this);
  }

  /** {@link #spawn(String, WaitStrategy, Body)} with the kernel's default wait strategy. */
  public IpcThread spawn(String name, Body body) {
    return spawn(name, registry.config.waitStrategy(), body);
  }

  /**
   * Starts a new IPC thread running {@code body} on a new Java thread. Its id is valid (others may
   * address it) when this method returns. Throws IllegalStateException if the space has ended or
   * the kernel's thread table is full.
   */
  public IpcThread spawn(String name, WaitStrategy wait, Body body) {
    final IpcThread self = registry.createThread(this, name, wait);
    final Thread t = Thread.ofPlatform().daemon().name(this.name + "/" + name).unstarted(() -> run(self, body));
    self.bindOwner(t);
    registry.sleeper.bind(self.engine.index, t);
    javaThreads.add(t);
    t.start();
    return self;
  }

  /**
   * Makes the calling Java thread an IPC thread of this space, until {@link IpcThread#close()}.
   * For tests, main threads and adapters.
   */
  public IpcThread attach(String name, WaitStrategy wait) {
    final IpcThread self = registry.createThread(this, name, wait);
    self.bindOwner(Thread.currentThread());
    registry.sleeper.bind(self.engine.index, Thread.currentThread());
    return self;
  }

  /** {@link #attach(String, WaitStrategy)} with the kernel's default wait strategy. */
  public IpcThread attach(String name) {
    return attach(name, registry.config.waitStrategy());
  }

  /** Creates an endpoint owned by this space. */
  public Endpoint createEndpoint(String name) {
    return registry.createEndpoint(this, name);
  }

  /** The endpoints this space owns. */
  public List<Endpoint> endpoints() {
    return registry.endpoints(this);
  }

  private void run(IpcThread self, Body body) {
    try {
      body.run(self);
      registry.exitThread(self);
    } catch (Throwable t) {
      fail(t);
    } finally {
      self.release();
    }
  }

  /** Ends the space because of {@code cause} (an uncaught exception of one of its threads). */
  void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    end();
  }

  /**
   * Ends the space: its threads' ids and its endpoints become stale, IPC blocked on them fails
   * with PEER_DEAD, and its own threads' IPC returns CLOSED (they are interrupted too). Does not
   * wait for its Java threads to finish; see {@link #awaitTermination}. Idempotent.
   */
  public void end() {
    if (!alive.compareAndSet(true, false)) {
      return;
    }
    registry.retireAll(this);
    if (kernel != null) {
      kernel.spaceEnded(this);
    }
    registry.wakeAllSleepers();
    for (Thread t : javaThreads) {
      if (t != Thread.currentThread()) {
        t.interrupt();
      }
    }
  }

  /** Waits until every Java thread spawned in this space has finished; false on timeout. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : javaThreads) {
      final long left = deadline - System.nanoTime();
      if (left <= 0 || !t.join(Duration.ofNanos(left))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "space " + number + " (" + name + (isAlive() ? "" : ", ended") + ")";
  }
}
