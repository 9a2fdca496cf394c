package dev.nucleus.rpc.internal;

import static dev.nucleus.rpc.internal.RegisterFrames.CALL;
import static dev.nucleus.rpc.internal.RegisterFrames.CALL_HEADER;
import static dev.nucleus.rpc.internal.RegisterFrames.ONEWAY;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY_HEADER;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY_IN_REGION;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.ClientCall;
import dev.nucleus.rpc.DeadlineExceededException;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.FrameOverflowException;
import dev.nucleus.rpc.MalformedFrameException;
import dev.nucleus.rpc.MethodDescriptor;
import dev.nucleus.rpc.NotDeliveredException;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.rpc.ServerLocator;
import dev.nucleus.async.QueueMemory;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.rpc.PeerDeadException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * The calls of one thread through one kernel binding: its IPC thread in the client's space and
 * two frames, reused by every call the thread makes, so a call with primitive arguments and
 * result allocates nothing. A call is one kernel {@code call} (a {@code send} for a one-way
 * method) to the server's endpoint, carrying the method, the deadline and the frame in message
 * registers (see {@link RegisterFrames}); the reply's registers carry the outcome and the reply
 * frame back. A request too large for the registers grows into the thread's argument stack, a
 * {@link SharedRegion} kept between calls, or for a very large one a region of its own
 * ({@link RegionGrowth}); its handle travels instead of its bytes. Its deadline bounds both phases, so a call that waits for a busy server pool waits
 * at most until then.
 *
 * <p>A call of a method whose result has a variable size (an object, an array: see
 * {@link #mayReturnLarge}) offers {@code maxResult} bytes of its thread's region for a reply too
 * large for the registers (LRPC's A-stack carries results too): after its request when that
 * grew into the region, else from the region's frame offset, the request staying in the
 * registers (three of them fewer). The server maps the space only if the reply needs it, writes
 * the reply there and answers {@code REPLY_IN_REGION}; the proxy reads it in place and copies it
 * out before the call ends.
 *
 * <p>With call lanes (the default), the thread's second two-way call opens its {@link CallLane}
 * to the export; from then on a two-way call whose request is not in a region is posted on the
 * lane when a server thread attends it, and is a kernel call naming the lane otherwise (so that
 * the server thread that answers it attends the lane afterwards).
 *
 * <p>With a one-way queue ({@code onewaySlots} above 0), a one-way request goes instead through
 * the thread's {@link OnewayLane}, opened on its first one-way call, and a two-way call first
 * waits until the server has handled the one-way requests the thread sent before it.
 *
 * <p>Used by its thread only, between the binding's {@code begin} and {@link #close()}.
 */
public final class KernelCall extends ClientCall {

  private final IpcThread thread;
  /** The id calls go to: changed only after a failure, from the locator. */
  private long server;
  private final int serviceId;
  private final ServerLocator locator;
  private final boolean waitForRestart;
  /** The request's own stack: as much as the registers carry. */
  private final MemorySegment stack;
  /** The region the request grew into, for this call only; null while it fits the registers. */
  private final RegionGrowth growth;
  /** Slots of the thread's one-way queue; 0: one-way requests are kernel sends. */
  private final int onewaySlots;
  /** The largest frame a one-way request may have on the queue. */
  private final int onewayMaxFrame;
  /** The thread's one-way queue, once its first one-way call opened it; volatile for the binding's close. */
  private volatile OnewayLane lane;
  /** Whether two-way calls may use a call lane. */
  private final boolean lanes;
  /** The thread's call lane, once open; volatile for the binding's close. */
  private volatile CallLane callLane;
  /** Two-way calls made without a lane: the lane is opened at {@link #LANE_AFTER}. */
  private int callsWithoutLane;
  /** The two-way call of a thread that opens its call lane: the second, as a first call is often the only one. */
  static final int LANE_AFTER = 2;
  /**
   * Two-way calls after a LANE_OPEN that failed before the thread tries again: whether the export
   * refused (an older server, a full table) or the call failed (its deadline, a busy pool), a
   * later try costs one kernel call in a thousand.
   */
  static final int LANE_RETRY_AFTER = 1024;
  private boolean open;
  /**
   * The {@link Timeout#now()} clock as the call began, for its first deadline check; {@link
   * #STALE_CLOCK} once used, or when time may have passed since.
   */
  private long clock = STALE_CLOCK;
  /** A clock that must be read again. */
  private static final long STALE_CLOCK = Long.MIN_VALUE;
  /** The bytes a call of a method with a variable-size result offers for its reply. */
  private final long maxResult;
  /** The reply frame's own memory, as large as the registers carry. */
  private final MemorySegment replyStack;
  /** What the call in progress offered for its reply (0: nothing), where, and in which region, once loaded. */
  private long resultSpace;
  private long resultAt;
  private SharedRegion resultRegion;
  /** Whether the call in progress may get a reply too large for the registers. */
  private boolean offersResult;
  /** The method of the thread's last call, and whether its calls offer space for the reply. */
  private MethodDescriptor lastMethod;
  private boolean lastOffersResult;

  private KernelCall(IpcThread thread, long server, int serviceId, ServerLocator locator, boolean waitForRestart,
      MemorySegment stack, RegionGrowth growth, Frame reply, int onewaySlots, long maxResult, boolean lanes) {
    super(new Frame(stack, growth), reply);
    this.lanes = lanes && thread.waitStrategy() != WaitStrategy.BLOCK;
    this.maxResult = maxResult;
    this.replyStack = reply.segment();
    this.onewaySlots = onewaySlots;
    this.onewayMaxFrame = onewaySlots == 0 ? 0 : OnewayMessageDescriptor.maxFrame(QueueMemory.maxPayload(onewaySlots));
    this.locator = locator;
    this.waitForRestart = waitForRestart;
    this.thread = thread;
    this.server = server;
    this.serviceId = serviceId;
    this.stack = stack;
    this.growth = growth;
  }

  /**
   * The calls of {@code thread} (the calling thread's own, attached to the client's space) to
   * endpoint {@code server} of service {@code serviceId}: frames as large as its registers carry.
   */
  public static KernelCall create(IpcThread thread, long server, int serviceId) {
    return create(thread, server, serviceId, null, false);
  }

  /**
   * As {@link #create(IpcThread, long, int)}, for a binding whose provider may restart: after a
   * call finds it gone, {@code locator} gives the id to use (see
   * {@code KernelBinding.located}).
   */
  public static KernelCall create(IpcThread thread, long server, int serviceId, ServerLocator locator,
      boolean waitForRestart) {
    return create(thread, server, serviceId, locator, waitForRestart, 0);
  }

  /**
   * As {@link #create(IpcThread, long, int, ServerLocator, boolean)}, with one-way requests sent
   * through a queue of {@code onewaySlots} slots (0: as kernel sends).
   */
  public static KernelCall create(IpcThread thread, long server, int serviceId, ServerLocator locator,
      boolean waitForRestart, int onewaySlots) {
    return create(thread, server, serviceId, locator, waitForRestart, onewaySlots, DEFAULT_MAX_RESULT);
  }

  /** Registers of a request's offer of space for its reply: handle, token, bytes (MR4..MR6). */
  private static final int RESULT_OFFER_WORDS = 3;

  /** The bytes offered for a variable-size reply unless the binding says otherwise: 4 MiB. */
  public static final long DEFAULT_MAX_RESULT = 4L << 20;

  /**
   * As {@link #create(IpcThread, long, int, ServerLocator, boolean, int)}, offering
   * {@code maxResult} bytes for each variable-size reply.
   */
  public static KernelCall create(IpcThread thread, long server, int serviceId, ServerLocator locator,
      boolean waitForRestart, int onewaySlots, long maxResult) {
    return create(thread, server, serviceId, locator, waitForRestart, onewaySlots, maxResult, true);
  }

  /**
   * As {@link #create(IpcThread, long, int, ServerLocator, boolean, int, long)}; with
   * {@code lanes}, the thread's two-way calls use a call lane once it is open (unless the thread
   * blocks: {@link WaitStrategy#BLOCK} threads never poll one).
   */
  public static KernelCall create(IpcThread thread, long server, int serviceId, ServerLocator locator,
      boolean waitForRestart, int onewaySlots, long maxResult, boolean lanes) {
    final int registers = thread.messageRegisters();
    final Arena arena = Arena.ofAuto();
    final MemorySegment stack = arena.allocate(RegisterFrames.capacity(registers, CALL_HEADER), Frame.BULK_ALIGNMENT);
    final Frame reply = new Frame(arena.allocate(RegisterFrames.capacity(registers, REPLY_HEADER), Frame.BULK_ALIGNMENT));
    return new KernelCall(thread, server, serviceId, locator, waitForRestart, stack, new RegionGrowth(), reply,
        onewaySlots, maxResult, lanes);
  }

  /** Gives back the thread's argument stack and closes its one-way queue; the binding is closed. */
  public void release() {
    growth.close();
    final OnewayLane l = lane;
    if (l != null) {
      l.close();
    }
    final CallLane c = callLane;
    if (c != null) {
      c.close();
    }
  }

  /** The IPC thread the calls go out on. */
  public IpcThread thread() {
    return thread;
  }

  /**
   * Readies the call for {@code method} with {@code deadline}; the thread must not be in another
   * call. {@code now} is the {@link Timeout#now()} clock as the call began, which the binding read
   * to make the deadline: a request that stays in the registers is checked against it and carries
   * the time left from it, so that a call reads the clock once (a read costs about 30 ns here, a
   * tenth of a kernel call); one that grew into a region reads it again before it goes.
   */
  public KernelCall start(MethodDescriptor method, long deadline, long now) {
    if (open) {
      throw new IllegalStateException("this thread is already in a call through this binding");
    }
    open = true;
    clock = now;
    open(method, deadline);
    if (method != lastMethod) { // a proxy passes the same descriptor on every call of a method
      lastMethod = method;
      lastOffersResult = !method.oneway() && mayReturnLarge(method);
    }
    offersResult = lastOffersResult;
    if (offersResult) { // three registers carry the offer
      growth.reserveResult(maxResult);
      request().reset(stack.asSlice(0, stack.byteSize() - RESULT_OFFER_WORDS * 8L));
    }
    return this;
  }

  /**
   * Whether {@code method}'s result may be too large for the registers: its return type, in the
   * signature, is an object or an array (a primitive or void always fits). Allocation-free.
   */
  static boolean mayReturnLarge(MethodDescriptor method) {
    final String signature = method.signature();
    final int close = signature.lastIndexOf(')');
    if (close < 0 || close + 1 >= signature.length()) {
      return false;
    }
    final char first = signature.charAt(close + 1);
    return first == 'L' || first == '[';
  }

  /**
   * The nanoseconds left before the deadline as the request goes out ({@link Long#MAX_VALUE}
   * for none), from the clock as the call began while nothing can have taken long since (the
   * request in the registers, first try), else from the clock now. A deadline that has passed: the
   * call is not sent at all.
   */
  private long checkDeadline() {
    if (deadline() == Deadlines.NONE) {
      return Long.MAX_VALUE;
    }
    if (growth.region() != null || clock == STALE_CLOCK) {
      clock = Timeout.now();
    }
    final long left = Math.max(0, deadline() - clock);
    clock = STALE_CLOCK; // a later try reads the clock again
    if (left == 0) {
      throw new DeadlineExceededException(RpcException.Phase.SEND, method() + ": the deadline passed before the call");
    }
    return left;
  }

  @Override
  protected int transmit() {
    final IpcThread t = thread;
    final OnewayLane l = lane;
    if (l != null) { // served after the thread's earlier one-way requests
      l.awaitHandled(deadline(), method());
    }
    if (l != null) {
      clock = STALE_CLOCK; // it may have waited for the thread's one-way requests
    }
    final CallLane c = lanes && growth.region() == null ? laneFor() : null;
    if (c != null) {
      final long left = checkDeadline();
      final boolean kept = offersResult && offerInRegisters();
      boolean posted = false;
      try {
        if (c.tryPost(method().id(), serviceId, left, request(), offersResult ? resultRegion : null,
            offersResult ? growth.resultToken() : 0, resultSpace, kept)) {
          posted = true;
          final int outcome = c.awaitReply(deadline(), method(), reply());
          if (c.replyInRegion() >= 0) {
            readReplyInRegion(c.replyInRegion());
          }
          return outcome;
        }
      } catch (IllegalStateException e) { // the lane unmapped under the call: the binding was closed
        if (!c.closed()) {
          throw e;
        }
        throw new PeerDeadException(posted ? RpcException.Phase.RECEIVE : RpcException.Phase.SEND, method()
            + ": the binding was closed during the call");
      }
    }
    final long timeout = Deadlines.toTimeout(deadline());
    for (;;) {
      load(false, checkDeadline());
      if (c != null && !c.closed()) {
        t.setMr(2, t.mr(2) | c.field());
      }
      final int status = t.call(server, timeout, timeout);
      if (status != Status.OK) {
        if (providerGone(status) && rebind()) {
          continue;
        }
        throw RpcException.fromStatus(status, method().toString());
      }
      final long tag = t.tag();
      final long word = t.mr(1);
      final int outcome = (int) word;
      if ((MessageTag.label(tag) != REPLY && MessageTag.label(tag) != REPLY_IN_REGION)
          || MessageTag.words(tag) < REPLY_HEADER || !Outcome.isValid(outcome)) {
        throw new MalformedFrameException("the reply to " + method() + " is not an RPC reply (label 0x"
            + Long.toHexString(MessageTag.label(tag)) + ", outcome " + outcome + ")", 0);
      }
      if (MessageTag.label(tag) == REPLY_IN_REGION) {
        readReplyInRegion(word >>> 32);
      } else {
        RegisterFrames.read(t, 1 + REPLY_HEADER, word >>> 32, reply());
      }
      if (outcome == Outcome.UNAVAILABLE && rebind()) {
        continue;
      }
      return outcome;
    }
  }

  /**
   * A reply the server wrote into this call's region: read in place, once checked to lie within
   * what the call offered (the server is not trusted to stay inside it).
   */
  private void readReplyInRegion(long length) {
    if (resultSpace == 0) {
      throw new MalformedFrameException("the reply to " + method() + " is in a region, but the call offered none", 0);
    }
    if (length > resultSpace) {
      throw new MalformedFrameException("the reply to " + method() + " claims " + length + " bytes, more than the "
          + resultSpace + " the call offered", 0);
    }
    reply().reset(resultRegion.segment().asSlice(resultAt, resultSpace)).wrap(length);
  }

  /**
   * The thread's call lane if it can be used for the call now: opened on the thread's
   * {@link #LANE_AFTER}-th two-way call; null while it is not open, for {@link #LANE_RETRY_AFTER}
   * calls after a LANE_OPEN failed, or once it is broken or goes to another id than the calls
   * (after a rebind), which lets it go.
   */
  private CallLane laneFor() {
    CallLane c = callLane;
    if (c != null) {
      if (c.usable() && c.server() == server) {
        return c;
      }
      c.close();
      callLane = null;
      callsWithoutLane = 0;
      return null;
    }
    if (++callsWithoutLane != LANE_AFTER) {
      return null; // not yet
    }
    c = CallLane.open(thread, server, serviceId, deadline(), reply());
    clock = STALE_CLOCK;
    callLane = c;
    if (c == null) {
      callsWithoutLane = LANE_AFTER - LANE_RETRY_AFTER; // kernel calls only, for a while
    }
    return c;
  }

  /** A send-phase failure that means the provider is gone: the call was not delivered. */
  private boolean providerGone(int status) {
    if (locator == null || Status.failedInReceive(status)) {
      return false;
    }
    final int code = Status.code(status);
    return code == Status.PEER_DEAD || code == Status.STALE_ID || code == Status.INVALID_ID;
  }

  /**
   * After a call found the provider gone: learns where it is now. Returns true if the call should
   * go again (the binding waits for restarts and the provider is up before the deadline); false
   * if the failure stands (later calls still go to the new id, if there is one).
   */
  private boolean rebind() {
    if (locator == null) {
      return false;
    }
    final long failed = server;
    if (!waitForRestart) {
      final long now = locator.server();
      if (now != ThreadId.NIL) {
        server = now;
      }
      return false;
    }
    final long next;
    try {
      next = locator.awaitServer(failed, deadline());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (next == ThreadId.NIL) {
      return false;
    }
    if (next == failed) {
      // The same id (a relay): the provider may not be marked down yet. A short pause keeps the
      // retries from spinning while the supervisor learns of the death.
      LockSupport.parkNanos(1_000_000);
    }
    server = next;
    return true;
  }

  /**
   * Readies the offer of space for the reply of a request that stays out of any region (in the
   * registers, or on the call lane): the thread's result region from its frame offset, as much as
   * the binding offers. Returns whether that region is the kept argument stack.
   */
  private boolean offerInRegisters() {
    resultRegion = growth.resultRegion();
    resultAt = RegisterFrames.REGION_FRAME_OFFSET;
    resultSpace = Math.min(resultRegion.segment().byteSize() - resultAt, maxResult);
    return growth.resultKept();
  }

  /**
   * Puts the header and the request frame into the registers; a request that grew into a region
   * goes as the region's handle instead of its bytes.
   */
  private void load(boolean oneway, long left) {
    final IpcThread t = thread;
    final Frame request = request();
    final SharedRegion region = growth.region();
    final int words;
    boolean kept = growth.kept();
    resultSpace = 0;
    if (region == null && offersResult) { // the request in the registers, after the offer
      kept = offerInRegisters();
      t.setMr(1 + CALL_HEADER, resultRegion.handle());
      t.setMr(2 + CALL_HEADER, growth.resultToken());
      t.setMr(3 + CALL_HEADER, resultSpace);
      words = RESULT_OFFER_WORDS + RegisterFrames.write(request, t, 1 + CALL_HEADER + RESULT_OFFER_WORDS);
    } else if (region == null) {
      words = RegisterFrames.write(request, t, 1 + CALL_HEADER);
    } else {
      t.setMr(1 + CALL_HEADER, region.handle());
      t.setMr(2 + CALL_HEADER, growth.token());
      if (offersResult) { // the rest of the region, after the request
        resultRegion = region;
        resultAt = RegisterFrames.resultOffset(request.position());
        resultSpace = Math.min(growth.resultSpace(request.position()), maxResult);
      }
      if (resultSpace > 0) {
        t.setMr(3 + CALL_HEADER, resultSpace);
      }
      words = resultSpace > 0 ? 3 : 2;
    }
    t.setTag(MessageTag.of(CALL, CALL_HEADER + words));
    t.setMr(1, (method().id() & 0xFFFF_FFFFL) | ((long) serviceId << 32));
    t.setMr(2, request.position() | (oneway ? ONEWAY : 0) | (region == null ? 0 : RegisterFrames.IN_REGION)
        | (kept ? RegisterFrames.KEPT : 0) | (resultSpace > 0 ? RegisterFrames.RESULT_SPACE : 0));
    t.setMr(3, left == Long.MAX_VALUE ? -1 : left);
  }

  @Override
  protected void transmitOneway() {
    if (onewaySlots != 0) {
      sendOnQueue();
      return;
    }
    final long timeout = Deadlines.toTimeout(deadline());
    int status;
    do {
      load(true, checkDeadline());
      // In a region, a one-way request goes as a call: the server answers once it has copied it
      // out of the region, and only then may the region be reused or given back.
      status = growth.region() == null ? thread.send(server, timeout) : thread.call(server, timeout, timeout);
    } while (status != Status.OK && providerGone(status) && rebind());
    if (status != Status.OK) {
      throw RpcException.fromStatus(status, method().toString());
    }
    if (growth.region() != null && MessageTag.label(thread.tag()) == REPLY && (int) thread.mr(1) != Outcome.OK) {
      throw new NotDeliveredException(method() + ": the server could not map the request's region ("
          + Outcome.name((int) thread.mr(1)) + ")");
    }
  }

  /** A one-way request through the thread's queue, opened by its first one. */
  private void sendOnQueue() {
    checkDeadline();
    final Frame request = request();
    if (request.position() > onewayMaxFrame) {
      throw new FrameOverflowException(method() + ": a one-way request of " + request.position()
          + " bytes, more than the " + onewayMaxFrame + " bytes a one-way queue of " + onewaySlots
          + " slots carries (give the binding a larger onewayQueue)");
    }
    OnewayLane l = lane;
    if (l == null) {
      l = OnewayLane.open(thread, server, serviceId, onewaySlots, deadline(), reply(), method());
      lane = l;
    }
    l.send(method(), request, deadline());
  }

  /**
   * Ends the call: a region the request had for itself alone is given back (the server has
   * unmapped it when it answered; the thread's argument stack is kept), the request and the reply
   * go back on their register stacks, and the thread may begin its next call.
   */
  @Override
  public void close() {
    if (growth.region() != null || offersResult) {
      growth.endCall();
      request().reset(stack);
    }
    if (offersResult) {
      reply().reset(replyStack); // the reply may have been read in the region
      resultSpace = 0;
      resultRegion = null;
      offersResult = false;
    }
    open = false;
  }
}
