package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.ChannelTable;
import dev.nucleus.kernel.internal.ipc.Rendezvous;
import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.layout.TcbDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import dev.nucleus.kernel.internal.link.ProcessLauncher;
import dev.nucleus.kernel.internal.os.Futex;
import dev.nucleus.kernel.internal.os.FutexSleeper;
import dev.nucleus.kernel.internal.os.LinkFile;
import dev.nucleus.kernel.internal.os.ParkingSleeper;
import dev.nucleus.kernel.internal.os.ProcessExitWatch;
import dev.nucleus.kernel.internal.os.Sleeper;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.UnaryOperator;

/**
 * The root kernel: owns the spaces, the threads' control blocks, the receive points and the
 * channel table, and provides the mechanisms to create and end them. Policy (who may create what,
 * naming, restart) belongs to user-level servers: whoever holds the Kernel object is the root
 * task. Code running in a process space never gets one: {@link Space#kernel()} throws there.
 *
 * <p>All IPC state lives in memory segments laid out by the engine's descriptor classes; this
 * class only allocates and recycles their slots. The rendezvous itself is reached through
 * {@link IpcThread}.
 *
 * <p>Thread-safe: management operations are serialized on a private lock (never on this object,
 * so user code that synchronizes on a Kernel cannot stall it); IPC never takes that lock. No
 * management operation blocks on IPC; those that wait for an OS process or a Java thread say so.
 */
public final class Kernel implements AutoCloseable {

  /** Space number of the kernel's own space (interrupt pseudo-threads). */
  public static final int KERNEL_SPACE = ChannelTable.KERNEL_SPACE;

  /**
   * Kernel configuration.
   *
   * @param maxThreads size of the thread table (1..65535)
   * @param maxSpaces number of spaces, the kernel's own included (2..32767)
   * @param maxEndpoints size of the endpoint table (0..65535)
   * @param messageRegisters message registers per thread, MR0 included (8..64)
   * @param waitStrategy default wait strategy of new threads
   * @param adaptiveSpin how long an ADAPTIVE waiter spins before it sleeps: about the cost of a
   *     wake-up on this machine (25 µs on a KVM guest, where an idle vCPU halts)
   * @param linkDirectory where the files of links to process spaces are created (a tmpfs):
   *     {@code $NUCLEUS_LINK_DIR} if set, else {@code /dev/shm}
   */
  public record Config(int maxThreads, int maxSpaces, int maxEndpoints, int messageRegisters,
      WaitStrategy waitStrategy, Duration adaptiveSpin, Path linkDirectory) {

    /**
     * Validates every limit.
     *
     * @throws IllegalArgumentException naming the first limit out of range
     * @throws NullPointerException if {@code waitStrategy}, {@code adaptiveSpin} or
     *     {@code linkDirectory} is null
     */
    public Config {
      if (maxThreads < 1 || maxThreads > ThreadId.MAX_INDEX) {
        throw new IllegalArgumentException("maxThreads must be in [1, " + ThreadId.MAX_INDEX + "], got " + maxThreads);
      }
      if (maxSpaces < 2 || maxSpaces > ThreadId.MAX_SPACE) {
        throw new IllegalArgumentException("maxSpaces must be in [2, " + ThreadId.MAX_SPACE + "], got " + maxSpaces);
      }
      if (maxEndpoints < 0 || maxEndpoints > ThreadId.MAX_INDEX) {
        throw new IllegalArgumentException("maxEndpoints must be in [0, " + ThreadId.MAX_INDEX + "], got " + maxEndpoints);
      }
      TcbDescriptor.checkMessageRegisters(messageRegisters);
      Objects.requireNonNull(waitStrategy, "waitStrategy");
      Objects.requireNonNull(adaptiveSpin, "adaptiveSpin");
      Objects.requireNonNull(linkDirectory, "linkDirectory");
      if (adaptiveSpin.isNegative()) {
        throw new IllegalArgumentException("adaptiveSpin must not be negative, got " + adaptiveSpin);
      }
    }

    /**
     * The defaults: 1024 threads, 256 spaces, 256 endpoints, 64 registers, ADAPTIVE spinning
     * 25 µs, links in {@code $NUCLEUS_LINK_DIR} or {@code /dev/shm}.
     *
     * @return a new configuration
     */
    public static Config defaults() {
      return new Config(1024, 256, 256, 64, WaitStrategy.ADAPTIVE, Duration.ofNanos(25_000), defaultLinkDirectory());
    }

    /**
     * This configuration with {@code w} as the default wait strategy.
     *
     * @param w the wait strategy of threads created without one
     * @return a new configuration; this one is unchanged
     * @throws NullPointerException if {@code w} is null
     */
    public Config withWaitStrategy(WaitStrategy w) {
      return new Config(maxThreads, maxSpaces, maxEndpoints, messageRegisters, w, adaptiveSpin, linkDirectory);
    }

    /**
     * This configuration with {@code n} message registers per thread, MR0 included.
     *
     * @param n the number of registers, 8..64
     * @return a new configuration; this one is unchanged
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public Config withMessageRegisters(int n) {
      return new Config(maxThreads, maxSpaces, maxEndpoints, n, waitStrategy, adaptiveSpin, linkDirectory);
    }

    /**
     * This configuration with {@code n} thread slots (each process space takes 64 of them).
     *
     * @param n the size of the thread table, 1..65535
     * @return a new configuration; this one is unchanged
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public Config withMaxThreads(int n) {
      return new Config(n, maxSpaces, maxEndpoints, messageRegisters, waitStrategy, adaptiveSpin, linkDirectory);
    }

    /**
     * This configuration with {@code n} spaces, the kernel's own included (thread and process
     * spaces share the numbers).
     *
     * @param n the number of spaces, 2..32767
     * @return a new configuration; this one is unchanged
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public Config withMaxSpaces(int n) {
      return new Config(maxThreads, n, maxEndpoints, messageRegisters, waitStrategy, adaptiveSpin, linkDirectory);
    }

    /**
     * This configuration with {@code n} endpoint slots (each process space takes 16 of them).
     *
     * @param n the size of the endpoint table, 0..65535
     * @return a new configuration; this one is unchanged
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public Config withMaxEndpoints(int n) {
      return new Config(maxThreads, maxSpaces, n, messageRegisters, waitStrategy, adaptiveSpin, linkDirectory);
    }

    /**
     * This configuration with links created in {@code dir}.
     *
     * @param dir a directory, ideally on a tmpfs, where link files are created
     * @return a new configuration; this one is unchanged
     * @throws NullPointerException if {@code dir} is null
     */
    public Config withLinkDirectory(Path dir) {
      return new Config(maxThreads, maxSpaces, maxEndpoints, messageRegisters, waitStrategy, adaptiveSpin, dir);
    }

    /** {@code $NUCLEUS_LINK_DIR} if set and not blank, else {@code /dev/shm}. */
    static Path defaultLinkDirectory() {
      return LinkFile.defaultDirectory();
    }

    /**
     * This configuration with ADAPTIVE waiters spinning {@code spin} before they sleep.
     *
     * @param spin the spin budget; not negative
     * @return a new configuration; this one is unchanged
     * @throws IllegalArgumentException if {@code spin} is negative
     * @throws NullPointerException if {@code spin} is null
     */
    public Config withAdaptiveSpin(Duration spin) {
      return new Config(maxThreads, maxSpaces, maxEndpoints, messageRegisters, waitStrategy, spin, linkDirectory);
    }
  }

  /** Thread slots given to each process space. */
  static final int PROCESS_THREADS = 64;
  /** Endpoint slots given to each process space. */
  static final int PROCESS_ENDPOINTS = 16;
  /** How long a new process space may take to map its link. */
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

  private final Config config;
  private final ThreadRegistry registry;
  /** The management lock (the registry's): spaces, channels, process spaces change under it. */
  private final Object lock;
  private final Rendezvous home;
  private final ChannelTable channels;
  private final Space[] spaces;
  private final List<Channel> channelList = new ArrayList<>();
  private final List<Interrupt> interrupts = new ArrayList<>();
  private final Space kernelSpace;
  /** The process space of each space number, while it holds that number. */
  private final ProcessSpace[] processSpaces;
  /** The same, for lock-free readers ({@link #offeredTo}): set and cleared with processSpaces. */
  private final AtomicReferenceArray<ProcessSpace> publishedProcessSpaces;
  private final ProcessLauncher launcher = new ProcessLauncher();
  private volatile boolean closed;

  /**
   * A kernel with {@link Config#defaults()}.
   *
   * @return a new, open kernel; close it to end every space it holds
   */
  public static Kernel create() {
    return new Kernel(Config.defaults());
  }

  /**
   * A kernel with {@code config}. Also removes link files in the configured link directory left
   * by kernels whose process has died.
   *
   * @param config the limits and defaults
   * @throws NullPointerException if {@code config} is null
   */
  public Kernel(Config config) {
    this(config, UnaryOperator.identity());
  }

  /**
   * A kernel whose thread spaces sleep and wake through {@code sleeperView} applied to the real
   * sleeper: a test's window on who is woken when.
   */
  Kernel(Config config, UnaryOperator<Sleeper> sleeperView) {
    this.config = Objects.requireNonNull(config, "config");
    // Thread spaces: the memory is the JVM's; it is freed when the kernel is unreachable, so a
    // straggling thread of an ended space can never touch unmapped memory.
    final Arena arena = Arena.ofAuto();
    final long stride = TcbDescriptor.stride(config.messageRegisters());
    final MemorySegment tcbs = arena.allocate(stride * config.maxThreads(), 64);
    final MemorySegment rps = arena.allocate(ReceivePointDescriptor.SIZE * (config.maxThreads() + config.maxEndpoints()), 64);
    this.channels = new ChannelTable(arena, config.maxSpaces());
    // Futex on the TCB's own SLEEPING word wherever Linux offers it: the same wake-up path for
    // thread and process spaces. Park/unpark elsewhere.
    final Sleeper sleeper = sleeperView.apply(Futex.AVAILABLE
        ? new FutexSleeper(tcbs, stride, config.maxThreads())
        : new ParkingSleeper(config.maxThreads()));
    this.home = new Rendezvous(tcbs, rps, stride, config.maxThreads(), config.maxEndpoints(),
        config.messageRegisters(), config.adaptiveSpin().toNanos(), channels, sleeper);
    home.limitSpaces(config.maxSpaces());
    home.clearAll();
    this.processSpaces = new ProcessSpace[config.maxSpaces()];
    this.publishedProcessSpaces = new AtomicReferenceArray<>(config.maxSpaces());
    this.registry = new ThreadRegistry(config, sleeper, this::linkTablesOf, this::allTables);
    this.lock = registry.lock;
    this.spaces = new Space[config.maxSpaces()];
    this.kernelSpace = new Space(registry, this, KERNEL_SPACE, "kernel", home);
    spaces[KERNEL_SPACE] = kernelSpace;
    LinkFile.reclaimOrphans(config.linkDirectory());
  }

  /**
   * The configuration this kernel was created with.
   *
   * @return the configuration; immutable
   */
  public Config config() {
    return config;
  }

  /**
   * Message registers per thread, MR0 included.
   *
   * @return {@code config().messageRegisters()}
   */
  public int messageRegisters() {
    return config.messageRegisters();
  }

  /**
   * Whether {@link #close()} has been called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed;
  }

  // --- spaces and channels ----------------------------------------------------------------

  /**
   * Creates a thread space. Never blocks on IPC.
   *
   * @param name a name for tools and messages
   * @return the new space, alive
   * @throws IllegalStateException if the kernel is closed or its space table is full
   */
  public Space createSpace(String name) {
    synchronized (lock) {
      checkOpen();
      final int n = freeSpaceNumber();
      final Space s = new Space(registry, this, n, name, home);
      spaces[n] = s;
      return s;
    }
  }

  /**
   * The live thread spaces, the kernel's own included.
   *
   * @return a snapshot
   */
  public List<Space> spaces() {
    synchronized (lock) {
      final List<Space> out = new ArrayList<>();
      for (Space s : spaces) {
        if (s != null) {
          out.add(s);
        }
      }
      return out;
    }
  }

  /**
   * Creates a channel between spaces {@code a} and {@code b}: from now on their threads may
   * exchange IPC and notifications, both ways. Never blocks on IPC.
   *
   * @param a a live thread space of this kernel
   * @param b another live thread space of this kernel
   * @return the channel; closing it revokes the permission, also for IPC already queued through it
   * @throws IllegalArgumentException for the same space twice, the kernel's own space, or a space
   *     of another kernel
   * @throws IllegalStateException if the kernel is closed, either space has ended, or a channel exists
   */
  public Channel createChannel(Space a, Space b) {
    synchronized (lock) {
      checkOpen();
      if (a.kernelOrNull() != this || b.kernelOrNull() != this) {
        throw new IllegalArgumentException("spaces belong to another kernel");
      }
      if (a == b) {
        throw new IllegalArgumentException("a space needs no channel to itself: " + a);
      }
      if (a.number() == KERNEL_SPACE || b.number() == KERNEL_SPACE) {
        throw new IllegalArgumentException("the kernel's own space takes no channels: its interrupt"
            + " pseudo-threads already reach every space, and nothing may send to them");
      }
      if (!a.isAlive() || !b.isAlive()) {
        throw new IllegalStateException("cannot connect an ended space: " + a + ", " + b);
      }
      for (Channel c : channelList) {
        if ((c.first() == a && c.second() == b) || (c.first() == b && c.second() == a)) {
          throw new IllegalStateException("channel exists: " + c);
        }
      }
      final Channel c = new Channel(this, a, b);
      channelList.add(c);
      channels.set(a.number(), b.number(), true);
      return c;
    }
  }

  /**
   * Revokes channel {@code c}: new IPC between its spaces is NOT_PERMITTED, and so is IPC queued
   * through it: receivers no longer take such a sender, and the wake-up below makes each one
   * cancel itself with NOT_PERMITTED (send phase) at once.
   */
  void closeChannel(Channel c) {
    synchronized (lock) {
      if (!channelList.remove(c)) {
        return;
      }
      channels.set(c.first().number(), c.second().number(), false);
    }
    registry.wakeAllSleepers();
  }

  /**
   * Whether a channel connects the two spaces (or they are the same, or {@code a} is the kernel's
   * own space, which reaches every space). Lock-free; thread-safe.
   *
   * @param a the sending side
   * @param b the receiving side
   * @return whether threads of {@code a} may send to threads of {@code b}
   */
  public boolean connected(Space a, Space b) {
    return channels.permitted(a.number(), b.number());
  }

  // --- interrupts -------------------------------------------------------------------------

  /**
   * Binds {@code source} to thread {@code handler}: each firing arrives as an IPC from the
   * returned interrupt's pseudo-thread (see {@link Interrupt}). The handler needs no channel: the
   * kernel's own space reaches every space. Never blocks on IPC; returns once the source has been
   * started.
   *
   * @param name a name for the pseudo-thread
   * @param source the event source; started now
   * @param handler the id of the thread that receives the interrupt messages
   * @return the attached interrupt; close it to detach
   * @throws IllegalArgumentException if {@code handler} is not a live thread of the root's
   *     spaces
   * @throws IllegalStateException if the kernel is closed or its thread table is full
   */
  public Interrupt attachInterrupt(String name, InterruptSource source, long handler) {
    synchronized (lock) {
      checkOpen();
      if (ThreadId.isEndpoint(handler) || !ThreadId.isWellFormed(handler) || !home.alive(handler)) {
        throw new IllegalArgumentException("interrupt handler is not a live thread: " + ThreadId.toString(handler));
      }
    }
    final Interrupt irq = new Interrupt(kernelSpace, name, source, handler);
    synchronized (lock) {
      interrupts.add(irq);
    }
    return irq;
  }

  // --- process spaces -------------------------------------------------------------------

  /**
   * Starts a process space: a new JVM (this JDK, this module and class path, native access
   * granted to the kernel) that runs {@code component} in a space of its own, connected by a
   * link to {@code peer}, a thread space of this kernel. Returns once the process has mapped the
   * link; use {@link ProcessSpace#awaitPublished} to learn the ids its component offers. Threads
   * of {@code peer} then talk to it with the usual IPC operations.
   *
   * <p>A thread space may be the peer of any number of process spaces, and keep its channels to
   * other thread spaces: its threads reach each partner through that partner's link, and an open
   * receive ({@link IpcThread#waitAny}, an endpoint wait) takes messages from all of them. A
   * process space has one link, to its peer.
   *
   * <p>Blocks until the child has attached (at most 30 s); never blocks on IPC. Thread-safe.
   *
   * @param name the process space's name, for tools and messages (also its {@link Space#name()}
   *     inside the process)
   * @param component a public class with a public no-argument constructor, in a package its
   *     module exports or opens to {@code dev.nucleus.kernel}
   * @param peer the live thread space of this kernel (not the kernel's own) the process space is
   *     linked to
   * @param args strings handed to the component ({@link ProcessContext#args()})
   * @return the process space, attached; close it to end the process
   * @throws IllegalArgumentException if {@code peer} is not a live thread space of this kernel
   * @throws IllegalStateException if the kernel is closed or full (space numbers, or the 64 thread
   *     and 16 endpoint slots a process space takes), the link cannot be created (e.g. the link
   *     directory is full), or the process does not start or attach
   * @throws UnsupportedOperationException where process spaces are not supported (they need Linux
   *     on x86-64)
   */
  public ProcessSpace spawnProcessSpace(String name, Class<? extends ProcessComponent> component, Space peer,
      String... args) {
    return spawnProcessSpace(name, component, peer, List.of(), args);
  }

  /**
   * As {@link #spawnProcessSpace(String, Class, Space, String...)}, with options for the child
   * JVM (e.g. {@code -Xmx64m}), given after the kernel's own.
   *
   * @param name the process space's name
   * @param component the component class
   * @param peer the thread space the process space is linked to
   * @param jvmOptions options for the child's {@code java} command, each one argument
   * @param args strings handed to the component
   * @return the process space, attached
   * @throws IllegalArgumentException as the other overload, or if an option is not a JVM option
   *     (does not start with {@code -}, or would change the class path, the modules or what runs:
   *     those are the kernel's)
   * @throws IllegalStateException as the other overload (a bad option makes the JVM not start:
   *     its exit code is in the message)
   * @throws UnsupportedOperationException where process spaces are not supported
   */
  public ProcessSpace spawnProcessSpace(String name, Class<? extends ProcessComponent> component, Space peer,
      List<String> jvmOptions, String... args) {
    for (String o : jvmOptions) {
      if (!o.startsWith("-") || List.of("-jar", "-m", "-cp", "-classpath", "--class-path").contains(o)
          || o.startsWith("--module") || o.startsWith("--add-modules")) {
        throw new IllegalArgumentException("not a JVM option for a process space: '" + o + "'");
      }
    }
    final ProcessSpace ps = prepareProcessSpace(name, peer);
    final Link link = ps.link();
    final Process process;
    try {
      process = launcher.start(launcher.command(true, ProcessSpaceMain.class.getName(), link.path().toString(), name,
          component.getName(), config.waitStrategy().name(), Long.toString(config.adaptiveSpin().toNanos()),
          List.copyOf(jvmOptions), List.of(args)));
    } catch (RuntimeException e) {
      ps.close();
      throw new IllegalStateException("cannot start process space " + name + ": " + e.getMessage(), e);
    }
    ps.started(process);
    // A thread of our own waits for the exit: Process.onExit() completes on the common pool,
    // which may be busy (or, with one CPU to spare, entirely taken) by the very caller blocked
    // on this process.
    Thread.ofPlatform().daemon().name("nucleus-watch-" + name).start(() -> {
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        return;
      }
      exited(ps);
    });
    final long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
    while (link.bState() == LinkDescriptor.B_BOOTING && process.isAlive() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    if (link.bState() == LinkDescriptor.B_BOOTING) {
      ps.close();
      throw new IllegalStateException("process space " + name + " did not attach to its link"
          + (process.isAlive() ? " within " + ATTACH_TIMEOUT : " (exit code " + process.exitValue() + ")"));
    }
    link.table().peerPid(process.pid());
    link.unlink(); // both sides have it mapped: nothing need stay in /dev/shm
    return ps;
  }

  /**
   * Gives process spaces {@code a} and {@code b} a channel to each other: a peer link, a file in
   * the link directory that the kernel creates with both spaces' slots reserved and that both
   * processes map. From then on the threads of each reach the other's ids directly, process to
   * process, with the usual IPC operations; a thread of one learns an id of the other as it
   * learns a root thread's, from {@link ProcessSpace#offer} ({@code a.offer("kv",
   * b.awaitPublished("kv", t))}). No third process can reach the link: its name is unguessable
   * and removed once both have mapped it. When either process dies, the kernel tells the other,
   * whose partners blocked on the dead space get PEER_DEAD and whose later IPC to it fails. The
   * link lasts as long as both spaces.
   *
   * <p>Blocks until both processes have mapped the link (at most 30 s). Thread-safe.
   *
   * @param a a live, attached process space of this kernel
   * @param b another
   * @throws IllegalArgumentException if either is not a process space of this kernel, they are
   *     the same, or they are connected already
   * @throws IllegalStateException if the kernel is closed, either space has ended or not attached
   *     yet, either has {@value LinkDescriptor#MAX_PEER_LINKS} peer links already, the link
   *     cannot be created (e.g. the link directory is full: one line naming it, the bytes needed
   *     and free), or a process does not map it in time (the link is then dropped on both sides)
   */
  public void connect(ProcessSpace a, ProcessSpace b) {
    final Link link;
    synchronized (lock) {
      checkOpen();
      for (ProcessSpace ps : new ProcessSpace[] {a, b}) {
        if (ps.kernel() != this) {
          throw new IllegalArgumentException("not a process space of this kernel: " + ps);
        }
        if (!ps.isAlive() || ps.pid() <= 0 || processSpaces[ps.number()] != ps) {
          throw new IllegalStateException(ps + " has " + (ps.isAlive() ? "not attached yet" : "ended"));
        }
        if (ps.peerLinkCount() >= LinkDescriptor.MAX_PEER_LINKS) {
          throw new IllegalStateException(ps + " has " + LinkDescriptor.MAX_PEER_LINKS + " peer links already");
        }
      }
      if (a == b) {
        throw new IllegalArgumentException("a process space cannot be connected to itself: " + a);
      }
      if (a.connectedTo(b)) {
        throw new IllegalArgumentException(a + " and " + b + " are connected already");
      }
      link = Link.createPeer(config.linkDirectory(), config.messageRegisters(), config.maxThreads(),
          config.maxEndpoints(), a.number(), b.number(), ranges(a), ranges(b), a.pid(), b.pid(), config.maxSpaces());
      final String file = link.path().getFileName().toString();
      a.addPeerLink(new ProcessSpace.PeerLink(link, Link.SIDE_A, b));
      b.addPeerLink(new ProcessSpace.PeerLink(link, Link.SIDE_B, a));
      a.link().offerPeerLink(new LinkDescriptor.PeerLinkEntry(file, Link.SIDE_A, b.number()));
      b.link().offerPeerLink(new LinkDescriptor.PeerLinkEntry(file, Link.SIDE_B, a.number()));
    }
    try {
      final long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
      while (!link.bothAttached() && a.isAlive() && b.isAlive() && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      for (ProcessSpace ps : new ProcessSpace[] {a, b}) {
        if (!ps.isAlive()) { // it may have died before its exit could announce it to this link
          final ProcessSpace other = ps == a ? b : a;
          link.markSideDead(ps == a ? Link.SIDE_A : Link.SIDE_B);
          other.link().bumpEvents();
          a.forgetPeerLink(link);
          b.forgetPeerLink(link);
          throw new IllegalStateException(ps + " ended before the peer link to " + other + " was mapped");
        }
      }
      if (!link.bothAttached()) {
        link.markSideDead(Link.SIDE_A | Link.SIDE_B); // each side drops it
        a.link().bumpEvents();
        b.link().bumpEvents();
        a.forgetPeerLink(link);
        b.forgetPeerLink(link);
        throw new IllegalStateException("the peer link between " + a + " and " + b + " was not mapped within "
            + ATTACH_TIMEOUT);
      }
    } finally {
      link.close(); // mapped by both (or given up): its name goes, and the root keeps only its mapping
    }
  }

  /** A process space's slot ranges: first thread, count, first endpoint, count. */
  private static int[] ranges(ProcessSpace ps) {
    return new int[] {ps.firstThread, PROCESS_THREADS, ps.firstEndpoint, PROCESS_ENDPOINTS};
  }

  /**
   * Prepares a process space for a process started by other means (a service manager, a shell,
   * another deployment tool): creates its link to {@code peer} and returns at once. The process
   * attaches by running {@link ProcessSpace#attachCommand} (or, for a peer written in another
   * language, by following docs/protocol.md); the kernel then waits for its exit through a pidfd
   * (as promptly as for a child) and fails everything blocked on it when it exits. Until it
   * attaches, the link file exists in the link directory; {@link ProcessSpace#close} removes it.
   * Does not wait for the process. Thread-safe.
   *
   * @param name the process space's name, for tools and messages
   * @param peer the live thread space of this kernel (not the kernel's own) the process space is
   *     linked to
   * @return the process space, waiting for its process; {@link ProcessSpace#pid()} is -1 until
   *     the process has attached
   * @throws IllegalArgumentException if {@code peer} is not a live thread space of this kernel
   * @throws IllegalStateException if the kernel is closed or full, or the link cannot be created
   * @throws UnsupportedOperationException where process spaces are not supported (they need Linux
   *     on x86-64)
   */
  public ProcessSpace openProcessSpace(String name, Space peer) {
    final ProcessSpace ps = prepareProcessSpace(name, peer);
    Thread.ofPlatform().daemon().name("nucleus-watch-" + name).start(() -> watchAttached(ps));
    return ps;
  }

  /** The command line that runs {@code component} in process space {@code ps}'s process. */
  List<String> attachCommand(ProcessSpace ps, Class<?> component, String[] args) {
    return launcher.command(false, ProcessSpaceMain.class.getName(), ps.link().path().toString(), ps.name(),
        component.getName(), config.waitStrategy().name(), Long.toString(config.adaptiveSpin().toNanos()),
        List.of(), List.of(args));
  }

  /** For a process we did not start: waits for it to attach, then for its exit (pidfd, not polling). */
  private void watchAttached(ProcessSpace ps) {
    final Link link = ps.link();
    try {
      while (link.bState() == LinkDescriptor.B_BOOTING) {
        if (ps.isClosed()) {
          return;
        }
        Thread.sleep(5);
      }
      // The pid comes from shared memory: believe it only if that process maps our link.
      final long pid = link.pidB();
      final ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
      if (handle == null || !ProcessLauncher.mapsFile(pid, link.path())) {
        exited(ps); // gone already, or a pid that is not the attached process
        return;
      }
      ps.attached(handle);
      link.table().peerPid(pid);
      link.unlink();
      ProcessExitWatch.awaitExit(pid); // as prompt as a child's exit: pidfd + poll
      exited(ps);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void exited(ProcessSpace ps) {
    try {
      ps.exited();
    } catch (RuntimeException | Error e) {
      System.err.println("nucleus: cleaning up after " + ps + " failed: " + e);
    }
  }

  /**
   * Reserves a space number and slot ranges, creates the link, gives {@code peer} ports in it.
   * Package-private for the loopback fuzz target, which attaches the process side in this JVM.
   */
  ProcessSpace prepareProcessSpace(String name, Space peer) {
    synchronized (lock) {
      checkOpen();
      if (peer.kernelOrNull() != this || !peer.isAlive() || peer.number() == KERNEL_SPACE) {
        throw new IllegalArgumentException("peer must be a live thread space of this kernel: " + peer);
      }
      final int number = freeSpaceNumber();
      final int first = registry.reserveThreads(PROCESS_THREADS);
      final int firstEp;
      try {
        firstEp = registry.reserveEndpoints(PROCESS_ENDPOINTS);
      } catch (RuntimeException e) {
        registry.releaseThreads(first, PROCESS_THREADS, 0);
        throw e;
      }
      final long versionBase = registry.versionBase(first, PROCESS_THREADS, firstEp, PROCESS_ENDPOINTS);
      Link link = null;
      try {
        link = Link.create(config.linkDirectory(), config.messageRegisters(), config.maxThreads(), config.maxEndpoints(),
            config.adaptiveSpin().toNanos(), peer.number(), number, first, PROCESS_THREADS, firstEp, PROCESS_ENDPOINTS,
            config.maxSpaces(), versionBase);
        peer.tables.addLinkTable(number, link.table());
      } catch (RuntimeException | Error e) {
        if (link != null) {
          try {
            link.close();
          } catch (RuntimeException | Error suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        registry.releaseThreads(first, PROCESS_THREADS, 0);
        registry.releaseEndpoints(firstEp, PROCESS_ENDPOINTS, 0);
        throw e;
      }
      final ProcessSpace ps = new ProcessSpace(this, number, name, peer, link, first, firstEp, versionBase);
      processSpaces[number] = ps;
      publishedProcessSpaces.set(number, ps);
      return ps;
    }
  }

  /**
   * After process space {@code ps} ended (its link's ports are dead and its table is out of its
   * peer's set): its space number and slot ranges go back to the kernel, for the next space to
   * take. The slots' versions move past every version the process may have used (see
   * ThreadRegistry.releaseThreads), so its ids stay stale whoever takes the slots next.
   */
  void processSpaceEnded(ProcessSpace ps) {
    synchronized (lock) {
      if (processSpaces[ps.number()] != ps) {
        return;
      }
      processSpaces[ps.number()] = null;
      publishedProcessSpaces.set(ps.number(), null);
      final long usedUpTo = ps.versionBase + LinkDescriptor.VERSION_WINDOW;
      registry.releaseThreads(ps.firstThread, PROCESS_THREADS, usedUpTo);
      registry.releaseEndpoints(ps.firstEndpoint, PROCESS_ENDPOINTS, usedUpTo);
    }
  }

  /**
   * The tables process space {@code number}'s threads have ports in, while it is alive: its root
   * link's and (read through the kernel's own mapping) its peer links'; else none.
   */
  private Rendezvous[] linkTablesOf(int number) {
    synchronized (lock) {
      final ProcessSpace ps = number >= 0 && number < processSpaces.length ? processSpaces[number] : null;
      return ps != null && ps.isAlive() ? ps.tables() : new Rendezvous[0];
    }
  }

  /** Every table of this kernel: home and each process space's link. */
  private List<Rendezvous> allTables() {
    final List<Rendezvous> all = new ArrayList<>();
    all.add(home);
    for (ProcessSpace ps : processSpaces()) {
      all.add(ps.link().table());
    }
    return all;
  }

  private int freeSpaceNumber() {
    for (int n = 1; n < spaces.length; n++) {
      if (spaces[n] == null && processSpaces[n] == null) {
        return n;
      }
    }
    throw new IllegalStateException("space table full (" + spaces.length + " spaces)");
  }

  /**
   * Whether {@code spaceNumber} is a process space of this kernel that has been offered
   * {@code id} ({@link ProcessSpace#offer}): what an RPC export in the root asks before it serves
   * a call from a process, so that a process calls only what it was given. False for a number
   * that is no process space now (a thread space, or a process space that has ended). Never
   * blocks, takes no lock, allocates nothing; any thread.
   *
   * @param spaceNumber the caller's space number (from its kernel-stamped id)
   * @param id the id it calls
   * @return true if that process space holds an offer of {@code id}
   */
  public boolean offeredTo(int spaceNumber, long id) {
    if (spaceNumber < 0 || spaceNumber >= publishedProcessSpaces.length()) {
      return false;
    }
    final ProcessSpace ps = publishedProcessSpaces.get(spaceNumber);
    return ps != null && ps.offered(id);
  }

  /**
   * The process spaces started or opened by this kernel that have not ended yet. An ended one
   * gives back its space number and slot ranges at once (its handle stays usable: exit code,
   * pid); its ids never alias a later space's, because slot versions only grow.
   *
   * @return a snapshot
   */
  public List<ProcessSpace> processSpaces() {
    synchronized (lock) {
      final List<ProcessSpace> out = new ArrayList<>();
      for (ProcessSpace ps : processSpaces) {
        if (ps != null) {
          out.add(ps);
        }
      }
      return out;
    }
  }

  // --- ending ---------------------------------------------------------------------------------

  /** After space {@code space} ended (its threads and endpoints are retired): its channels go. */
  void spaceEnded(Space space) {
    final List<Channel> toClose = new ArrayList<>();
    synchronized (lock) {
      for (Channel c : channelList) {
        if (c.first() == space || c.second() == space) {
          toClose.add(c);
        }
      }
      if (space.number() != KERNEL_SPACE) {
        spaces[space.number()] = null;
      }
    }
    toClose.forEach(Channel::close);
  }

  /**
   * Closes the kernel: stops interrupts, closes every process space and ends every space, so
   * every thread's IPC returns CLOSED or PEER_DEAD. Later management calls throw
   * IllegalStateException. Idempotent; thread-safe. Blocks while interrupt pseudo-threads stop
   * and process spaces exit (up to about 1 s each for one that ignores SIGTERM).
   */
  @Override
  public void close() {
    final List<Interrupt> irqs;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      irqs = List.copyOf(interrupts);
    }
    irqs.forEach(Interrupt::close);
    for (ProcessSpace ps : processSpaces()) {
      ps.close();
    }
    for (Space s : spaces()) {
      s.end();
    }
    launcher.shutdown();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("kernel is closed");
    }
  }

  // --- inspection ---------------------------------------------------------------------------

  /**
   * What thread {@code id} is doing in IPC (ExchangeRegisters' view), also for threads of
   * process spaces (read from their link). A stale or unknown id reads as DEAD. Thread-safe;
   * never blocks on IPC: it reads the IPC state without a lock (a consistent snapshot of one
   * moment per table) and takes the management lock only briefly, to find the thread.
   *
   * @param id a thread id
   * @return a snapshot of the thread's IPC state
   * @throws IllegalArgumentException if {@code id} is an endpoint's id
   */
  public IpcState ipcState(long id) {
    return registry.ipcState(id);
  }

  /**
   * The live IPC threads of the root's spaces (interrupt pseudo-threads included), for tools.
   *
   * @return a snapshot
   */
  public List<IpcThread> threads() {
    return registry.threads();
  }

  /** The table of IPC among the root's thread spaces (tests look into it). */
  Rendezvous home() {
    return home;
  }

  /** Thread and endpoint slots, for the process-space code and tests. */
  ThreadRegistry registry() {
    return registry;
  }

  /** Ends thread {@code t} (its close). */
  void exitThread(IpcThread t) {
    registry.exitThread(t);
  }
}
