package dev.nucleus.kernel;

import static dev.nucleus.kernel.TcbDescriptor.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.nio.file.Path;

/**
 * The kernel: owns the spaces, the threads' control blocks, the receive points and the channel
 * table, and provides the mechanisms to create and end them. Policy (who may create what, naming,
 * restart) belongs to user-level servers: whoever holds the Kernel object is the root task.
 *
 * <p>All IPC state lives in memory segments laid out by {@link TcbDescriptor} and
 * {@link ReceivePointDescriptor}; this class only allocates and recycles their slots. The
 * rendezvous itself is in {@link Rendezvous}, reached through {@link IpcThread}.
 *
 * <p>Thread-safe: management operations are serialized on the kernel; IPC never takes that lock.
 */
public final class Kernel implements AutoCloseable {

  /** Space number of the kernel's own space (interrupt pseudo-threads). */
  public static final int KERNEL_SPACE = 0;

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
   */
  public record Config(int maxThreads, int maxSpaces, int maxEndpoints, int messageRegisters,
      WaitStrategy waitStrategy, Duration adaptiveSpin) {

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
      if (adaptiveSpin.isNegative()) {
        throw new IllegalArgumentException("adaptiveSpin must not be negative, got " + adaptiveSpin);
      }
    }

    /** 1024 threads, 256 spaces, 256 endpoints, 64 registers, ADAPTIVE spinning 25 µs. */
    public static Config defaults() {
      return new Config(1024, 256, 256, 64, WaitStrategy.ADAPTIVE, Duration.ofNanos(25_000));
    }

    public Config withWaitStrategy(WaitStrategy w) {
      return new Config(maxThreads, maxSpaces, maxEndpoints, messageRegisters, w, adaptiveSpin);
    }

    public Config withMessageRegisters(int n) {
      return new Config(maxThreads, maxSpaces, maxEndpoints, n, waitStrategy, adaptiveSpin);
    }

    public Config withMaxThreads(int n) {
      return new Config(n, maxSpaces, maxEndpoints, messageRegisters, waitStrategy, adaptiveSpin);
    }
  }

  private final Config config;
  final Rendezvous rendezvous;
  final Sleeper sleeper;
  private final ChannelTable channels;
  private final Space[] spaces;
  private final Endpoint[] endpoints;
  private final long[] endpointVersions;
  private final IpcThread[] threads;
  /** The last occupant of each free slot, until its Java thread can no longer touch the slot. */
  private final IpcThread[] retired;
  private final long[] threadVersions;
  private final List<Channel> channelList = new ArrayList<>();
  private final List<Interrupt> interrupts = new ArrayList<>();
  private final Space kernelSpace;
  private final Space processSpace;
  /** Root: the process space of each space number. */
  private final ProcessSpace[] processSpaces;
  private java.util.concurrent.ExecutorService spawner;
  /** Thread and endpoint slots that belong to process spaces (or, in a process, to others). */
  private final boolean[] reservedThreads;
  private final boolean[] reservedEndpoints;
  private volatile boolean closed;

  /** A kernel with {@link Config#defaults()}. */
  public static Kernel create() {
    return new Kernel(Config.defaults());
  }

  public Kernel(Config config) {
    this(config, UnaryOperator.identity());
  }

  /**
   * A kernel whose thread spaces sleep and wake through {@code sleeperView} applied to the real
   * sleeper: a test's window on who is woken when.
   */
  Kernel(Config config, UnaryOperator<Sleeper> sleeperView) {
    this.config = config;
    // Thread spaces: the memory is the JVM's; it is freed when the kernel is unreachable, so a
    // straggling thread of an ended space can never touch unmapped memory.
    final Arena arena = Arena.ofAuto();
    final long stride = TcbDescriptor.stride(config.messageRegisters());
    final MemorySegment tcbs = arena.allocate(stride * config.maxThreads(), 64);
    final MemorySegment rps = arena.allocate(ReceivePointDescriptor.SIZE * (config.maxThreads() + config.maxEndpoints()), 64);
    this.channels = new ChannelTable(arena, config.maxSpaces());
    // Futex on the TCB's own SLEEPING word wherever Linux offers it: the same wake-up path for
    // thread and process spaces. Park/unpark elsewhere.
    this.sleeper = sleeperView.apply(Futex.AVAILABLE
        ? new FutexSleeper(tcbs, stride, config.maxThreads())
        : new ParkingSleeper(config.maxThreads()));
    this.rendezvous = new Rendezvous(tcbs, rps, stride, config.maxThreads(), config.maxEndpoints(),
        config.messageRegisters(), config.adaptiveSpin().toNanos(), channels, sleeper);
    rendezvous.clearAll();
    this.spaces = new Space[config.maxSpaces()];
    this.endpoints = new Endpoint[config.maxEndpoints()];
    this.endpointVersions = new long[config.maxEndpoints()];
    this.threads = new IpcThread[config.maxThreads()];
    this.retired = new IpcThread[config.maxThreads()];
    this.threadVersions = new long[config.maxThreads()];
    this.reservedThreads = new boolean[config.maxThreads()];
    this.reservedEndpoints = new boolean[config.maxEndpoints()];
    this.kernelSpace = new Space(this, KERNEL_SPACE, "kernel", rendezvous);
    spaces[KERNEL_SPACE] = kernelSpace;
    this.processSpace = null;
    this.processSpaces = new ProcessSpace[config.maxSpaces()];
    ChannelFile.reclaimOrphans(ChannelFile.DEFAULT_DIR);
  }

  /**
   * The kernel of a process space, inside its own process: one space, whose threads have their
   * ports in {@code channel}'s table, within the index ranges the root assigned.
   */
  Kernel(Config config, ChannelSegment channel, String spaceName) {
    this.config = config;
    this.rendezvous = channel.table();
    this.sleeper = rendezvous.sleeper();
    this.channels = null;
    this.spaces = new Space[Math.max(channel.spaceA(), channel.spaceB()) + 1];
    this.endpoints = new Endpoint[config.maxEndpoints()];
    this.endpointVersions = new long[config.maxEndpoints()];
    this.threads = new IpcThread[config.maxThreads()];
    this.retired = new IpcThread[config.maxThreads()];
    this.threadVersions = new long[config.maxThreads()];
    this.reservedThreads = new boolean[config.maxThreads()];
    this.reservedEndpoints = new boolean[config.maxEndpoints()];
    // Everything outside the ranges the root gave us belongs to others.
    java.util.Arrays.fill(reservedThreads, true);
    java.util.Arrays.fill(reservedEndpoints, true);
    final int first = channel.header(ChannelDescriptor.B_FIRST_INDEX_OFFSET);
    java.util.Arrays.fill(reservedThreads, first, first + channel.header(ChannelDescriptor.B_INDEX_COUNT_OFFSET), false);
    final int firstEp = channel.header(ChannelDescriptor.B_FIRST_EP_OFFSET);
    java.util.Arrays.fill(reservedEndpoints, firstEp, firstEp + channel.header(ChannelDescriptor.B_EP_COUNT_OFFSET), false);
    this.kernelSpace = null;
    this.processSpaces = new ProcessSpace[0];
    this.processSpace = new Space(this, channel.spaceB(), spaceName, rendezvous);
    spaces[channel.spaceB()] = processSpace;
  }

  /** In a process space's own process: its space. Null in the root kernel. */
  Space processSpace() {
    return processSpace;
  }

  public Config config() {
    return config;
  }

  /** Message registers per thread, MR0 included. */
  public int messageRegisters() {
    return config.messageRegisters();
  }

  public boolean isClosed() {
    return closed;
  }

  // --- spaces and channels ----------------------------------------------------------------

  /** Creates a thread space. Throws IllegalStateException if the kernel is closed or full. */
  public synchronized Space createSpace(String name) {
    checkOpen();
    checkRoot();
    for (int n = 1; n < spaces.length; n++) {
      if (spaces[n] == null && processSpaces[n] == null) {
        final Space s = new Space(this, n, name, rendezvous);
        spaces[n] = s;
        return s;
      }
    }
    throw new IllegalStateException("space table full (" + spaces.length + " spaces)");
  }

  /** The live spaces, the kernel's own included. */
  public synchronized List<Space> spaces() {
    final List<Space> out = new ArrayList<>();
    for (Space s : spaces) {
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Creates a channel between spaces {@code a} and {@code b}: from now on their threads may
   * exchange IPC and notifications. Throws IllegalArgumentException for the same space twice or
   * a space of another kernel, IllegalStateException if either has ended or a channel exists.
   */
  public synchronized Channel createChannel(Space a, Space b) {
    checkOpen();
    checkRoot();
    if (a.kernel() != this || b.kernel() != this) {
      throw new IllegalArgumentException("spaces belong to another kernel");
    }
    if (a == b) {
      throw new IllegalArgumentException("a space needs no channel to itself: " + a);
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

  synchronized void closeChannel(Channel c) {
    if (channelList.remove(c)) {
      channels.set(c.first().number(), c.second().number(), false);
    }
  }

  /** Whether a channel connects the two spaces (or they are the same). */
  public boolean connected(Space a, Space b) {
    return channels.permitted(a.number(), b.number());
  }

  // --- threads ------------------------------------------------------------------------------

  synchronized IpcThread createThread(Space space, String name, WaitStrategy wait) {
    checkOpen();
    Objects.requireNonNull(wait, "wait strategy");
    if (!space.isAlive()) {
      throw new IllegalStateException("cannot create a thread in an ended " + space);
    }
    for (int i = 0; i < threads.length; i++) {
      if (threads[i] != null || reservedThreads[i] || (retired[i] != null && !retired[i].isReleased())) {
        continue; // occupied, or the previous occupant's Java thread may still touch the slot
      }
      if (!space.tablesReusable(i)) {
        continue; // senders queued at the previous occupant have not left yet
      }
      final long version = nextVersion(threadVersions[i]);
      threadVersions[i] = version;
      final long id = ThreadId.of(space.number(), i, version);
      final long epoch = space.initPorts(i, id);
      final IpcThread t = new IpcThread(this, space, i, id, epoch, name, wait);
      threads[i] = t;
      space.addThread(t);
      return t;
    }
    throw new IllegalStateException("thread table full (" + threads.length + " threads)");
  }

  /** Ends thread {@code t}: stale id, PEER_DEAD for partners blocked on it. Idempotent. */
  void exitThread(IpcThread t) {
    synchronized (this) {
      if (threads[t.index] != t) {
        return;
      }
      retire(t);
    }
    wakeAllSleepers();
  }

  /** Kills {@code t} and frees its slot for reuse once its Java thread lets go. Holds the lock. */
  private void retire(IpcThread t) {
    kill(t);
    threads[t.index] = null;
    retired[t.index] = t;
    t.space.removeThread(t);
    sleeper.bind(t.index, null);
  }

  /** Wakes every sleeping thread of this kernel, in every table, to re-check its partner. */
  void wakeAllSleepers() {
    rendezvous.wakeAllSleepers();
    for (ProcessSpace ps : processSpaces()) {
      ps.channel().table().wakeAllSleepers();
    }
  }

  /** Marks {@code t} dead in every table of its space. Caller holds the kernel lock and wakes sleepers after. */
  private void kill(IpcThread t) {
    t.ended = true;
    final int[] endpointRps = t.joined.stream().mapToInt(e -> e.rp).toArray();
    for (Rendezvous table : t.space.tables()) {
      table.killPort(t.index, endpointRps);
    }
  }

  // --- endpoints ----------------------------------------------------------------------------

  synchronized Endpoint createEndpoint(Space space, String name) {
    checkOpen();
    if (!space.isAlive()) {
      throw new IllegalStateException("cannot create an endpoint in an ended " + space);
    }
    for (int j = 0; j < endpoints.length; j++) {
      final int rp = config.maxThreads() + j;
      if (endpoints[j] != null || reservedEndpoints[j] || !space.endpointReusable(j)) {
        continue;
      }
      final long version = nextVersion(endpointVersions[j]);
      endpointVersions[j] = version;
      final long id = ThreadId.endpoint(space.number(), j, version);
      final Endpoint e = new Endpoint(this, space, j, rp, id, name);
      endpoints[j] = e;
      space.openEndpoint(j, id);
      return e;
    }
    throw new IllegalStateException("endpoint table full (" + endpoints.length + " endpoints)");
  }

  void destroyEndpoint(Endpoint e) {
    synchronized (this) {
      if (endpoints[e.slot] != e) {
        return;
      }
      retire(e);
    }
    wakeAllSleepers();
  }

  /** Closes {@code e} in every table of its space and frees its slot. Holds the lock. */
  private void retire(Endpoint e) {
    e.space.closeEndpoint(e.slot);
    endpoints[e.slot] = null;
    e.space.removeEndpoint(e);
  }

  /** The next version of a slot: versions never repeat until they wrap, and are never 0. */
  private static long nextVersion(long version) {
    return version >= ThreadId.MAX_VERSION ? 1 : version + 1;
  }

  // --- interrupts -------------------------------------------------------------------------

  /**
   * Binds {@code source} to thread {@code handler}: each firing arrives as an IPC from the
   * returned interrupt's pseudo-thread (see {@link Interrupt}). Throws IllegalArgumentException
   * if {@code handler} is not a live thread.
   */
  public Interrupt attachInterrupt(String name, InterruptSource source, long handler) {
    synchronized (this) {
      checkOpen();
      if (ThreadId.isEndpoint(handler) || !ThreadId.isWellFormed(handler) || !rendezvous.alive(handler)) {
        throw new IllegalArgumentException("interrupt handler is not a live thread: " + ThreadId.toString(handler));
      }
    }
    final Interrupt irq = new Interrupt(kernelSpace, name, source, handler);
    synchronized (this) {
      interrupts.add(irq);
    }
    return irq;
  }

  // --- process spaces -------------------------------------------------------------------

  /** Thread slots given to each process space. */
  static final int PROCESS_THREADS = 64;
  /** Endpoint slots given to each process space. */
  static final int PROCESS_ENDPOINTS = 16;
  /** How long a new process space may take to map its channel. */
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Starts a process space: a new JVM (this JDK, this class path, native access enabled) that
   * runs {@code component} in a space of its own, connected by a channel segment to
   * {@code peer}, a thread space of this kernel. Returns once the process has mapped the
   * channel; use {@link ProcessSpace#awaitPublished} to learn the id its component offers.
   * Threads of {@code peer} then talk to it with the usual IPC operations.
   *
   * <p>A thread space may be the peer of any number of process spaces, and keep its channels to
   * other thread spaces: its threads reach each partner through that partner's channel, and an
   * open receive ({@link IpcThread#waitAny}, an endpoint wait) takes messages from all of them.
   * A process space has one channel, to its peer.
   *
   * @throws IllegalArgumentException if {@code peer} is not a live thread space of this kernel
   * @throws IllegalStateException if the kernel is closed or full, or the process does not start
   */
  public ProcessSpace spawnProcessSpace(String name, Class<? extends ProcessComponent> component, Space peer,
      String... args) {
    final ProcessSpace ps = prepareProcessSpace(name, peer);
    final ChannelSegment channel = ps.channel();
    final Process process;
    try {
      process = spawner().submit(() -> new ProcessBuilder(childCommand(channel, name, component, args))
          .inheritIO().start()).get();
    } catch (Exception e) {
      ps.close();
      throw new IllegalStateException("cannot start process space " + name, e);
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
    while (channel.bState() == ChannelDescriptor.B_BOOTING && process.isAlive() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    if (channel.bState() == ChannelDescriptor.B_BOOTING) {
      ps.close();
      throw new IllegalStateException("process space " + name + " did not attach to its channel"
          + (process.isAlive() ? " within " + ATTACH_TIMEOUT : " (exit code " + process.exitValue() + ")"));
    }
    channel.unlink(); // both sides have it mapped: nothing need stay in /dev/shm
    return ps;
  }

  /**
   * Prepares a process space for a process started by other means (a service manager, a shell,
   * another machine's deployment tool): creates its channel to {@code peer} and returns at once.
   * The process attaches by running {@link ProcessSpace#attachCommand}; the kernel then watches
   * its pid (polling, as it is not our child) and fails everything blocked on it when it exits.
   * Until it attaches, the channel file exists in {@code /dev/shm}; {@link ProcessSpace#close}
   * removes it.
   *
   * @throws IllegalArgumentException if {@code peer} is not a live thread space of this kernel
   * @throws IllegalStateException if the kernel is closed or full
   */
  public ProcessSpace openProcessSpace(String name, Space peer) {
    final ProcessSpace ps = prepareProcessSpace(name, peer);
    Thread.ofPlatform().daemon().name("nucleus-watch-" + name).start(() -> watchAttached(ps));
    return ps;
  }

  /** For a process we did not start: waits for it to attach, then polls its liveness. */
  private void watchAttached(ProcessSpace ps) {
    final ChannelSegment channel = ps.channel();
    try {
      while (channel.bState() == ChannelDescriptor.B_BOOTING) {
        if (ps.isClosed()) {
          return;
        }
        Thread.sleep(5);
      }
      // The pid comes from shared memory: believe it only if that process maps our channel.
      final long pid = channel.pidB();
      final ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
      if (handle == null || !ProcessSpace.mapsChannel(pid, channel.path())) {
        exited(ps); // gone already, or a pid that is not the attached process
        return;
      }
      ps.attached(handle);
      channel.unlink();
      while (handle.isAlive()) {
        Thread.sleep(LIVENESS_POLL_MILLIS);
      }
      exited(ps);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How often the liveness of a process we did not start is polled (its exit is then seen within this). */
  private static final long LIVENESS_POLL_MILLIS = 20;

  private static void exited(ProcessSpace ps) {
    try {
      ps.exited();
    } catch (RuntimeException | Error e) {
      System.err.println("nucleus: cleaning up after " + ps + " failed: " + e);
      e.printStackTrace();
    }
  }

  /** Reserves a space number and slot ranges, creates the channel, gives {@code peer} ports in it. */
  private ProcessSpace prepareProcessSpace(String name, Space peer) {
    synchronized (this) {
      checkOpen();
      checkRoot();
      if (peer.kernel() != this || !peer.isAlive() || peer.number() == KERNEL_SPACE) {
        throw new IllegalArgumentException("peer must be a live thread space of this kernel: " + peer);
      }
      final int number = freeSpaceNumber();
      final int first = reserveRange(reservedThreads, threads, PROCESS_THREADS, "thread");
      final int firstEp = reserveRange(reservedEndpoints, endpoints, PROCESS_ENDPOINTS, "endpoint");
      final ChannelSegment channel = ChannelSegment.create(ChannelFile.DEFAULT_DIR, config, peer.number(), number,
          first, PROCESS_THREADS, firstEp, PROCESS_ENDPOINTS);
      try {
        peer.addChannelTable(number, channel.table());
      } catch (RuntimeException e) {
        channel.close();
        java.util.Arrays.fill(reservedThreads, first, first + PROCESS_THREADS, false);
        java.util.Arrays.fill(reservedEndpoints, firstEp, firstEp + PROCESS_ENDPOINTS, false);
        throw e;
      }
      final ProcessSpace ps = new ProcessSpace(this, number, name, peer, channel);
      processSpaces[number] = ps;
      return ps;
    }
  }

  List<String> childCommand(ChannelSegment channel, String name, Class<?> component, String[] args) {
    final String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The marker property comes first so that tools see it even in a truncated command line.
    final List<String> cmd = new ArrayList<>(List.of(java, "-Ddev.nucleus.processSpace=" + name,
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ProcessSpaceMain.class.getName(),
        channel.path().toString(), name, component.getName()));
    cmd.add(config.waitStrategy().name());
    cmd.add(Long.toString(config.adaptiveSpin().toNanos()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * A long-lived thread starts child processes: Linux's parent-death signal follows the thread
   * that forked, so a short-lived caller thread must not be the parent.
   */
  private synchronized java.util.concurrent.ExecutorService spawner() {
    if (spawner == null) {
      spawner = java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("nucleus-spawner").unstarted(r));
    }
    return spawner;
  }

  private int freeSpaceNumber() {
    for (int n = 1; n < spaces.length; n++) {
      if (spaces[n] == null && processSpaces[n] == null) {
        return n;
      }
    }
    throw new IllegalStateException("space table full (" + spaces.length + " spaces)");
  }

  private static int reserveRange(boolean[] reserved, Object[] used, int count, String what) {
    for (int first = 0; first + count <= reserved.length; first++) {
      boolean free = true;
      for (int i = first; i < first + count && free; i++) {
        free = !reserved[i] && used[i] == null;
      }
      if (free) {
        java.util.Arrays.fill(reserved, first, first + count, true);
        return first;
      }
    }
    throw new IllegalStateException("no " + count + " free " + what + " slots left for a process space");
  }

  /**
   * The process spaces started by this kernel. A dead one's space number and slot ranges stay
   * reserved while the kernel lives, so that ids of the dead process never alias a later space's.
   */
  public synchronized List<ProcessSpace> processSpaces() {
    final List<ProcessSpace> out = new ArrayList<>();
    for (ProcessSpace ps : processSpaces) {
      if (ps != null) {
        out.add(ps);
      }
    }
    return out;
  }

  // --- ending ---------------------------------------------------------------------------------

  void endSpace(Space space) {
    synchronized (this) {
      for (IpcThread t : space.threads()) {
        retire(t);
      }
      for (Endpoint e : space.endpoints()) {
        retire(e);
      }
      for (Channel c : List.copyOf(channelList)) {
        if (c.first() == space || c.second() == space) {
          c.close();
        }
      }
      if (space.number() != KERNEL_SPACE) {
        spaces[space.number()] = null;
      }
    }
    wakeAllSleepers();
  }

  /**
   * Closes the kernel: stops interrupts and ends every space, so every thread's IPC returns
   * CLOSED or PEER_DEAD. Later management calls throw IllegalStateException. Idempotent.
   */
  @Override
  public void close() {
    final List<Interrupt> irqs;
    synchronized (this) {
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
    synchronized (this) {
      if (spawner != null) {
        spawner.shutdownNow();
      }
    }
  }

  private void checkRoot() {
    if (processSpace != null) {
      throw new UnsupportedOperationException("only the root kernel creates spaces and channels");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("kernel is closed");
    }
  }

  // --- inspection ---------------------------------------------------------------------------

  /**
   * What thread {@code id} is doing in IPC (ExchangeRegisters' view), also for threads of
   * process spaces (read from their channel). A stale or unknown id reads as DEAD. Thread-safe; a consistent snapshot of one moment.
   */
  public IpcState ipcState(long id) {
    if (ThreadId.isEndpoint(id)) {
      throw new IllegalArgumentException("not a thread id: " + ThreadId.toString(id));
    }
    final int i = ThreadId.index(id);
    if (!ThreadId.isWellFormed(id) || i >= config.maxThreads()) {
      return new IpcState(IpcState.Kind.DEAD, ThreadId.NIL, ThreadId.NIL);
    }
    final IpcThread t = threadAt(i);
    if (t == null || t.id != id) {
      for (ProcessSpace ps : processSpaces()) { // a thread of a process space: read its port
        if (ps.number() == ThreadId.space(id) && ps.isAlive()) {
          return ps.channel().table().ipcState(i, id);
        }
      }
      return new IpcState(IpcState.Kind.DEAD, ThreadId.NIL, ThreadId.NIL);
    }
    // A thread does IPC in one of its tables at a time, except an open receive, which waits in
    // all of them (PortSet): it is receiving once it waits in every one, and not before.
    IpcState idle = null;
    IpcState receiving = null;
    for (Rendezvous table : t.space.tables()) {
      final IpcState s = table.ipcState(i, id);
      switch (s.kind()) {
        case IDLE -> idle = s;
        case RECEIVING, WAITING_FOR_NOTIFICATION -> receiving = s;
        default -> {
          return s;
        }
      }
    }
    return idle != null || receiving == null ? idle : receiving;
  }

  private synchronized IpcThread threadAt(int i) {
    return threads[i];
  }

  /** The live IPC threads, for tools. */
  public synchronized List<IpcThread> threads() {
    final List<IpcThread> out = new ArrayList<>();
    for (IpcThread t : threads) {
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }
}
