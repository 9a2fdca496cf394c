package dev.nucleus.kernel;

import static dev.nucleus.kernel.TcbDescriptor.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
  private final MemorySegment tcbs;
  private final MemorySegment rps;
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
  private volatile boolean closed;

  /** A kernel with {@link Config#defaults()}. */
  public static Kernel create() {
    return new Kernel(Config.defaults());
  }

  public Kernel(Config config) {
    this.config = config;
    // Thread spaces: the memory is the JVM's; it is freed when the kernel is unreachable, so a
    // straggling thread of an ended space can never touch unmapped memory.
    final Arena arena = Arena.ofAuto();
    final long stride = TcbDescriptor.stride(config.messageRegisters());
    this.tcbs = arena.allocate(stride * config.maxThreads(), 64);
    final int rpCount = config.maxThreads() + config.maxEndpoints();
    this.rps = arena.allocate(ReceivePointDescriptor.SIZE * rpCount, 64);
    for (int i = 0; i < rpCount; i++) {
      ReceivePointDescriptor.clear(rps, Rendezvous.rpOffset(i));
    }
    this.channels = new ChannelTable(arena, config.maxSpaces());
    // Futex on the TCB's own SLEEPING word wherever Linux offers it: the same wake-up path for
    // thread and process spaces. Park/unpark elsewhere.
    this.sleeper = Futex.AVAILABLE
        ? new FutexSleeper(tcbs, stride, config.maxThreads())
        : new ParkingSleeper(config.maxThreads());
    this.rendezvous = new Rendezvous(tcbs, rps, stride, config.maxThreads(), config.maxEndpoints(),
        config.messageRegisters(), config.adaptiveSpin().toNanos(), channels, sleeper);
    this.spaces = new Space[config.maxSpaces()];
    this.endpoints = new Endpoint[config.maxEndpoints()];
    this.endpointVersions = new long[config.maxEndpoints()];
    this.threads = new IpcThread[config.maxThreads()];
    this.retired = new IpcThread[config.maxThreads()];
    this.threadVersions = new long[config.maxThreads()];
    this.kernelSpace = new Space(this, KERNEL_SPACE, "kernel", rendezvous);
    spaces[KERNEL_SPACE] = kernelSpace;
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
    for (int n = 1; n < spaces.length; n++) {
      if (spaces[n] == null) {
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
      if (threads[i] != null || (retired[i] != null && !retired[i].isReleased())) {
        continue; // occupied, or the previous occupant's Java thread may still touch the slot
      }
      if (!space.tablesReusable(i)) {
        continue; // senders queued at the previous occupant have not left yet
      }
      final long version = threadVersions[i] >= ThreadId.MAX_VERSION ? 1 : threadVersions[i] + 1;
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
      kill(t);
      threads[t.index] = null;
      retired[t.index] = t;
      t.space.removeThread(t);
    }
    sleeper.bind(t.index, null);
    wakeAllSleepers();
  }

  /** Wakes every sleeping thread of this kernel, in every table, to re-check its partner. */
  void wakeAllSleepers() {
    rendezvous.wakeAllSleepers();
  }

  /** Marks {@code t} dead in every table of its space. Caller holds the kernel lock and wakes sleepers after. */
  private void kill(IpcThread t) {
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
      if (endpoints[j] != null || !space.endpointReusable(j)) {
        continue;
      }
      final long version = endpointVersions[j] >= ThreadId.MAX_VERSION ? 1 : endpointVersions[j] + 1;
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
      e.space.closeEndpoint(e.slot);
      endpoints[e.slot] = null;
      e.space.removeEndpoint(e);
    }
    wakeAllSleepers();
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

  // --- ending ---------------------------------------------------------------------------------

  void endSpace(Space space) {
    synchronized (this) {
      for (IpcThread t : space.threads()) {
        kill(t);
        threads[t.index] = null;
        retired[t.index] = t;
        space.removeThread(t);
        sleeper.bind(t.index, null);
      }
      for (Endpoint e : space.endpoints()) {
        space.closeEndpoint(e.slot);
        endpoints[e.slot] = null;
        space.removeEndpoint(e);
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
    for (Space s : spaces()) {
      s.end();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("kernel is closed");
    }
  }

  // --- inspection ---------------------------------------------------------------------------

  /**
   * What thread {@code id} is doing in IPC (ExchangeRegisters' view). A stale or unknown id reads
   * as DEAD. Thread-safe; a consistent snapshot of one moment.
   */
  public IpcState ipcState(long id) {
    if (ThreadId.isEndpoint(id)) {
      throw new IllegalArgumentException("not a thread id: " + ThreadId.toString(id));
    }
    final int i = ThreadId.index(id);
    if (!ThreadId.isWellFormed(id) || i >= config.maxThreads()) {
      return new IpcState(IpcState.Kind.DEAD, ThreadId.NIL, ThreadId.NIL);
    }
    final long to = rendezvous.tcbOffset(i);
    while (true) {
      final long st = stateVolatile(tcbs, to);
      final long partner = getLongVolatile(tcbs, to, PARTNER_OFFSET);
      final int rp = getIntVolatile(tcbs, to, WAIT_RP_OFFSET);
      final boolean current = idVolatile(tcbs, to) == id;
      if (stateVolatile(tcbs, to) != st) {
        continue;
      }
      final long endpoint = rp >= config.maxThreads()
          ? ReceivePointDescriptor.ownerVolatile(rps, Rendezvous.rpOffset(rp)) : ThreadId.NIL;
      final IpcState.Kind kind = !current ? IpcState.Kind.DEAD : switch (code(st)) {
        case RECEIVING -> rp < 0 ? IpcState.Kind.WAITING_FOR_NOTIFICATION : IpcState.Kind.RECEIVING;
        case SENDING -> IpcState.Kind.SENDING;
        case WAIT_REPLY -> IpcState.Kind.WAITING_FOR_REPLY;
        case CLAIMED, TAKEN -> IpcState.Kind.TRANSFERRING;
        case DEAD, FREE -> IpcState.Kind.DEAD;
        default -> IpcState.Kind.IDLE;
      };
      final boolean hasPartner = kind == IpcState.Kind.RECEIVING || kind == IpcState.Kind.SENDING
          || kind == IpcState.Kind.WAITING_FOR_REPLY;
      return new IpcState(kind, hasPartner ? partner : ThreadId.NIL,
          kind == IpcState.Kind.RECEIVING || kind == IpcState.Kind.SENDING ? endpoint : ThreadId.NIL);
    }
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
