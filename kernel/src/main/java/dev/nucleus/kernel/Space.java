package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.Rendezvous;
import dev.nucleus.kernel.internal.ipc.SpaceTables;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An address space: a unit of isolation holding IPC threads and endpoints. In the root this is a
 * <em>thread space</em> ({@link Kernel#createSpace}): its threads run in this JVM, isolated by
 * software only (no CPU or memory isolation). Inside a process space's JVM,
 * {@link ProcessContext#space()} is the process space seen from within: the same operations,
 * but no access to the root ({@link #kernel()} throws). A space ends when {@link #end()} is
 * called or when one of its threads throws an uncaught exception: then all its ids become stale
 * and every IPC blocked on one of its threads or endpoints fails with PEER_DEAD.
 *
 * <p>Thread-safe: every method may be called from any thread ({@link #attach} makes the calling
 * thread an IPC thread). Management operations take a private management lock briefly (the
 * kernel's, never this object's monitor); none blocks on IPC.
 */
public final class Space {

  /** The code a spawned IPC thread runs; returning ends the thread, throwing ends the space. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs on the new thread, which owns {@code self}.
     *
     * @param self the IPC thread this body runs as
     * @throws Exception any failure: it ends the whole space ({@link #failure()} holds it), as an
     *     uncaught exception would
     */
    void run(IpcThread self) throws Exception;
  }

  final ThreadRegistry registry;
  /** The root kernel; null in a process space, whose code has no access to root operations. */
  private final Kernel kernel;
  private final int number;
  private final String name;
  /** The engine side: this space's port tables and routes. */
  final SpaceTables tables;
  private final List<Thread> javaThreads = new CopyOnWriteArrayList<>();
  private final AtomicBoolean alive = new AtomicBoolean(true);
  /** Counted down once, when the space ends. */
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Throwable failure;

  Space(ThreadRegistry registry, Kernel kernel, int number, String name, Rendezvous home) {
    this.registry = registry;
    this.kernel = kernel;
    this.number = number;
    this.name = name;
    this.tables = new SpaceTables(registry.lock, number, registry.config.maxSpaces(), home);
  }

  /**
   * The space number encoded in its threads' ids. Fixed; thread-safe.
   *
   * @return the number, as {@link ThreadId#space} reads it from an id
   */
  public int number() {
    return number;
  }

  /**
   * The name given at creation, for tools and messages.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The root kernel that holds this space.
   *
   * @return the kernel
   * @throws IllegalStateException in a process space: its code has no access to the root
   *     kernel; spaces and channels are created by the root task
   */
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

  /**
   * Whether the space has not ended. Never blocks.
   *
   * @return false once {@link #end()} was called, a thread of it failed, or the kernel closed
   */
  public boolean isAlive() {
    return alive.get();
  }

  /**
   * What thread {@code id} is doing in IPC, as this space can see it: any thread of the root's
   * spaces and of process spaces linked to it, from the root; this process's threads and the
   * threads of its peer space, from a process space (read through its link). An id this space
   * cannot see, or of a thread that has gone, reads DEAD. Lock-free on the IPC state; never
   * blocks on IPC. Thread-safe.
   *
   * @param id a thread's id
   * @return a consistent snapshot of one moment
   * @throws IllegalArgumentException if {@code id} is an endpoint's id
   */
  public IpcState ipcState(long id) {
    return registry.ipcState(id);
  }

  /**
   * Why the space ended, if a thread failed.
   *
   * @return the first uncaught exception of one of its spawned threads, or null
   */
  public Throwable failure() {
    return failure;
  }

  /**
   * The IPC threads currently in this space, spawned or attached.
   *
   * @return a snapshot; empty once the space has ended
   */
  public List<IpcThread> threads() {
    return registry.threads(this);
  }

  /**
   * {@link #spawn(String, WaitStrategy, Body)} with the kernel's default wait strategy.
   *
   * @param name a name for the thread (its Java thread is named after it too)
   * @param body the code the thread runs
   * @return the new IPC thread, already addressable
   * @throws IllegalStateException if the space has ended or the kernel's thread table is full
   */
  public IpcThread spawn(String name, Body body) {
    return spawn(name, registry.config.waitStrategy(), body);
  }

  /**
   * Starts a new IPC thread running {@code body} on a new Java (platform, daemon) thread. Its id
   * is valid (others may address it) when this method returns. When the body returns the IPC
   * thread ends (its id becomes stale); when it throws, the whole space ends. Never blocks on
   * IPC.
   *
   * <p>Memory consistency effects: actions before this call happen-before the body starts.
   *
   * @param name a name for the thread (its Java thread is named after it too)
   * @param wait how the thread waits for its partners
   * @param body the code the thread runs
   * @return the new IPC thread, already addressable
   * @throws IllegalStateException if the space has ended or the kernel's thread table is full (in
   *     a process space: the slots the root gave it)
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
   * For tests, main threads and adapters. The calling thread becomes the owner: only it may run
   * the IPC operations of the returned thread. Never blocks on IPC.
   *
   * @param name a name for tools and messages
   * @param wait how the thread waits for its partners
   * @return the new IPC thread, already addressable; close it when done
   * @throws IllegalStateException if the space has ended or the kernel's thread table is full
   */
  public IpcThread attach(String name, WaitStrategy wait) {
    final IpcThread self = registry.createThread(this, name, wait);
    self.bindOwner(Thread.currentThread());
    registry.sleeper.bind(self.engine.index, Thread.currentThread());
    return self;
  }

  /**
   * {@link #attach(String, WaitStrategy)} with the kernel's default wait strategy.
   *
   * @param name a name for tools and messages
   * @return the new IPC thread, owned by the calling thread; close it when done
   * @throws IllegalStateException if the space has ended or the kernel's thread table is full
   */
  public IpcThread attach(String name) {
    return attach(name, registry.config.waitStrategy());
  }

  /**
   * Creates an endpoint owned by this space. Never blocks on IPC.
   *
   * @param name a name for tools and messages
   * @return the new endpoint, open and addressable
   * @throws IllegalStateException if the space has ended or the kernel's endpoint table is full
   *     (in a process space: the slots the root gave it)
   */
  public Endpoint createEndpoint(String name) {
    return registry.createEndpoint(this, name);
  }

  /**
   * The open endpoints this space owns.
   *
   * @return a snapshot; empty once the space has ended
   */
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
   * with PEER_DEAD, and its own threads' IPC returns CLOSED (they are interrupted too). In the
   * root its channels are closed. Does not wait for its Java threads to finish; see
   * {@link #awaitTermination}. Does not block on IPC. Idempotent; callable from any thread,
   * also from one of its own.
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
    ended.countDown();
    for (Thread t : javaThreads) {
      if (t != Thread.currentThread()) {
        t.interrupt();
      }
    }
  }

  /**
   * Waits until the space has ended ({@link #end()}, a spawned thread's failure, or the kernel's
   * close): what a supervisor watches. Blocks up to {@code timeout}; returns at once for a space
   * that has ended. Does not wait for its threads to finish ({@link #awaitTermination} does).
   *
   * @param timeout how long to wait at most
   * @return true once the space has ended, false on timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Waits until every Java thread spawned in this space has finished (attached threads are not
   * waited for). Blocks up to {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return true if all have finished, false on timeout
   * @throws InterruptedException if interrupted while waiting
   */
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
