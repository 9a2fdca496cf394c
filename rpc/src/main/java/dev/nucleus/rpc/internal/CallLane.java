package dev.nucleus.rpc.internal;

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
import static dev.nucleus.rpc.internal.CallLaneDescriptor.SERVICE_ID_OFFSET;

import dev.nucleus.kernel.Futex;
import dev.nucleus.kernel.IpcState;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.rpc.DeadlineExceededException;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.MalformedFrameException;
import dev.nucleus.rpc.MethodDescriptor;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RpcException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One calling thread's call lane to one export: the client's half of docs/rpc-wire.md, section
 * 10 ({@link CallLaneDescriptor}). A {@link KernelCall} opens it on the thread's second two-way
 * call; from then on a call whose request and reply fit the lane is posted there when a server
 * thread attends it ({@link #tryPost}), and its reply read from the reply line ({@link
 * #awaitReply}); otherwise the call takes the kernel path, naming the lane so that the server
 * thread that answers may attend it afterwards.
 *
 * <pre>
 * Implementation overview
 *
 *   tryPost:    the last request answered (REPLIED == s) and POSTED == s (attended, open):
 *               write the request; CAS(POSTED, s -> s + 1); a failed CAS: not posted, kernel path
 *   awaitReply: poll REPLIED until it is s + 1: spin (as the thread's wait strategy says), then
 *               announce CLIENT_SLEEPING and sleep on it (futex) in slices; between polls the
 *               deadline (receive phase: the call was delivered), the binding's close, and, once
 *               per slice, whether the attendant still runs: if not, TAKEN says the phase
 * </pre>
 *
 * <p>What the server writes is not trusted: a REPLIED that is neither the last nor the awaited
 * sequence number, an invalid outcome or a reply length beyond the lane makes the call
 * {@link MalformedFrameException} and the lane unused from then on.
 *
 * <p>Used by its thread only, except {@link #close()}; allocates nothing once open.
 */
public final class CallLane implements AutoCloseable {

  /** How long an ADAPTIVE thread spins for the reply before it sleeps: about what a wake-up costs. */
  static final long SPIN_NANOS = 25_000L;
  /** How often a waiting client asks the kernel whether the attendant still runs. */
  static final long LIVENESS_SLICE_NANOS = 50_000_000L;
  /** Polls between two looks at the clock. */
  private static final int POLLS_PER_CLOCK = 64;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

  private final IpcThread thread;
  private final SharedRegion region;
  private final MemorySegment memory;
  private final long server;
  private final int index;
  /** The sequence number of the last request posted. */
  private long posted;
  /** Whether the last request posted was given up (deadline) before its reply came. */
  private boolean unanswered;
  /** Whether the lane is no longer used: the server broke its protocol, or its attendant died. */
  private boolean broken;
  /** The length of the last reply if it was in the offered space, else -1. */
  private long replyInRegion = -1;
  /** An attendant found ended at the last look, to be confirmed at the next; NIL if none. */
  private long suspect = ThreadId.NIL;
  private volatile boolean closed;

  private CallLane(IpcThread thread, SharedRegion region, long server, int index) {
    this.thread = thread;
    this.region = region;
    this.memory = region.segment();
    this.server = server;
    this.index = index;
  }

  /**
   * Opens the lane of {@code thread} (the calling thread's own) to endpoint {@code server} of
   * service {@code serviceId}: makes and formats the region and asks the server to take it
   * (LANE_OPEN), bounded by {@code deadline}. Uses {@code reply}'s memory to read the answer.
   *
   * @return the lane, or null if the server did not take it (a refusal, an older server, any
   *     failure of the call: the caller goes on with kernel calls, which report what is wrong)
   */
  static CallLane open(IpcThread thread, long server, int serviceId, long deadline, Frame reply) {
    final SharedRegion region;
    try {
      region = SharedRegion.create(CallLaneDescriptor.SIZE);
    } catch (IllegalStateException | UnsupportedOperationException e) {
      return null;
    }
    boolean taken = false;
    try {
      CallLaneDescriptor.format(region.segment());
      thread.setTag(MessageTag.of(RegisterFrames.LANE_OPEN, RegisterFrames.LANE_OPEN_WORDS));
      thread.setMr(1, (serviceId & 0xFFFF_FFFFL) | ((long) RegisterFrames.LANE_VERSION << 32));
      thread.setMr(2, region.handle());
      final long timeout = Deadlines.toTimeout(deadline);
      if (thread.call(server, timeout, timeout) != Status.OK) {
        return null;
      }
      final long tag = thread.tag();
      final long word = thread.mr(1);
      if (MessageTag.label(tag) != RegisterFrames.REPLY || MessageTag.words(tag) < RegisterFrames.REPLY_HEADER
          || (int) word != Outcome.OK) {
        return null;
      }
      RegisterFrames.read(thread, 1 + RegisterFrames.REPLY_HEADER, word >>> 32, reply);
      final int index = reply.getInt();
      reply.expectEnd();
      if (index < 0 || index >= CallLanes.MAX_LANES) {
        return null;
      }
      taken = true;
      return new CallLane(thread, region, server, index);
    } catch (MalformedFrameException e) {
      return null;
    } finally {
      if (!taken) {
        region.close();
      }
    }
  }

  /** The endpoint the lane goes to. */
  long server() {
    return server;
  }

  /** What MR2 of a kernel call carries so that the server may attend this lane afterwards. */
  long field() {
    return broken ? 0 : (long) (index + 1) << RegisterFrames.LANE_SHIFT;
  }

  /** Whether the lane can be used at all: neither broken nor closed. */
  boolean usable() {
    return !broken && !closed;
  }

  /**
   * Posts a request of {@code methodId} of {@code serviceId} with {@code nanosLeft} before its
   * deadline ({@link Long#MAX_VALUE}: none) and {@code request}'s bytes, if a server thread
   * attends the lane and has answered the last one; with {@code resultRegion} not null, the
   * request offers {@code resultBytes} of it (from its offset 64; its token {@code resultToken};
   * {@code kept}: the thread's argument stack) for a reply too large for the lane. Returns whether
   * it was posted: if so the call is delivered (a server thread will serve it), else nothing was
   * sent.
   */
  boolean tryPost(int methodId, int serviceId, long nanosLeft, Frame request, SharedRegion resultRegion,
      long resultToken, long resultBytes, boolean kept) {
    final MemorySegment m = memory;
    final long s = posted;
    if (unanswered) {
      if (CallLaneDescriptor.repliedAcquire(m) != s) {
        return false; // the server still serves the call given up on
      }
      unanswered = false;
    }
    final long length = request.position();
    final boolean offers = resultRegion != null;
    if (length > (offers ? CallLaneDescriptor.OFFERED_REQUEST_CAPACITY : REQUEST_CAPACITY)
        || CallLaneDescriptor.postedAcquire(m) != s) {
      return false; // too large for the lane, or nobody attends it
    }
    m.set(INT, METHOD_ID_OFFSET, methodId);
    m.set(INT, SERVICE_ID_OFFSET, serviceId);
    m.set(LONG, NANOS_LEFT_OFFSET, nanosLeft == Long.MAX_VALUE ? -1 : nanosLeft);
    m.set(INT, REQUEST_LENGTH_OFFSET, (int) length);
    final long frameAt;
    if (offers) {
      m.set(INT, REQUEST_FLAGS_OFFSET, CallLaneDescriptor.RESULT_SPACE | (kept ? CallLaneDescriptor.RESULT_KEPT : 0));
      m.set(LONG, CallLaneDescriptor.RESULT_HANDLE_OFFSET, resultRegion.handle());
      m.set(LONG, CallLaneDescriptor.RESULT_TOKEN_OFFSET, resultToken);
      m.set(LONG, CallLaneDescriptor.RESULT_BYTES_OFFSET, resultBytes);
      frameAt = CallLaneDescriptor.OFFERED_FRAME_OFFSET;
    } else {
      m.set(INT, REQUEST_FLAGS_OFFSET, 0);
      frameAt = REQUEST_FRAME_OFFSET;
    }
    if (length > 0) {
      MemorySegment.copy(request.segment(), 0, m, frameAt, length);
    }
    if (!CallLaneDescriptor.casPosted(m, s, s + 1)) {
      return false; // the attendant left first
    }
    posted = s + 1;
    return true;
  }

  /**
   * Waits for the reply to the request just posted, up to {@code deadline}, and copies its frame
   * into {@code reply}; returns its outcome. A reply longer than the lane carries is in the space
   * the request offered: {@link #replyInRegion()} then says its length, and {@code reply} is left
   * for the caller to point there (after checking the length against what it offered).
   *
   * @throws DeadlineExceededException (receive phase) if the deadline passes first
   * @throws PeerDeadException if the attendant died (receive phase if it had taken the request,
   *     send phase if not) or the binding was closed meanwhile
   * @throws MalformedFrameException if the server's answer breaks the lane's protocol
   */
  int awaitReply(long deadline, MethodDescriptor method, Frame reply) {
    final MemorySegment m = memory;
    if (CallLaneDescriptor.repliedAcquire(m) != posted) {
      awaitSlowly(deadline, method);
    }
    final int outcome = m.get(INT, OUTCOME_OFFSET);
    final long length = Integer.toUnsignedLong(m.get(INT, REPLY_LENGTH_OFFSET));
    final MemorySegment into = reply.segment();
    if (!Outcome.isValid(outcome)) {
      broken = true;
      throw new MalformedFrameException("the reply to " + method + " on its call lane is not an RPC reply (outcome "
          + outcome + ", " + length + " bytes)", 0);
    }
    if (length > REPLY_CAPACITY) { // in the space the request offered: the caller checks it
      replyInRegion = length;
      return outcome;
    }
    replyInRegion = -1;
    if (length > into.byteSize()) {
      broken = true;
      throw new MalformedFrameException("the reply to " + method + " on its call lane has " + length
          + " bytes, more than this thread's reply frame holds (" + into.byteSize() + ")", 0);
    }
    if (length > 0) {
      MemorySegment.copy(m, REPLY_FRAME_OFFSET, into, 0, length);
    }
    reply.wrap(length);
    return outcome;
  }

  private void awaitSlowly(long deadline, MethodDescriptor method) {
    final MemorySegment m = memory;
    final long awaited = posted;
    final boolean spinsForEver = thread.waitStrategy() == WaitStrategy.SPIN;
    long spinUntil = Long.MAX_VALUE; // from the first look at the clock: a reply within 64 polls reads none
    long nextCheck = Long.MAX_VALUE;
    int polls = 0;
    while (true) {
      final long replied = CallLaneDescriptor.repliedAcquire(m);
      if (replied == awaited) {
        return;
      }
      if (replied != awaited - 1) {
        broken = true;
        throw new MalformedFrameException("the reply to " + method + " on its call lane answers request " + replied
            + ", not " + awaited, 0);
      }
      if (++polls % POLLS_PER_CLOCK != 0) {
        Thread.onSpinWait();
        continue;
      }
      final long now = Timeout.now();
      if (nextCheck == Long.MAX_VALUE) {
        nextCheck = now + SPIN_NANOS;
        spinUntil = spinsForEver ? Long.MAX_VALUE : now + SPIN_NANOS;
      } else {
        Thread.yield(); // past the first look: a few microseconds, more than any hand-off between CPUs (see CallLanes)
      }
      if (closed) {
        throw new PeerDeadException(RpcException.Phase.RECEIVE, method + ": the binding was closed during the call");
      }
      if (deadline != Deadlines.NONE && now >= deadline) {
        unanswered = true;
        throw new DeadlineExceededException(RpcException.Phase.RECEIVE, method
            + ": delivered on the call lane, not answered before the deadline");
      }
      if (now >= nextCheck) {
        checkAttendant(awaited, method);
        nextCheck = now + LIVENESS_SLICE_NANOS;
      }
      if (now < spinUntil) {
        continue;
      }
      CallLaneDescriptor.setClientSleepingVolatile(m, 1);
      if (CallLaneDescriptor.repliedVolatile(m) != awaited) {
        Futex.await(m, CallLaneDescriptor.CLIENT_SLEEPING_OFFSET, 1,
            deadline == Deadlines.NONE ? nextCheck : Math.min(deadline, nextCheck));
      }
      CallLaneDescriptor.setClientSleepingVolatile(m, 0);
    }
  }

  /**
   * Throws if the thread that attends the lane has ended, in the phase TAKEN says: once the
   * kernel has reported the same ATTENDANT ended at two looks a slice apart, so that a thread that
   * took the lane an instant ago and has not named itself yet (it names itself right after its
   * CAS) is not mistaken for its ended predecessor.
   */
  private void checkAttendant(long awaited, MethodDescriptor method) {
    final long attendant = CallLaneDescriptor.attendantAcquire(memory);
    if (!ThreadId.isWellFormed(attendant) || ThreadId.isEndpoint(attendant)
        || ThreadId.space(attendant) != ThreadId.space(server)) {
      broken = true;
      throw new MalformedFrameException("the call lane of " + method + " names " + ThreadId.toString(attendant)
          + " as its server thread, not a thread of space " + ThreadId.space(server), 0);
    }
    if (thread.space().ipcState(attendant).kind() != IpcState.Kind.DEAD) {
      suspect = ThreadId.NIL;
      return;
    }
    if (suspect != attendant) {
      suspect = attendant; // confirmed, or not, at the next look
      return;
    }
    broken = true;
    if (CallLaneDescriptor.takenAcquire(memory) == awaited) {
      throw new PeerDeadException(RpcException.Phase.RECEIVE, method + ": the server thread "
          + ThreadId.toString(attendant) + " ended during the call");
    }
    throw new PeerDeadException(RpcException.Phase.SEND, method + ": the server thread "
        + ThreadId.toString(attendant) + " ended before it took the call");
  }

  /**
   * Lets the lane go: marks it CLOSED (a server thread that attends it leaves it) and unmaps this
   * side. Idempotent. Called by the binding's close, possibly from another thread than the lane's:
   * a call of the lane's thread in progress then fails.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (int tries = 0; tries < 1000; tries++) { // a hostile server could flip the word for ever
        final long p = CallLaneDescriptor.postedAcquire(memory);
        if ((p & CallLaneDescriptor.CLOSED) != 0 || CallLaneDescriptor.casPosted(memory, p, p | CallLaneDescriptor.CLOSED)) {
          break;
        }
      }
      region.close();
    } catch (IllegalStateException e) {
      // closed already, or in use by the lane's thread's own call in progress (which then fails)
    }
  }

  /**
   * The length of the last reply if the server wrote it into the space the request offered
   * (longer than the lane carries), else -1.
   */
  long replyInRegion() {
    return replyInRegion;
  }

  /** Whether {@link #close()} has been called. */
  boolean closed() {
    return closed;
  }
}
