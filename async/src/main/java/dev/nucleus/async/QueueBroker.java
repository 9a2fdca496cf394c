package dev.nucleus.async;

import dev.nucleus.async.internal.BrokerEnds;
import dev.nucleus.async.internal.HandoutMessage;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The root's queue broker: creates one-way queues between any two spaces of its kernel, thread
 * spaces or process spaces, hands each end out once to the space granted it, and watches both
 * sides of every queue so that a side's death reaches the survivor as PEER_DEAD
 * (docs/queues.md).
 *
 * <p><b>Creating.</b> {@link #create} allocates the queue's memory as a {@link SharedRegion} (an
 * anonymous memory file: never in {@code /dev/shm}, so its size is bounded by memory only),
 * formats it and records which space gets which end. The broker keeps its own mapping of every
 * queue it made.
 *
 * <p><b>Handing out.</b> A thread of a thread space takes its end directly
 * ({@link #openSender}, {@link #openReceiver}). A process space asks over IPC: for every process
 * side the broker runs a server thread in the process's peer space (one per peer space, attached
 * there by the broker) and offers its id to the process under {@link QueueClient#BROKER_NAME};
 * the process calls it through {@link QueueClient}, and gets the region's handle, which only it
 * can map (the kernel stamps who called). Each end goes to the space granted it and to no other,
 * once; anything else is refused with NOT_PERMITTED ({@link QueueHandoutException}).
 *
 * <p><b>Death.</b> A watcher thread looks at every queue's sides every
 * {@link #WATCH_PERIOD_NANOS}: when a thread space has ended or a process has exited, it marks
 * that side DEAD in the queue and wakes the survivor. A receiver then takes everything the sender
 * published and gets PEER_DEAD; a sender gets PEER_DEAD at its next send, or at once if it waits
 * for room. The broker frees its region of a queue once both ends have been handed out (or their
 * sides died) and one side has ended (closed, given up, or died): the other learns it from the
 * queue's memory and needs nothing more of the broker. Each end keeps its own mapping until it is
 * unreachable.
 *
 * <p>Thread-safe: every method may be called from any thread. Management operations take a
 * private lock briefly; none blocks on IPC. The queues' hot paths never touch the broker.
 */
public final class QueueBroker implements AutoCloseable {

  /** How often the watcher looks at the queues' sides: how late, at most, a death is told. */
  public static final long WATCH_PERIOD_NANOS = 10_000_000L;

  /** The broker's answer to one request for an end: a grant (with its region's handle and size) or a reason. */
  record Decision(QueueGrant grant, long reason, long handle, long bytes) {
    static Decision refused(long reason) {
      return new Decision(null, reason, 0, 0);
    }
  }

  /** Where the regions' tokens come from. */
  private static final SecureRandom TOKENS = new SecureRandom();

  private final Kernel kernel;
  private final Object lock = new Object();
  /** Guarded by lock: the queues whose region the broker holds, by name. */
  private final Map<String, QueueGrant> grants = new LinkedHashMap<>();
  /** Guarded by lock: the server thread in each root space that is the peer of a process side. */
  private final Map<Space, HandoutServer> servers = new HashMap<>();
  /** Guarded by lock: the process spaces offered the broker's id. */
  private final Map<ProcessSpace, Boolean> offered = new IdentityHashMap<>();
  private final Thread watcher;
  /** Guarded by lock. */
  private boolean closed;

  /**
   * A broker for the spaces of {@code kernel}; starts its watcher thread (a daemon).
   *
   * @param kernel the root's kernel
   * @throws NullPointerException if {@code kernel} is null
   */
  public QueueBroker(Kernel kernel) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.watcher = Thread.ofPlatform().daemon().name("nucleus-queue-watch").unstarted(this::watch);
    watcher.start();
  }

  /**
   * Creates a queue of {@code slots} slots named {@code name}, whose sending end goes to
   * {@code sender}'s space and receiving end to {@code receiver}'s (the same space may have both).
   * For a process side, starts the broker's server in its peer space if none runs there, and
   * offers the server's id to the process under {@link QueueClient#BROKER_NAME}. Blocks only to
   * start such a server (its thread attaching).
   *
   * @param name 1 to 48 bytes of UTF-8, without NUL; unique among this broker's queues
   * @param sender the space that gets the sending end
   * @param receiver the space that gets the receiving end
   * @param slots a power of two in [{@link QueueMemory#MIN_SLOTS}, {@link QueueMemory#MAX_SLOTS}]
   * @throws IllegalArgumentException if the name is malformed or taken, the slot count is not
   *     such a power of two, or a side is not a space of this broker's kernel (or is the kernel's
   *     own space)
   * @throws IllegalStateException if the broker is closed, a side has died, the process space was
   *     offered another id under the broker's name, or the memory cannot be had (one line with the
   *     reason)
   * @throws NullPointerException if an argument is null
   */
  public void create(String name, QueueSide sender, QueueSide receiver, int slots) {
    HandoutMessage.checkName(Objects.requireNonNull(name, "name"));
    QueueMemory.bytesFor(slots); // checks the count
    final long bytes = HandoutMessage.regionBytes(slots);
    checkSide(Objects.requireNonNull(sender, "sender"), "sender");
    checkSide(Objects.requireNonNull(receiver, "receiver"), "receiver");
    synchronized (lock) {
      checkOpen();
      if (grants.containsKey(name)) {
        throw new IllegalArgumentException("a queue named '" + name + "' exists: " + grants.get(name));
      }
      serveProcess(sender);
      serveProcess(receiver);
      final SharedRegion region = SharedRegion.create(bytes);
      final long token = TOKENS.nextLong();
      try {
        QueueMemory.format(region.segment(), slots);
        region.segment().set(ValueLayout.JAVA_LONG, HandoutMessage.tokenOffset(slots), token);
      } catch (RuntimeException e) {
        region.close();
        throw e;
      }
      grants.put(name, new QueueGrant(name, sender, receiver, slots, region, token));
    }
    LockSupport.unpark(watcher);
  }

  /**
   * The sending end of queue {@code name}, for {@code self}, a thread of the thread space granted
   * it. Hands the end out once; the end has a mapping of its own, unmapped once it is unreachable.
   * The end wakes a receiver asleep in a {@link Waitset} by notifying it through {@code self}, so
   * only {@code self}'s owner thread uses it.
   *
   * @param self the thread that will send (the end's only user)
   * @param name the queue's name
   * @param strategy how the end waits for room
   * @return the end, at position 0
   * @throws QueueHandoutException NOT_PERMITTED if no queue of that name grants its sending end to
   *     {@code self}'s space (or that space has ended), or the end was handed out already; CLOSED
   *     if the broker has closed
   * @throws NullPointerException if an argument is null
   */
  public QueueSender openSender(IpcThread self, String name, WaitStrategy strategy) {
    Objects.requireNonNull(strategy, "strategy");
    final Opened o = open(self, name, true);
    return BrokerEnds.sender(o.memory(), self, o.peerSpace(), o.peer()::pid, strategy);
  }

  /**
   * The receiving end of queue {@code name}, for {@code self}, a thread of the thread space
   * granted it. Hands the end out once; the end has a mapping of its own, unmapped once it is
   * unreachable.
   *
   * @param self the thread that will receive
   * @param name the queue's name
   * @param strategy how the end waits for a message
   * @return the end, at position 0
   * @throws QueueHandoutException as {@link #openSender}
   * @throws NullPointerException if an argument is null
   */
  public QueueReceiver openReceiver(IpcThread self, String name, WaitStrategy strategy) {
    Objects.requireNonNull(strategy, "strategy");
    final Opened o = open(self, name, false);
    return BrokerEnds.receiver(o.memory(), o.peer()::pid, strategy);
  }

  /**
   * The names of the queues whose memory the broker still holds: those created and not yet freed
   * (see the class comment for when a queue is freed). Never blocks on IPC.
   *
   * @return a snapshot, in creation order
   */
  public List<String> queues() {
    synchronized (lock) {
      return List.copyOf(grants.keySet());
    }
  }

  /**
   * Closes the broker: stops its server threads and its watcher, and frees every queue's region.
   * Ends already handed out keep working over their own mappings, but a side's death is no longer
   * told to the survivor, and no more ends are handed out. Blocks while the threads stop (bounded).
   * Idempotent.
   */
  @Override
  public void close() {
    final List<HandoutServer> stopping;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopping = new ArrayList<>(servers.values());
      servers.clear();
    }
    LockSupport.unpark(watcher);
    for (HandoutServer s : stopping) {
      s.close();
    }
    try {
      watcher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lock) {
      for (QueueGrant g : grants.values()) {
        g.free();
      }
      grants.clear();
    }
  }

  // --- handing out -----------------------------------------------------------------------------

  /** A thread space's end, mapped for it, and where its other end is. */
  private record Opened(MemorySegment memory, int peerSpace, QueueSide peer) {}

  private Opened open(IpcThread self, String name, boolean sendingEnd) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(name, "name");
    synchronized (lock) {
      final Decision d = decide(name, sendingEnd, side -> !side.isProcess() && side.threadSpace() == self.space());
      if (d.grant() == null) {
        throw refusal(d.reason(), name, sendingEnd, self.space().toString());
      }
      final QueueGrant g = d.grant();
      try {
        // Under the lock: the region cannot be freed, nor its descriptor reused, meanwhile.
        final MemorySegment region = SharedRegion.map(g.region.handle(), 0, g.region.segment().byteSize(),
            Arena.ofAuto());
        return new Opened(region.asSlice(0, QueueMemory.bytesFor(g.slots)), g.peerSpace(sendingEnd),
            g.side(!sendingEnd));
      } catch (RuntimeException e) {
        g.takeBack(sendingEnd);
        throw e;
      }
    }
  }

  /**
   * The server's request: the end of queue {@code name} for a caller of space {@code callerSpace}
   * (the kernel-stamped sender's). Only a process side is handed out over IPC.
   */
  Decision handOut(int callerSpace, boolean sendingEnd, String name) {
    synchronized (lock) {
      return decide(name, sendingEnd, side -> side.isProcess() && side.spaceNumber() == callerSpace);
    }
  }

  /** The reply that carried an end failed: the end was never handed out. */
  void takeBack(QueueGrant g, boolean sendingEnd) {
    synchronized (lock) {
      g.takeBack(sendingEnd);
    }
  }

  /** Decides a request, under the lock: refuses, or marks the end handed out. */
  private Decision decide(String name, boolean sendingEnd, java.util.function.Predicate<QueueSide> isCaller) {
    if (closed) {
      return Decision.refused(HandoutMessage.REASON_BROKER_CLOSED);
    }
    final QueueGrant g = grants.get(name);
    if (g == null || !isCaller.test(g.side(sendingEnd)) || !g.side(sendingEnd).isAlive()) {
      return Decision.refused(HandoutMessage.REASON_NOT_GRANTED);
    }
    if (g.handedOut(sendingEnd)) {
      return Decision.refused(HandoutMessage.REASON_ALREADY_OPEN);
    }
    g.handOut(sendingEnd);
    return new Decision(g, 0, g.region.handle(), g.region.segment().byteSize());
  }

  /** The exception a thread space's refused open throws. */
  static QueueHandoutException refusal(long reason, String name, boolean sendingEnd, String caller) {
    return new QueueHandoutException(HandoutMessage.codeOf(reason), "the " + (sendingEnd ? "sending" : "receiving")
        + " end of queue '" + name + "' is not for " + caller + ": " + HandoutMessage.describeReason(reason));
  }

  // --- servers and sides -----------------------------------------------------------------------

  private void checkSide(QueueSide side, String role) {
    final Space root = side.isProcess() ? side.processSpace().peer() : side.threadSpace();
    if (root.kernel() != kernel) {
      throw new IllegalArgumentException("the " + role + " side, " + side + ", is not a space of this broker's kernel");
    }
    if (side.spaceNumber() == Kernel.KERNEL_SPACE) {
      throw new IllegalArgumentException("the kernel's own space holds no queue ends");
    }
    if (!side.isAlive()) {
      throw new IllegalStateException("the " + role + " side has died: " + side);
    }
  }

  /** For a process side: a server in its peer space, and the server's id offered to it. Under the lock. */
  private void serveProcess(QueueSide side) {
    if (!side.isProcess()) {
      return;
    }
    final ProcessSpace process = side.processSpace();
    HandoutServer server = servers.get(process.peer());
    if (server == null || !server.isRunning()) {
      server = HandoutServer.start(this, process.peer());
      servers.put(process.peer(), server);
    }
    if (!offered.containsKey(process)) {
      process.offer(QueueClient.BROKER_NAME, server.id());
      offered.put(process, Boolean.TRUE);
    }
  }

  /** The id of the server in {@code home}, or 0 if none runs: for tests. */
  long serverOf(Space home) {
    synchronized (lock) {
      final HandoutServer s = servers.get(home);
      return s == null ? 0 : s.id();
    }
  }

  /** The broker's mapping of queue {@code name}, or null once it is freed: for tests. */
  MemorySegment memoryOf(String name) {
    synchronized (lock) {
      final QueueGrant g = grants.get(name);
      return g == null ? null : g.memory();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the queue broker is closed");
    }
  }

  // --- the watcher -----------------------------------------------------------------------------

  /** The watcher thread: every period, marks dead sides and frees the queues no side needs the broker for. */
  private void watch() {
    while (true) {
      final boolean idle;
      synchronized (lock) {
        if (closed) {
          return;
        }
        grants.values().removeIf(g -> {
          if (g.watch()) {
            g.free();
            return true;
          }
          return false;
        });
        offered.keySet().removeIf(p -> !p.isAlive()); // never asked again: it cannot come back
        idle = grants.isEmpty();
      }
      if (idle) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, WATCH_PERIOD_NANOS);
      }
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "QueueBroker[" + grants.size() + " queues" + (closed ? ", closed" : "") + "]";
    }
  }
}
