package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.EndpointPort;
import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.ipc.Rendezvous;
import dev.nucleus.kernel.internal.ipc.SpaceTables;
import dev.nucleus.kernel.internal.ipc.ThreadEngine;
import dev.nucleus.kernel.internal.os.Sleeper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The thread and endpoint slots of one kernel, root or process side: who occupies each slot,
 * the slot's version, and the slots that belong to others (the ranges of process spaces in the
 * root; everything outside its own ranges in a process).
 *
 * <p>Versions: each slot's version goes up with every new occupant, so the id of a thread that
 * has gone never names the next one (STALE_ID). A slot is reused only once the previous
 * occupant's Java thread can no longer touch it and no sender is still queued at it.
 *
 * <p>Thread-safety: every method takes {@link #lock}, the kernel's private management lock (user
 * code that locks a Kernel or Space object cannot stall it). IPC never takes it.
 */
final class ThreadRegistry {

  /** The management lock of this kernel: spaces, threads, endpoints, channels and tables change under it. */
  final Object lock = new Object();
  final Kernel.Config config;
  final Sleeper sleeper;
  private final IpcThread[] threads;
  /** The last occupant of each free slot, until its Java thread can no longer touch the slot. */
  private final IpcThread[] retired;
  private final long[] threadVersions;
  private final Endpoint[] endpoints;
  private final long[] endpointVersions;
  /** Thread and endpoint slots that belong to process spaces (or, in a process, to others). */
  final boolean[] reservedThreads;
  final boolean[] reservedEndpoints;
  /** Versions given out stay in (versionFloor, versionCeiling]: everything in the root. */
  private long versionFloor;
  private long versionCeiling = ThreadId.MAX_VERSION;
  /** The tables that hold the ports of a space not in this registry (a process space's links); none if unknown. */
  private final IntFunction<Rendezvous[]> foreignTables;
  /** Every table whose sleepers a death must wake. */
  private final Supplier<List<Rendezvous>> allTables;

  private static final IpcState DEAD = new IpcState(IpcState.Kind.DEAD, ThreadId.NIL, ThreadId.NIL);

  ThreadRegistry(Kernel.Config config, Sleeper sleeper, IntFunction<Rendezvous[]> foreignTables,
      Supplier<List<Rendezvous>> allTables) {
    this.config = config;
    this.sleeper = sleeper;
    this.threads = new IpcThread[config.maxThreads()];
    this.retired = new IpcThread[config.maxThreads()];
    this.threadVersions = new long[config.maxThreads()];
    this.endpoints = new Endpoint[config.maxEndpoints()];
    this.endpointVersions = new long[config.maxEndpoints()];
    this.reservedThreads = new boolean[config.maxThreads()];
    this.reservedEndpoints = new boolean[config.maxEndpoints()];
    this.foreignTables = foreignTables;
    this.allTables = allTables;
  }

  // --- threads ------------------------------------------------------------------------------

  /** A new thread of {@code space} in the first free slot, at the slot's next version. */
  IpcThread createThread(Space space, String name, WaitStrategy wait) {
    Objects.requireNonNull(wait, "wait strategy");
    synchronized (lock) {
      if (!space.isAlive()) {
        throw new IllegalStateException("cannot create a thread in an ended " + space);
      }
      for (int i = 0; i < threads.length; i++) {
        if (threads[i] != null || reservedThreads[i] || (retired[i] != null && !retired[i].isReleased())) {
          continue; // occupied, or the previous occupant's Java thread may still touch the slot
        }
        if (!space.tables.portsReusable(i)) {
          continue; // senders queued at the previous occupant have not left yet
        }
        final long version = nextVersion(threadVersions[i]);
        threadVersions[i] = version;
        final ThreadEngine engine = space.tables.newThread(i, ThreadId.of(space.number(), i, version), wait);
        final IpcThread t = new IpcThread(this, space, engine, name);
        threads[i] = t;
        return t;
      }
      throw new IllegalStateException("thread table full (" + threads.length + " threads)");
    }
  }

  /** Ends thread {@code t}: stale id, PEER_DEAD for partners blocked on it. Idempotent. */
  void exitThread(IpcThread t) {
    synchronized (lock) {
      if (threads[t.engine.index] != t) {
        return;
      }
      retire(t);
    }
    wakeAllSleepers();
  }

  /** Kills {@code t} and frees its slot for reuse once its Java thread lets go. Holds the lock. */
  private void retire(IpcThread t) {
    final int i = t.engine.index;
    t.space().tables.kill(t.engine);
    threads[i] = null;
    retired[i] = t;
    sleeper.bind(i, null);
  }

  /** Wakes every sleeping thread of this kernel, in every table, to re-check its partner. */
  void wakeAllSleepers() {
    for (Rendezvous t : allTables.get()) {
      t.wakeAllSleepers();
    }
  }

  /** The live threads. */
  List<IpcThread> threads() {
    synchronized (lock) {
      final List<IpcThread> out = new ArrayList<>();
      for (IpcThread t : threads) {
        if (t != null) {
          out.add(t);
        }
      }
      return out;
    }
  }

  private IpcThread threadAt(int i) {
    synchronized (lock) {
      return threads[i];
    }
  }

  // --- endpoints ----------------------------------------------------------------------------

  /** A new endpoint of {@code space} in the first free slot, at the slot's next version. */
  Endpoint createEndpoint(Space space, String name) {
    synchronized (lock) {
      if (!space.isAlive()) {
        throw new IllegalStateException("cannot create an endpoint in an ended " + space);
      }
      for (int j = 0; j < endpoints.length; j++) {
        if (endpoints[j] != null || reservedEndpoints[j] || !space.tables.endpointReusable(j)) {
          continue;
        }
        final long version = nextVersion(endpointVersions[j]);
        endpointVersions[j] = version;
        final long id = ThreadId.endpoint(space.number(), j, version);
        final EndpointPort port = space.tables.openEndpoint(j, config.maxThreads() + j, id);
        final Endpoint e = new Endpoint(this, space, port, name);
        endpoints[j] = e;
        return e;
      }
      throw new IllegalStateException("endpoint table full (" + endpoints.length + " endpoints)");
    }
  }

  /** Closes {@code e}: its id becomes stale, its waiters and queued senders notice. Idempotent. */
  void destroyEndpoint(Endpoint e) {
    synchronized (lock) {
      if (endpoints[e.port.slot] != e) {
        return;
      }
      retire(e);
    }
    wakeAllSleepers();
  }

  /** Closes {@code e} in every table of its space and frees its slot. Holds the lock. */
  private void retire(Endpoint e) {
    e.space().tables.closeEndpoint(e.port);
    endpoints[e.port.slot] = null;
  }

  /** Ends every thread and endpoint of {@code space}. Caller wakes the sleepers after. */
  void retireAll(Space space) {
    synchronized (lock) {
      for (IpcThread t : threads) {
        if (t != null && t.space() == space) {
          retire(t);
        }
      }
      for (Endpoint e : endpoints) {
        if (e != null && e.space() == space) {
          retire(e);
        }
      }
    }
  }

  /** The live endpoints of {@code space}. */
  List<Endpoint> endpoints(Space space) {
    synchronized (lock) {
      final List<Endpoint> out = new ArrayList<>();
      for (Endpoint e : endpoints) {
        if (e != null && e.space() == space) {
          out.add(e);
        }
      }
      return out;
    }
  }

  /** The live threads of {@code space}. */
  List<IpcThread> threads(Space space) {
    synchronized (lock) {
      final List<IpcThread> out = new ArrayList<>();
      for (IpcThread t : threads) {
        if (t != null && t.space() == space) {
          out.add(t);
        }
      }
      return out;
    }
  }

  /**
   * The next version of a slot: versions never repeat until they wrap, and are never 0. In a
   * process space they stay within the window the root gave it (see {@link #useVersionWindow}).
   */
  private long nextVersion(long version) {
    return version >= versionCeiling || version < versionFloor ? versionFloor + 1 : version + 1;
  }

  /**
   * The process side: every slot's versions run from {@code base + 1} to
   * {@code base + LinkDescriptor.VERSION_WINDOW}, the window the root reserved for this run of the
   * process, so that ids of an earlier run in the same slots stay stale.
   */
  void useVersionWindow(long base) {
    synchronized (lock) {
      versionFloor = base;
      versionCeiling = Math.min(ThreadId.MAX_VERSION, base + LinkDescriptor.VERSION_WINDOW);
      Arrays.fill(threadVersions, base);
      Arrays.fill(endpointVersions, base);
    }
  }

  // --- ranges for process spaces ----------------------------------------------------------

  /** Reserves {@code count} consecutive free thread slots; the first. */
  int reserveThreads(int count) {
    return reserveRange(reservedThreads, threads, count, "thread");
  }

  /** Reserves {@code count} consecutive free endpoint slots; the first. */
  int reserveEndpoints(int count) {
    return reserveRange(reservedEndpoints, endpoints, count, "endpoint");
  }

  /**
   * Gives back a range reserved by {@link #reserveThreads}. Its slots' versions move past
   * {@code usedUpTo}, the highest version its user (a process space) may have given them, so that
   * no id it made names a later occupant.
   */
  void releaseThreads(int first, int count, long usedUpTo) {
    synchronized (lock) {
      Arrays.fill(reservedThreads, first, first + count, false);
      raiseVersions(threadVersions, first, count, usedUpTo);
    }
  }

  /** Gives back a range reserved by {@link #reserveEndpoints}; versions as for threads. */
  void releaseEndpoints(int first, int count, long usedUpTo) {
    synchronized (lock) {
      Arrays.fill(reservedEndpoints, first, first + count, false);
      raiseVersions(endpointVersions, first, count, usedUpTo);
    }
  }

  /**
   * The version base for a process space about to get the given ranges (it may give each slot
   * LinkDescriptor.VERSION_WINDOW versions above it: 2^16 ids per slot per run of a process, and
   * 2^16 runs before a slot's 32-bit versions wrap): above every version
   * those slots have had, or 0 once that would leave no full window below MAX_VERSION (the
   * versions then wrap, as L4's do).
   */
  long versionBase(int firstThread, int threadCount, int firstEndpoint, int endpointCount) {
    synchronized (lock) {
      long base = 0;
      for (int i = firstThread; i < firstThread + threadCount; i++) {
        base = Math.max(base, threadVersions[i]);
      }
      for (int j = firstEndpoint; j < firstEndpoint + endpointCount; j++) {
        base = Math.max(base, endpointVersions[j]);
      }
      return base + LinkDescriptor.VERSION_WINDOW > ThreadId.MAX_VERSION ? 0 : base;
    }
  }

  private static void raiseVersions(long[] versions, int first, int count, long usedUpTo) {
    for (int i = first; i < first + count; i++) {
      versions[i] = Math.max(versions[i], usedUpTo);
    }
  }

  private int reserveRange(boolean[] reserved, Object[] used, int count, String what) {
    synchronized (lock) {
      for (int first = 0; first + count <= reserved.length; first++) {
        boolean free = true;
        for (int i = first; i < first + count && free; i++) {
          free = !reserved[i] && used[i] == null;
        }
        if (free) {
          Arrays.fill(reserved, first, first + count, true);
          return first;
        }
      }
      throw new IllegalStateException("no " + count + " free " + what + " slots left for a process space");
    }
  }

  /** Thread slots in use or reserved, for tests that check nothing piles up. */
  int threadSlotsTaken() {
    synchronized (lock) {
      int n = 0;
      for (int i = 0; i < threads.length; i++) {
        if (threads[i] != null || reservedThreads[i]) {
          n++;
        }
      }
      return n;
    }
  }

  // --- inspection ---------------------------------------------------------------------------

  /**
   * What thread {@code id} is doing in IPC, also for a thread of another space whose ports this
   * kernel can read (a process space's, read from its link). A stale or unknown id reads as DEAD.
   */
  IpcState ipcState(long id) {
    if (ThreadId.isEndpoint(id)) {
      throw new IllegalArgumentException("not a thread id: " + ThreadId.toString(id));
    }
    final int i = ThreadId.index(id);
    if (!ThreadId.isWellFormed(id) || i >= config.maxThreads()) {
      return DEAD;
    }
    final IpcThread t = threadAt(i);
    final Rendezvous[] tables = t != null && t.id() == id ? t.space().tables.tables()
        : foreignTables.apply(ThreadId.space(id));
    if (tables.length == 0) {
      return DEAD;
    }
    // A thread does IPC in one of its tables at a time, except an open receive, which waits in
    // all of them (PortSet): it is receiving once it waits in every one, and not before.
    IpcState idle = null;
    IpcState receiving = null;
    for (Rendezvous table : tables) {
      final IpcState s = table.ipcState(i, id);
      switch (s.kind()) {
        case IDLE -> idle = s;
        case RECEIVING, WAITING_FOR_NOTIFICATION -> {
          if (s.kind() == IpcState.Kind.RECEIVING && s.partner() != ThreadId.ANY) {
            return s; // a closed receive waits in the one table that reaches its partner
          }
          receiving = s;
        }
        default -> {
          return s;
        }
      }
    }
    return idle != null || receiving == null ? idle : receiving;
  }
}
