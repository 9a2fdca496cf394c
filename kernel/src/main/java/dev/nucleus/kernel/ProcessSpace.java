package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.ipc.Rendezvous;
import dev.nucleus.kernel.internal.link.Link;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The root kernel's handle on a process space: a space whose threads run in another OS process,
 * with OS memory isolation, reached through one link (shared memory) with a thread space of the
 * root (its <em>peer</em>, which may have channels to other process and thread spaces too). IPC
 * between the two uses the same rendezvous as thread spaces, and needs no channel. Made by
 * {@link Kernel#spawnProcessSpace} (the kernel starts the process) or
 * {@link Kernel#openProcessSpace} (some other launcher starts it with {@link #attachCommand}).
 *
 * <p>Liveness: when the process exits for any reason (return, crash, {@code kill -9}), the root
 * learns it from the operating system (at once for a child; through a pidfd, as promptly,
 * otherwise) and fails every IPC blocked on the process space with PEER_DEAD; its ids become
 * stale, and its space number and slots go back to the kernel. A stopped process (SIGSTOP, a long
 * GC pause) is not dead. The process dies with the root.
 *
 * <p>Thread-safe: every method may be called from any thread; those that wait for the process
 * say so.
 */
public final class ProcessSpace implements AutoCloseable {

  private final Kernel kernel;
  private final int number;
  private final String name;
  private final Space peer;
  private final Link link;
  private volatile Process process;
  private volatile ProcessHandle handle;
  private volatile boolean closed;
  /** Set once {@link #exited()} has done its work; guarded by {@link #exitLock} for writers. */
  private volatile boolean exitHandled;
  /** Held while the exit is handled, so that every caller of exited() returns only once it is done. */
  private final Object exitLock = new Object();

  /** The thread and endpoint slot ranges the kernel reserved for this space (given back at its end). */
  final int firstThread;
  final int firstEndpoint;
  /** The process gives its slots versions above this, at most LinkDescriptor.VERSION_WINDOW above. */
  final long versionBase;
  /** The peer links the kernel made between this space and others ({@link Kernel#connect}). */
  private final List<PeerLink> peerLinks = new CopyOnWriteArrayList<>();
  /**
   * The ids offered to the process ({@link #offer}), kept here, privately: the names table in the
   * link holds them too, but the process can write there. Copy-on-write, read without a lock.
   */
  private volatile long[] offeredIds = new long[0];
  /** Orders the offers: the link's names and {@link #offeredIds} change together. */
  private final Object offerLock = new Object();

  /** A peer link seen from one of its spaces: the root's handle, this space's side in it, and the other space. */
  record PeerLink(Link link, int side, ProcessSpace other) {}

  ProcessSpace(Kernel kernel, int number, String name, Space peer, Link link, int firstThread, int firstEndpoint,
      long versionBase) {
    this.versionBase = versionBase;
    this.kernel = kernel;
    this.firstThread = firstThread;
    this.firstEndpoint = firstEndpoint;
    this.number = number;
    this.name = name;
    this.peer = peer;
    this.link = link;
  }

  /** The kernel started {@code p} for this space. */
  void started(Process p) {
    this.process = p;
    this.handle = p.toHandle();
  }

  /** A process we did not start attached as {@code h}. */
  void attached(ProcessHandle h) {
    this.handle = h;
  }

  /**
   * The space number in this space's ids. Once the space has ended, a later space may get the
   * number; its ids still never alias this one's (versions only grow).
   *
   * @return the space number, as {@link ThreadId#space} reads it from this space's ids
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
   * The thread space of the root this process space is connected to.
   *
   * @return the peer: the only root space whose threads exchange IPC with this one
   */
  public Space peer() {
    return peer;
  }

  /**
   * The OS process id. Never blocks.
   *
   * @return the pid, or -1 while no process has attached (a process started by other means:
   *     until the kernel has checked that it maps this space's link)
   */
  public long pid() {
    final ProcessHandle h = handle;
    return h == null ? -1 : h.pid();
  }

  /**
   * The link file a process started by other means attaches to (see {@link #attachCommand}).
   * The kernel removes the name once the process has attached (both mappings stay).
   *
   * @return the path of the link file, in the kernel's link directory
   */
  public Path linkPath() {
    return link.path();
  }

  /**
   * The command line that attaches a process to this space, running {@code component} with
   * {@code args}: this JDK's {@code java}, this JVM's module and class path, native access
   * enabled. Start it by any means; {@link #awaitPublished} then learns what the component
   * offers. Only builds the command; never blocks.
   *
   * @param component a public class with a public no-argument constructor (see
   *     {@link Kernel#spawnProcessSpace})
   * @param args strings handed to the component ({@link ProcessContext#args()})
   * @return the command and its arguments, for {@link ProcessBuilder} or a service manager
   */
  public List<String> attachCommand(Class<? extends ProcessComponent> component, String... args) {
    return kernel.attachCommand(this, component, args);
  }

  /**
   * Whether the process runs (a stopped one does). Never blocks.
   *
   * @return before a process has attached: whether it is still awaited (not closed); after:
   *     whether it has not exited
   */
  public boolean isAlive() {
    final ProcessHandle h = handle;
    return !exitHandled && (h != null ? h.isAlive() : !closed);
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Waits until the component has published its bootstrap id ({@link ProcessContext#publish})
   * and the kernel knows its process (so {@link #pid()} is set: for a process started by other
   * means, once the kernel has checked that the pid it wrote maps this link), and returns the
   * id. Blocks (polling every millisecond) up to {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return the published thread or endpoint id, one of this space's
   * @throws TimeoutException if nothing was published within {@code timeout}
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the process exits or its component fails first
   */
  public long awaitPublished(Duration timeout) throws TimeoutException, InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final long id = link.published();
      if (id != 0 && link.bState() == LinkDescriptor.B_RUNNING && handle != null) {
        return id;
      }
      if (!isAlive() || link.bState() == LinkDescriptor.B_FAILED) {
        throw new IllegalStateException("process space " + name + " (pid " + pid() + ") ended before publishing"
            + (process != null && !process.isAlive() ? ", exit code " + process.exitValue() : ""));
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("process space " + name + " published nothing within " + timeout);
      }
      Thread.sleep(1);
    }
  }

  /**
   * Waits until the component has published an id under {@code name}
   * ({@link ProcessContext#publish(String, long)}) and the kernel knows its process, and returns
   * the id. Blocks (polling every millisecond) up to {@code timeout}. What the process wrote is
   * validated: only a well-formed id of this space is returned.
   *
   * @param name the name the component publishes
   * @param timeout how long to wait at most
   * @return a thread or endpoint id of this space
   * @throws TimeoutException if nothing valid was published under {@code name} within {@code timeout}
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the process exits or its component fails first
   */
  public long awaitPublished(String name, Duration timeout) throws TimeoutException, InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final long id = link.published(name);
      if (id != ThreadId.NIL && handle != null) {
        return id;
      }
      if (!isAlive() || link.bState() == LinkDescriptor.B_FAILED) {
        throw new IllegalStateException("process space " + this.name + " (pid " + pid() + ") ended before publishing '"
            + name + "'" + (process != null && !process.isAlive() ? ", exit code " + process.exitValue() : ""));
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("process space " + this.name + " published nothing under '" + name + "' within "
            + timeout);
      }
      Thread.sleep(1);
    }
  }

  /**
   * Offers {@code id}, a thread or endpoint of this space's peer (the thread space its link
   * joins) or of a process space it is connected to, to the process under {@code name}: its component reads it with
   * {@link ProcessContext#lookup}. The offer is also the process's capability to call an RPC
   * export of the root with that id, which serves no process it was not offered to (see {@link
   * #offered}). Offer before or after the process starts; names are never withdrawn. Never
   * blocks.
   *
   * @param name 1 to 55 bytes of UTF-8, without NUL
   * @param id an id of the peer space, or of a process space this one is connected to
   *     ({@link Kernel#connect})
   * @throws IllegalArgumentException if {@code id} is not an id of a space this one can reach, or
   *     the name is malformed
   * @throws IllegalStateException if the name is already offered, 15 names are, or the space has ended
   */
  public void offer(String name, long id) {
    if (!ThreadId.isWellFormed(id) || (ThreadId.space(id) != peer.number()
        && peerLinks.stream().noneMatch(p -> p.other().number() == ThreadId.space(id)))) {
      throw new IllegalArgumentException("can only offer an id of the peer space " + peer.number()
          + " or of a connected process space: " + ThreadId.toString(id));
    }
    if (!isAlive()) {
      throw new IllegalStateException(this + " has ended");
    }
    synchronized (offerLock) {
      link.offer(name, id);
      final long[] more = Arrays.copyOf(offeredIds, offeredIds.length + 1);
      more[more.length - 1] = id;
      offeredIds = more;
    }
  }

  /**
   * Whether {@code id} has been offered to the process ({@link #offer}): the capability it was
   * given, which a server in the root may ask for before it serves the process (an RPC export
   * does). What the process may have written into its link's names is not looked at. Never
   * blocks, allocates nothing.
   *
   * @param id a thread or endpoint id
   * @return true if it was offered under some name
   */
  public boolean offered(long id) {
    for (long o : offeredIds) {
      if (o == id) {
        return true;
      }
    }
    return false;
  }

  /**
   * Kills the process at once (SIGKILL), as a crash would. Does not wait for the exit (see
   * {@link #awaitExit}); no effect before a process has attached or after it has exited.
   */
  public void kill() {
    final ProcessHandle h = handle;
    if (h != null) {
      h.destroyForcibly();
    }
  }

  /**
   * Waits for the process to exit; false on timeout. When it returns true the kernel has already
   * marked the space dead: its ids are stale (new IPC to them fails with STALE_ID in the send
   * phase) and everything that was blocked on it has failed with PEER_DEAD. For a process the
   * kernel started, true also means its exit code is known ({@link #exitCode}).
   *
   * @param timeout how long to wait at most
   * @return whether the process has exited
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    final Process p = process;
    if (p != null) {
      // Reaped, not just gone from /proc: exitValue() works from here on.
      if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return false;
      }
    } else {
      final long deadline = System.nanoTime() + timeout.toNanos();
      while (isAlive()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(5);
      }
    }
    exited(); // the watcher may not have got there yet: the space is dead before we return
    return true;
  }

  /**
   * The exit code of a process the kernel started. Never blocks.
   *
   * @return the exit status, e.g. 0 when the component returned, 1 when it failed, 128 + n when
   *     signal n killed the process
   * @throws IllegalThreadStateException while the process runs
   * @throws UnsupportedOperationException for a process started by other means
   */
  public int exitCode() {
    final Process p = process;
    if (p == null) {
      throw new UnsupportedOperationException("the exit code of a process this kernel did not start is unknown");
    }
    return p.exitValue();
  }

  /**
   * Called once the process has exited (by the watcher, by awaitExit, by close): everything
   * blocked on it fails with PEER_DEAD, its ids become stale, and the kernel takes back its
   * space number and slots. Idempotent; every caller returns only once this is done.
   */
  void exited() {
    synchronized (exitLock) {
      if (exitHandled) {
        return;
      }
      try {
        link.unlink();
        link.markSpaceDead(number, Link.SIDE_B); // also wakes every sleeper of the link
        announceDeathToPeers();
        peer.tables.removeLinkTable(link.table()); // its open receives stop waiting in it
        link.close(); // no row will be reserved any more: the descriptor goes (the mapping when unreachable)
      } finally {
        exitHandled = true;
        kernel.processSpaceEnded(this);
      }
    }
  }

  Link link() {
    return link;
  }

  /** The kernel that made this space. */
  Kernel kernel() {
    return kernel;
  }

  /** The tables this space's threads have ports in: its root link's, then its peer links' (the kernel's read-only view). */
  Rendezvous[] tables() {
    final Rendezvous[] all = new Rendezvous[1 + peerLinks.size()];
    all[0] = link.table();
    int k = 1;
    for (PeerLink p : peerLinks) {
      if (k < all.length) {
        all[k++] = p.link().table();
      }
    }
    return java.util.Arrays.copyOf(all, k);
  }

  /** Records a peer link the kernel made; the caller holds the kernel's lock. */
  void addPeerLink(PeerLink p) {
    peerLinks.add(p);
  }

  /** Whether the kernel has made a peer link between this space and {@code other}. */
  boolean connectedTo(ProcessSpace other) {
    return peerLinks.stream().anyMatch(p -> p.other() == other);
  }

  /** How many peer links this space has been given. */
  int peerLinkCount() {
    return peerLinks.size();
  }

  /**
   * Fails everything in this space's peer links that depends on it, as for its root link: its
   * ports there die, its locks are broken, copies it left half done complete with PEER_DEAD, and
   * every sleeper is woken, through the kernel's own mapping; so the other process's IPC to this
   * space fails from now on, before {@link #awaitExit} returns. Then records the death in each
   * link (DEAD_SIDES) and wakes the other process's link watcher, which stops using the link.
   */
  private void announceDeathToPeers() {
    for (PeerLink p : peerLinks) {
      p.link().markSpaceDead(number, p.side());
      p.link().markSideDead(p.side());
      p.other().link.bumpEvents();
      p.other().forgetPeerLink(p.link()); // the kernel's mapping goes once nothing reaches it
    }
    peerLinks.clear();
  }

  /** Drops the record of peer link {@code link}: its other side has died, or it was never mapped. */
  void forgetPeerLink(Link link) {
    peerLinks.removeIf(p -> p.link() == link);
  }

  /**
   * Ends the process space: asks the process to exit (SIGTERM), kills it (SIGKILL) if it has not
   * within a second, and releases the link. When it returns the space is dead, as after
   * {@link #awaitExit} returned true. For a process space still waiting for its process, removes
   * the link file. Blocks while the process exits (about 1 s more for one that ignores SIGTERM).
   * Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    final ProcessHandle h = handle;
    if (h != null && h.isAlive()) {
      h.destroy();
      try {
        if (!awaitExit(Duration.ofSeconds(1))) {
          h.destroyForcibly();
          awaitExit(Duration.ofSeconds(5));
        }
      } catch (InterruptedException e) {
        h.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    final Process p = process;
    if (p != null) {
      try {
        p.waitFor(5, TimeUnit.SECONDS); // reap it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    exited();
  }

  @Override
  public String toString() {
    return "process space " + number + " (" + name + ", pid " + pid() + (isAlive() ? "" : ", exited") + ")";
  }
}
