package dev.nucleus.kernel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

  private final Kernel kernel;
  private final int number;
  private final String name;
  private final List<IpcThread> threads = new CopyOnWriteArrayList<>();
  private final List<Thread> javaThreads = new CopyOnWriteArrayList<>();
  private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
  private volatile boolean alive = true;
  private volatile Throwable failure;
  /** The table of IPC within this space and with other thread spaces of the kernel. */
  private final Rendezvous home;
  /**
   * The tables this space's threads have ports in and receive from: home first, then one per
   * live channel to a process space. Replaced, never changed in place: a waiter compares its copy
   * with the current one to learn that the set changed.
   */
  private volatile Rendezvous[] tables;
  /** The table IPC with each space number goes through; null entries (and no array): home. */
  private volatile Rendezvous[] routes;

  Space(Kernel kernel, int number, String name, Rendezvous home) {
    this.kernel = kernel;
    this.number = number;
    this.name = name;
    this.home = home;
    this.tables = new Rendezvous[] {home};
  }

  /** The tables this space's threads have ports in and receive from; home first. */
  Rendezvous[] tables() {
    return tables;
  }

  /** The table IPC with space {@code spaceNumber} goes through. Any number is accepted. */
  Rendezvous route(int spaceNumber) {
    final Rendezvous[] r = routes;
    if (r == null || spaceNumber < 0 || spaceNumber >= r.length) {
      return home;
    }
    final Rendezvous t = r[spaceNumber];
    return t == null ? home : t;
  }

  /**
   * Gives this space ports in {@code table}, the table of its channel to process space
   * {@code processSpace}: every thread and endpoint of the space gets its port there, IPC with
   * that space goes through it, and open receives wait in it too. The caller holds the kernel
   * lock (no thread or endpoint comes or goes meanwhile).
   */
  void addChannelTable(int processSpace, Rendezvous table) {
    if (tables.length >= Futex.WAITV_MAX) { // an open receive sleeps on one futex word per table
      throw new IllegalStateException(this + " is the peer of " + (tables.length - 1)
          + " process spaces already, the most one space can wait on at once");
    }
    for (IpcThread t : threads) {
      table.initPort(t.index, t.id, table.portEpoch(t.index) + 1);
      table.setNotificationMask(t.index, home.notificationMask(t.index));
    }
    for (Endpoint e : endpoints) {
      table.openEndpoint(e.slot, e.id());
      for (int k = 0; k < ReceivePointDescriptor.MAX_MEMBERS; k++) {
        final int m = home.member(e.rp, k);
        if (m >= 0) {
          table.setMember(e.rp, k, m);
        }
      }
    }
    final Rendezvous[] r = routes == null ? new Rendezvous[kernel.config().maxSpaces()] : routes.clone();
    r[processSpace] = table;
    routes = r;
    final Rendezvous[] grown = java.util.Arrays.copyOf(tables, tables.length + 1);
    grown[tables.length] = table;
    tables = grown;
    wakeThreads(); // open receives in progress start again over the new set
  }

  /**
   * Stops receiving from {@code table}, whose process space has died. IPC naming that space
   * still goes through it, and fails there: its ids are stale.
   */
  void removeChannelTable(Rendezvous table) {
    synchronized (kernel) {
      final Rendezvous[] now = tables;
      int kept = 0;
      final Rendezvous[] fewer = new Rendezvous[now.length];
      for (Rendezvous t : now) {
        if (t != table) {
          fewer[kept++] = t;
        }
      }
      if (kept == now.length) {
        return;
      }
      tables = java.util.Arrays.copyOf(fewer, kept);
    }
    wakeThreads();
  }

  private void wakeThreads() {
    for (IpcThread t : threads) {
      for (Rendezvous table : tables) {
        table.wakeIfSleeping(t.index, table.tcbOffset(t.index));
      }
    }
  }

  /**
   * Joins thread slot {@code t} to endpoint point {@code rp} in every table, with the same member
   * bit in each; the bit, or -1 if all are taken.
   */
  int join(int rp, int t) {
    synchronized (kernel) {
      final int bit = home.join(rp, t);
      if (bit >= 0) {
        for (Rendezvous table : tables) {
          if (table != home) {
            table.setMember(rp, bit, t);
          }
        }
      }
      return bit;
    }
  }

  boolean tablesReusable(int slot) {
    for (Rendezvous t : tables) {
      if (!t.portReusable(slot)) {
        return false;
      }
    }
    return true;
  }

  /** Creates the ports of thread {@code id} at {@code slot} in every table; its first epoch. */
  long initPorts(int slot, long id) {
    long first = -1;
    for (Rendezvous t : tables) {
      final long epoch = t.portEpoch(slot) + 1;
      t.initPort(slot, id, epoch);
      if (first < 0) {
        first = epoch;
      }
    }
    return first;
  }

  boolean endpointReusable(int slot) {
    for (Rendezvous t : tables) {
      if (!t.endpointReusable(slot)) {
        return false;
      }
    }
    return true;
  }

  void openEndpoint(int slot, long id) {
    for (Rendezvous t : tables) {
      t.openEndpoint(slot, id);
    }
  }

  void closeEndpoint(int slot) {
    for (Rendezvous t : tables) {
      t.closeEndpoint(slot);
    }
  }

  /** The space number encoded in its threads' ids. */
  public int number() {
    return number;
  }

  public String name() {
    return name;
  }

  public Kernel kernel() {
    return kernel;
  }

  public boolean isAlive() {
    return alive;
  }

  /** The uncaught exception that ended this space, or null. */
  public Throwable failure() {
    return failure;
  }

  /** The IPC threads currently in this space. */
  public List<IpcThread> threads() {
    return List.copyOf(threads);
  }

  /** {@link #spawn(String, WaitStrategy, Body)} with the kernel's default wait strategy. */
  public IpcThread spawn(String name, Body body) {
    return spawn(name, kernel.config().waitStrategy(), body);
  }

  /**
   * Starts a new IPC thread running {@code body} on a new Java thread. Its id is valid (others may
   * address it) when this method returns. Throws IllegalStateException if the space has ended or
   * the kernel's thread table is full.
   */
  public IpcThread spawn(String name, WaitStrategy wait, Body body) {
    final IpcThread self = kernel.createThread(this, name, wait);
    final Thread t = Thread.ofPlatform().daemon().name(this.name + "/" + name).unstarted(() -> run(self, body));
    self.bindOwner(t);
    kernel.sleeper.bind(self.index, t);
    javaThreads.add(t);
    t.start();
    return self;
  }

  /**
   * Makes the calling Java thread an IPC thread of this space, until {@link IpcThread#close()}.
   * For tests, main threads and adapters.
   */
  public IpcThread attach(String name, WaitStrategy wait) {
    final IpcThread self = kernel.createThread(this, name, wait);
    self.bindOwner(Thread.currentThread());
    kernel.sleeper.bind(self.index, Thread.currentThread());
    return self;
  }

  /** {@link #attach(String, WaitStrategy)} with the kernel's default wait strategy. */
  public IpcThread attach(String name) {
    return attach(name, kernel.config().waitStrategy());
  }

  /** Creates an endpoint owned by this space. */
  public Endpoint createEndpoint(String name) {
    final Endpoint e = kernel.createEndpoint(this, name);
    endpoints.add(e);
    return e;
  }

  /** The endpoints this space owns. */
  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  private void run(IpcThread self, Body body) {
    try {
      body.run(self);
      kernel.exitThread(self);
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
    synchronized (this) {
      if (!alive) {
        return;
      }
      alive = false;
    }
    kernel.endSpace(this);
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

  void removeThread(IpcThread t) {
    threads.remove(t);
  }

  void addThread(IpcThread t) {
    threads.add(t);
  }

  void removeEndpoint(Endpoint e) {
    endpoints.remove(e);
  }

  @Override
  public String toString() {
    return "space " + number + " (" + name + (alive ? "" : ", ended") + ")";
  }
}
