package dev.nucleus.kernel.internal.ipc;

import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.os.Futex;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The port tables of one space and how its threads reach each partner: the engine side of a
 * {@code Space}.
 *
 * <p>A space always has its <em>home</em> table (the kernel's, for a thread space of the root;
 * the link's, in a process). A thread space of the root that is the peer of process spaces also
 * has one table in each link to them: its threads have a port there too, and reach that process
 * space's threads through it ({@link #route}). An open receive waits in all of them
 * ({@link PortSet}).
 *
 * <p>Thread-safety: {@link #tables()} and {@link #route} are lock-free reads of volatile arrays
 * replaced copy-on-write; every change runs under the kernel's management lock, passed in at
 * construction, so that a table added meanwhile is initialised with every port and mask.
 */
public final class SpaceTables {

  private final Object managementLock;
  private final int number;
  private final int maxSpaces;
  private final Rendezvous home;
  private volatile Rendezvous[] tables;
  /** By space number: the table that reaches it; null entries (or no array) mean home. */
  private volatile Rendezvous[] routes;
  private final List<ThreadEngine> threads = new CopyOnWriteArrayList<>();
  private final List<EndpointPort> endpoints = new CopyOnWriteArrayList<>();

  public SpaceTables(Object managementLock, int number, int maxSpaces, Rendezvous home) {
    this.managementLock = managementLock;
    this.number = number;
    this.maxSpaces = maxSpaces;
    this.home = home;
    this.tables = new Rendezvous[] {home};
  }

  /** The lock under which the kernel changes spaces, threads and tables. */
  Object managementLock() {
    return managementLock;
  }

  /** The space number. */
  public int number() {
    return number;
  }

  /** The tables this space's threads have ports in: home first. Never modified once returned. */
  public Rendezvous[] tables() {
    return tables;
  }

  /** The table through which this space reaches space {@code spaceNumber}. */
  public Rendezvous route(int spaceNumber) {
    final Rendezvous[] r = routes;
    if (r == null || spaceNumber < 0 || spaceNumber >= r.length) {
      return home;
    }
    final Rendezvous t = r[spaceNumber];
    return t == null ? home : t;
  }

  /**
   * Adds the table of a link to process space {@code processSpace}: every thread and endpoint
   * of this space gets its port there, and open receives in progress restart over the new set.
   * Caller holds the management lock.
   *
   * @throws IllegalStateException if this space already waits on as many tables as an open
   *     receive can sleep on at once, or the link's rows for this space's threads and endpoints
   *     cannot be reserved (nothing is added then)
   */
  public void addLinkTable(int processSpace, Rendezvous table) {
    if (tables.length >= Futex.WAITV_MAX) { // an open receive sleeps on one futex word per table
      throw new IllegalStateException("space " + number + " is the peer of " + (tables.length - 1)
          + " process spaces already, the most one space can wait on at once");
    }
    for (ThreadEngine t : threads) { // every row first: a full link directory leaves no port behind
      table.reserveThreadRow(t.index);
    }
    for (EndpointPort e : endpoints) {
      table.reserveEndpointRow(e.slot);
    }
    for (ThreadEngine t : threads) {
      table.initPort(t.index, t.id, table.portEpoch(t.index) + 1);
      table.setNotificationMask(t.index, home.notificationMask(t.index));
    }
    for (EndpointPort e : endpoints) {
      table.openEndpoint(e.slot, e.id);
      for (int k = 0; k < ReceivePointDescriptor.MAX_MEMBERS; k++) {
        final int m = home.member(e.rp, k);
        if (m >= 0) {
          table.setMember(e.rp, k, m);
        }
      }
    }
    final Rendezvous[] r = routes == null ? new Rendezvous[maxSpaces] : routes.clone();
    r[processSpace] = table;
    routes = r;
    final Rendezvous[] grown = Arrays.copyOf(tables, tables.length + 1);
    grown[tables.length] = table;
    tables = grown;
    wakeThreads(); // open receives in progress start again over the new set
  }

  /** Removes a link's table (its process space ended): open receives stop waiting in it. */
  public void removeLinkTable(Rendezvous table) {
    synchronized (managementLock) {
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
      tables = Arrays.copyOf(fewer, kept);
      final Rendezvous[] r = routes;
      if (r != null) {
        final Rendezvous[] pruned = r.clone();
        for (int n = 0; n < pruned.length; n++) {
          if (pruned[n] == table) {
            pruned[n] = null;
          }
        }
        routes = pruned;
      }
    }
    wakeThreads();
  }

  private void wakeThreads() {
    for (ThreadEngine t : threads) {
      for (Rendezvous table : tables) {
        table.wakeIfSleeping(t.index, table.tcbOffset(t.index));
      }
    }
  }

  /** Makes thread {@code t} a member of endpoint point {@code rp} in every table; its bit, or -1 if full. */
  int join(int rp, int t) {
    synchronized (managementLock) {
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

  /** Whether thread slot {@code slot} may take a new thread: nobody is still queued at it in any table. */
  public boolean portsReusable(int slot) {
    for (Rendezvous t : tables) {
      if (!t.portReusable(slot)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Creates the engine of a new thread in slot {@code slot}: initialises its port in every table
   * (each at the epoch after its previous occupant's) and adds it to this space. Caller holds the
   * management lock.
   *
   * @throws IllegalStateException if a link's row for the slot cannot be reserved (the link
   *     directory is full): no port is initialised then
   */
  public ThreadEngine newThread(int slot, long id, WaitStrategy strategy) {
    for (Rendezvous t : tables) { // every row first: a full link directory leaves no port behind
      t.reserveThreadRow(slot);
    }
    long first = -1;
    for (Rendezvous t : tables) {
      final long epoch = t.portEpoch(slot) + 1;
      t.initPort(slot, id, epoch);
      if (first < 0) {
        first = epoch;
      }
    }
    final ThreadEngine engine = new ThreadEngine(this, slot, id, first, strategy);
    threads.add(engine);
    return engine;
  }

  /** Whether endpoint slot {@code slot} may be reused: nobody is queued at it in any table. */
  public boolean endpointReusable(int slot) {
    for (Rendezvous t : tables) {
      if (!t.endpointReusable(slot)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Opens endpoint {@code id} in slot {@code slot} in every table. Caller holds the management lock.
   *
   * @throws IllegalStateException if a link's row for the slot cannot be reserved: nothing is opened then
   */
  public EndpointPort openEndpoint(int slot, int rp, long id) {
    for (Rendezvous t : tables) {
      t.reserveEndpointRow(slot);
    }
    for (Rendezvous t : tables) {
      t.openEndpoint(slot, id);
    }
    final EndpointPort e = new EndpointPort(this, slot, rp, id);
    endpoints.add(e);
    return e;
  }

  /** Closes endpoint {@code e} in every table: its id becomes stale. Caller holds the management lock. */
  public void closeEndpoint(EndpointPort e) {
    e.markClosed();
    for (Rendezvous t : tables) {
      t.closeEndpoint(e.slot);
    }
    endpoints.remove(e);
  }

  /**
   * Marks thread {@code t} dead in every table of this space: its id is stale from now on and
   * partners blocked on it get PEER_DEAD once woken. Caller holds the management lock and wakes
   * the sleepers after.
   */
  public void kill(ThreadEngine t) {
    t.ended = true;
    final int[] endpointRps = t.joined.stream().mapToInt(e -> e.rp).toArray();
    for (Rendezvous table : tables) {
      table.killPort(t.index, endpointRps);
    }
    threads.remove(t);
  }
}
