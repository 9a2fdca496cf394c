package dev.nucleus.rpc.internal;

import static dev.nucleus.rpc.internal.CallLaneDescriptor.CLOSED;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.METHOD_ID_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.NANOS_LEFT_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.OUTCOME_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.REPLY_CAPACITY;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.REPLY_FRAME_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.REPLY_LENGTH_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.REQUEST_CAPACITY;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.REQUEST_FLAGS_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.REQUEST_FRAME_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.REQUEST_LENGTH_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.SEQUENCE_MASK;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.SERVICE_ID_OFFSET;
import static dev.nucleus.rpc.internal.CallLaneDescriptor.VACANT;

import dev.nucleus.kernel.Endpoint;
import dev.nucleus.kernel.Futex;
import dev.nucleus.kernel.IpcState;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.Dispatcher;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.ServerCall;
import dev.nucleus.rpc.ServiceDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The call lanes of one export (docs/rpc-wire.md, section 10): the table of lanes its clients
 * opened, and what a pool thread does with one. A pool thread that has just served a kernel call
 * from a thread with a lane takes that lane ({@link #attach}), answers the call, and then, instead
 * of going back to the endpoint, polls the lane ({@link #attend}): the thread's next call is
 * posted there with one CAS and answered through the lane's reply line, with no kernel call, no
 * queue and no claim race. The thread leaves the lane, with a CAS that a post can beat, as soon
 * as callers queue at the endpoint (looked at after each call and at each look at the clock, so
 * they wait for one call of the lane's at most), once no call came for {@code idleNanos}, after
 * {@code tenureNanos} in all, or when the export closes.
 *
 * <pre>
 * Implementation overview
 *
 *   open (LANE_OPEN, a call): check the caller, map its region, put it in a free slot of the table
 *   attach(lane): s := POSTED; if VACANT and not CLOSED: CAS(s|VACANT -> s), then ATTENDANT := self
 *   attend: loop
 *     POSTED == s      idle: spin; every 64 polls read the clock: callers queued at the endpoint,
 *                      idle too long, tenure over or closing: CAS(s -> s|VACANT) and return (a
 *                      failed CAS: a post came first)
 *     POSTED == s + 1  TAKEN := s + 1; copy and check the request; serve it; write the reply;
 *                      REPLIED := s + 1 (volatile); wake a sleeping client; s := s + 1; then
 *                      leave as above if callers are queued, the tenure is over or closing
 *     anything else    the client closed the lane, or broke the protocol: let the lane go
 * </pre>
 *
 * <p>Every field of a request is read once from shared memory and checked before use, and the
 * frame is copied out before the adapter reads it: a client cannot change a request under the
 * server. A malformed request is answered MALFORMED_REQUEST on the lane; a lane whose POSTED
 * breaks the protocol is let go (its client's later calls take the kernel path, or hang only
 * itself). The caller's identity is the one the kernel stamped on LANE_OPEN; the export's
 * permission is checked on every call.
 *
 * <p>Thread-safety: {@link #open} and the table are safe for the pool's threads; a lane is
 * attended by one thread at a time, as the CAS on POSTED decides.
 */
public final class CallLanes {

  private static final System.Logger LOG = System.getLogger(CallLanes.class.getName());

  /** Lanes one export holds at most; a LANE_OPEN beyond is refused (the client takes the kernel path). */
  public static final int MAX_LANES = 1024;
  /** How long a pool thread polls an idle lane before it leaves, unless the property below says otherwise. */
  public static final long DEFAULT_IDLE_NANOS = 50_000;
  /** The system property (nanoseconds) read as an export starts: how long a pool thread polls an idle lane. */
  public static final String IDLE_PROPERTY = "dev.nucleus.rpc.laneIdleNanos";
  /** How long a pool thread stays on one lane at most, busy or not, unless the property below says otherwise. */
  public static final long DEFAULT_TENURE_NANOS = 1_000_000;
  /** The system property (nanoseconds) read as an export starts: how long a pool thread stays on one lane at most. */
  public static final String TENURE_PROPERTY = "dev.nucleus.rpc.laneTenureNanos";
  /**
   * How often, at most, the export looks for lanes to let go (closed by their client, or of a
   * thread that has ended): on a call or an attendant's look at the clock, once this long has
   * passed since the last look, so that a lane nobody attends is let go without a thread of its
   * own.
   */
  static final long SWEEP_NANOS = 1_000_000_000L;
  /** Polls between two looks at the clock. */
  private static final int POLLS_PER_CLOCK = 64;
  /** An idle time not started yet. */
  private static final long NOT_YET = Long.MIN_VALUE;
  /**
   * How long an idle attendant polls before it yields at each look at the clock, so that one that
   * shares a CPU with its client (on two vCPUs the scheduler does that now and then) gives it the
   * CPU within a few microseconds. Counted in time, not polls: a poll costs 10-40 ns here as the
   * host's phase goes, and a client's turn between two calls (a few hundred nanoseconds) must
   * never meet a yield, a system call that would delay the attendant's next look.
   */
  static final long YIELD_AFTER_NANOS = 2_000;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

  private final Space space;
  /** The export's endpoint: callers queued there make an attendant leave its lane. */
  private final Endpoint endpoint;
  private final ServiceDescriptor<?> service;
  private final Dispatcher dispatcher;
  private final LongAdder served;
  private final OnewayServer.Permission permits;
  private final long idleNanos;
  private final long tenureNanos;
  private final AtomicReferenceArray<ServerCallLane> table = new AtomicReferenceArray<>(MAX_LANES);
  private final LongAdder laneCalls = new LongAdder();
  /** Guards the table's changes other than a lane's removal by its attendant: placing and sweeping. */
  private final ReentrantLock tableLock = new ReentrantLock();
  /** Lanes in the table (a hint: read without the lock, to skip sweeps of an empty table). */
  private final AtomicInteger held = new AtomicInteger();
  /** The {@link Timeout#now()} clock at the last sweep. */
  private volatile long lastSweep;
  private volatile boolean closing;

  /**
   * The lanes of an export.
   *
   * @param space the export's space
   * @param endpoint the export's endpoint
   * @param service what it serves
   * @param dispatcher its adapter
   * @param served the export's count of requests handed to the implementation
   * @param permits whether a caller may call the export now
   */
  public CallLanes(Space space, Endpoint endpoint, ServiceDescriptor<?> service, Dispatcher dispatcher,
      LongAdder served, OnewayServer.Permission permits) {
    this.space = space;
    this.endpoint = endpoint;
    this.service = service;
    this.dispatcher = dispatcher;
    this.served = served;
    this.permits = permits;
    this.idleNanos = Math.max(0, Long.getLong(IDLE_PROPERTY, DEFAULT_IDLE_NANOS));
    this.tenureNanos = Math.max(0, Long.getLong(TENURE_PROPERTY, DEFAULT_TENURE_NANOS));
  }

  /** Calls served on lanes so far: a moment's sum. */
  public long callsServed() {
    return laneCalls.sum();
  }

  // --- LANE_OPEN, on a pool thread ---------------------------------------------------------------

  /**
   * Serves the LANE_OPEN call in {@code self}'s registers (its label checked by the caller, and a
   * call): takes the lane into the table, or refuses it. Writes what the answer carries into
   * {@code reply} (cleared first): on OK, the i32 index of the lane in the table.
   *
   * @return the lane's index (0 or more) if it was taken, which is to be answered OK; else minus
   *     the outcome that refused it
   */
  public int open(IpcThread self, Frame reply) {
    final int outcome = take(self, reply);
    return outcome == Outcome.OK ? reply.segment().get(INT, 0) : -outcome;
  }

  private int take(IpcThread self, Frame reply) {
    reply.clear();
    final long tag = self.tag();
    if (MessageTag.words(tag) != RegisterFrames.LANE_OPEN_WORDS) {
      return Refusals.malformed(reply, "a LANE_OPEN of " + MessageTag.words(tag) + " words, not "
          + RegisterFrames.LANE_OPEN_WORDS);
    }
    final long sender = self.sender();
    if (!permits.permits(ThreadId.space(sender), self.senderPid())) {
      return Outcome.NOT_PERMITTED;
    }
    if ((int) self.mr(1) != service.id()) {
      return Outcome.UNKNOWN_METHOD;
    }
    final long version = self.mr(1) >>> 32;
    if (version != RegisterFrames.LANE_VERSION) {
      return Refusals.unavailable(reply, "lane layout " + version + " (this server has layout "
          + RegisterFrames.LANE_VERSION + ")");
    }
    if (closing) {
      return Refusals.unavailable(reply, "the export is closing");
    }
    if (self.waitStrategy() == WaitStrategy.BLOCK) {
      return Refusals.unavailable(reply, "the export's threads block, so none polls a lane");
    }
    final int registers = self.messageRegisters();
    if (RegisterFrames.capacity(registers, RegisterFrames.CALL_HEADER) < REQUEST_CAPACITY
        || RegisterFrames.capacity(registers, RegisterFrames.REPLY_HEADER) > REPLY_CAPACITY) {
      return Refusals.unavailable(reply, "lanes carry the frames of 64 message registers; the export's threads have "
          + registers);
    }
    final Arena arena = Arena.ofShared();
    final MemorySegment memory;
    try {
      memory = SharedRegion.map(self.mr(2), self.senderPid(), CallLaneDescriptor.SIZE, arena);
    } catch (IllegalArgumentException | IllegalStateException e) {
      arena.close();
      return Refusals.malformed(reply, e.getMessage());
    }
    final int index = place(arena, memory, sender, self.senderPid());
    if (index < 0) {
      arena.close();
      return Refusals.unavailable(reply, "the export has " + MAX_LANES + " call lanes, the most it holds");
    }
    reply.putInt(index);
    return Outcome.OK;
  }

  /** Puts a new lane into a free slot, after letting go of those that are done; its index, or -1. */
  private int place(Arena arena, MemorySegment memory, long owner, long pid) {
    tableLock.lock();
    try {
      sweep();
      for (int i = 0; i < MAX_LANES; i++) {
        if (table.get(i) == null) {
          table.set(i, new ServerCallLane(arena, memory, i, owner, pid));
          held.incrementAndGet();
          return i;
        }
      }
      return -1;
    } finally {
      tableLock.unlock();
    }
  }

  /**
   * Sweeps the table if it holds lanes and {@link #SWEEP_NANOS} have passed since the last sweep
   * ({@code now} on the {@link Timeout#now()} clock): called on calls and attendants' looks at the
   * clock, so it costs them a volatile read or two, and one sweep a second at most.
   */
  public void maybeSweep(long now) {
    if (held.get() != 0 && now - lastSweep > SWEEP_NANOS && tableLock.tryLock()) {
      try {
        sweep();
      } finally {
        tableLock.unlock();
      }
    }
  }

  /** Lets go of the lanes nobody attends whose client closed them or whose thread has ended; with the lock. */
  private void sweep() {
    lastSweep = Timeout.now();
    for (int i = 0; i < MAX_LANES; i++) {
      final ServerCallLane lane = table.get(i);
      if (lane == null) {
        continue;
      }
      final long posted = CallLaneDescriptor.postedAcquire(lane.memory);
      if ((posted & VACANT) != 0 && ((posted & CLOSED) != 0 || ownerGone(lane))
          && CallLaneDescriptor.casPosted(lane.memory, posted, posted | CLOSED)) {
        remove(lane);
      }
    }
  }

  private boolean ownerGone(ServerCallLane lane) {
    return space.ipcState(lane.ownerThread).kind() == IpcState.Kind.DEAD;
  }

  /** Takes {@code lane} out of the table and unmaps it: by the one thread that owns it now. */
  private void remove(ServerCallLane lane) {
    if (table.compareAndSet(lane.index, lane, null)) {
      held.decrementAndGet();
      lane.arena.close();
    }
  }


  // --- attending, on a pool thread -------------------------------------------------------------------

  /**
   * The lane at {@code index} if it is thread {@code sender}'s (the kernel's stamp on the call
   * that named it), else null: a client names only its own lane.
   */
  public ServerCallLane laneOf(int index, long sender) {
    if (index < 0 || index >= MAX_LANES) {
      return null;
    }
    final ServerCallLane lane = table.get(index);
    return lane != null && lane.ownerThread == sender ? lane : null;
  }

  /**
   * Takes {@code lane} for thread {@code self}, if nobody attends it: returns the sequence number
   * of its last request (the one {@link #attend} starts from), or -1 if another thread has it, the
   * client closed it, or it is gone.
   */
  public long attach(ServerCallLane lane, long self) {
    if (closing) {
      return -1;
    }
    try {
      final long posted = CallLaneDescriptor.postedAcquire(lane.memory);
      if ((posted & VACANT) == 0 || (posted & CLOSED) != 0) {
        return -1;
      }
      if (!CallLaneDescriptor.casPosted(lane.memory, posted, posted & SEQUENCE_MASK)) {
        return -1;
      }
      // Only the thread that took the lane names itself, before it answers the call that made it
      // take it: a client that posts after that answer finds its attendant named.
      CallLaneDescriptor.setAttendant(lane.memory, self);
      return posted & SEQUENCE_MASK;
    } catch (IllegalStateException unmapped) { // let go by another thread meanwhile
      return -1;
    }
  }

  /**
   * Attends {@code lane}, taken by {@link #attach} at {@code sequence}: serves each call posted on
   * it, with {@code call} (over the thread's own frames, {@code stack} being its request's
   * memory), until the lane is idle for too long, the tenure is over or the export closes; then
   * leaves it VACANT (or lets it go, if the client closed it or broke the protocol).
   */
  public void attend(ServerCallLane lane, long sequence, ServerCall call, MemorySegment stack, RegionCache regions,
      ResultSpace results) {
    final MemorySegment m = lane.memory;
    long s = sequence;
    final long leaveBy = Timeout.now() + tenureNanos;
    long idleSince = NOT_YET; // the idle time is counted from the first look at the clock after a call
    int polls = 0;
    while (true) {
      final long posted = CallLaneDescriptor.postedAcquire(m);
      if (posted == s) {
        if (++polls % POLLS_PER_CLOCK != 0) {
          Thread.onSpinWait();
          continue;
        }
        final long now = Timeout.now();
        if (idleSince == NOT_YET) {
          idleSince = now;
        }
        maybeSweep(now);
        if (now - idleSince < idleNanos && now < leaveBy && !closing && !endpoint.hasQueuedCallers()) {
          if (now - idleSince >= YIELD_AFTER_NANOS) {
            Thread.yield();
          }
          continue;
        }
        if (CallLaneDescriptor.casPosted(m, s, s | VACANT)) {
          return;
        }
        continue; // a call was posted first: serve it
      }
      if (posted == s + 1) {
        s = posted;
        final long began = serve(lane, s, call, stack, regions, results);
        idleSince = NOT_YET;
        polls = 0;
        // A client that posts back to back never leaves the lane idle: callers queued at the
        // endpoint, the tenure and the close are looked at after every call too, so that those
        // callers get their turn after this call, not after the lane's client has had its fill.
        if ((endpoint.hasQueuedCallers() || began >= leaveBy || closing)
            && CallLaneDescriptor.casPosted(m, s, s | VACANT)) {
          return;
        }
        continue;
      }
      letGo(lane, posted);
      return;
    }
  }

  /**
   * Serves request {@code s} of {@code lane}; returns the clock as it began (read for the call's
   * deadline: one clock read per call, about 30 ns here).
   */
  private long serve(ServerCallLane lane, long s, ServerCall call, MemorySegment stack, RegionCache regions,
      ResultSpace results) {
    final MemorySegment m = lane.memory;
    CallLaneDescriptor.setTaken(m, s);
    final int methodId = m.get(INT, METHOD_ID_OFFSET);
    final int serviceId = m.get(INT, SERVICE_ID_OFFSET);
    final long left = m.get(LONG, NANOS_LEFT_OFFSET);
    final int length = m.get(INT, REQUEST_LENGTH_OFFSET);
    final int flags = m.get(INT, REQUEST_FLAGS_OFFSET);
    final Frame reply = call.reply();
    final long now = Timeout.now();
    final boolean offers = (flags & CallLaneDescriptor.RESULT_SPACE) != 0;
    final int capacity = (int) Math.min(offers ? CallLaneDescriptor.OFFERED_REQUEST_CAPACITY : REQUEST_CAPACITY,
        stack.byteSize());
    final long offered = offers ? m.get(LONG, CallLaneDescriptor.RESULT_BYTES_OFFSET) : 0;
    int outcome;
    if ((flags & ~(CallLaneDescriptor.RESULT_SPACE | CallLaneDescriptor.RESULT_KEPT)) != 0
        || (flags & CallLaneDescriptor.RESULT_KEPT) != 0 && !offers) {
      outcome = Refusals.malformed(reply.clear(), "request flags 0x" + Integer.toHexString(flags) + " on a call lane");
    } else if (length < 0 || length > capacity) {
      outcome = Refusals.malformed(reply.clear(), "a request frame of " + Integer.toUnsignedString(length)
          + " bytes on a call lane, which carries " + capacity + (offers ? " with an offer of space" : ""));
    } else if (offers && (offered <= 0 || offered > RegisterFrames.MAX_RESULT_SPACE)) {
      outcome = Refusals.malformed(reply.clear(), "a result space of " + offered + " bytes (RESULT_BYTES), not in [1, "
          + RegisterFrames.MAX_RESULT_SPACE + "]");
    } else if (!permits.permits(lane.ownerSpace, lane.ownerPid)) {
      reply.clear();
      outcome = Outcome.NOT_PERMITTED;
    } else if (serviceId != service.id()) {
      reply.clear();
      outcome = Outcome.UNKNOWN_METHOD;
    } else {
      final Frame request = call.request();
      MemorySegment.copy(m, offers ? CallLaneDescriptor.OFFERED_FRAME_OFFSET : REQUEST_FRAME_OFFSET,
          request.segment(), 0, length);
      request.wrap(length);
      if (offers) { // mapped only if the reply outgrows the lane
        results.offerLater(regions, lane.ownerPid, m.get(LONG, CallLaneDescriptor.RESULT_HANDLE_OFFSET),
            m.get(LONG, CallLaneDescriptor.RESULT_TOKEN_OFFSET), offered, (flags & CallLaneDescriptor.RESULT_KEPT) != 0);
      }
      call.begin(methodId, false, left < 0 ? Deadlines.NONE : now + left, lane.ownerSpace, lane.ownerThread,
          lane.ownerPid);
      served.increment();
      laneCalls.increment();
      outcome = call.serve(dispatcher);
    }
    try {
      final long replyLength = reply.position();
      m.set(INT, OUTCOME_OFFSET, outcome);
      m.set(INT, REPLY_LENGTH_OFFSET, (int) replyLength);
      if (replyLength <= REPLY_CAPACITY && replyLength > 0) {
        MemorySegment.copy(reply.segment(), 0, m, REPLY_FRAME_OFFSET, replyLength);
      } // longer: it grew into the space the request offered, and is there (the length says so)
    } finally {
      results.withdraw();
    }
    CallLaneDescriptor.setRepliedVolatile(m, s);
    if (CallLaneDescriptor.clientSleepingVolatile(m) != 0 && CallLaneDescriptor.casClientSleeping(m)) {
      Futex.wake(m, CallLaneDescriptor.CLIENT_SLEEPING_OFFSET);
    }
    return now;
  }

  /** The client closed {@code lane} or broke its protocol (POSTED was {@code posted}): let it go. */
  private void letGo(ServerCallLane lane, long posted) {
    if ((posted & CLOSED) == 0) {
      LOG.log(System.Logger.Level.WARNING, service.name() + ": " + lane + " broke the lane protocol (POSTED 0x"
          + Long.toHexString(posted) + "); the lane is let go");
    }
    CallLaneDescriptor.casPosted(lane.memory, posted, posted | CLOSED | VACANT);
    remove(lane);
  }

  // --- closing ---------------------------------------------------------------------------------------

  /** From now on no lane is taken or opened, and attending threads leave at their next look. */
  public void close() {
    closing = true;
  }

  /** Unmaps every lane: once the pool's threads have ended. */
  public void unmapAll() {
    for (int i = 0; i < MAX_LANES; i++) {
      final ServerCallLane lane = table.get(i);
      if (lane != null) {
        remove(lane);
      }
    }
  }
}
