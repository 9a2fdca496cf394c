package dev.nucleus.rpc.internal;

import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.ClientCall;
import dev.nucleus.rpc.DeadlineExceededException;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.Dispatcher;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.MethodDescriptor;
import dev.nucleus.rpc.NotDeliveredException;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.rpc.ServerCall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One call slot of a local binding: a request and a reply frame over preallocated stacks, and the
 * server call the adapter sees, all reused from call to call. The client's thread writes the
 * request, then serves it itself: the adapter reads the same memory (a view of an argument is a
 * view of the request), writes the reply, and the client reads it. Frames that grew are put back
 * on their stacks when the call is closed.
 *
 * <p>A slot is claimed with {@link #tryClaim()} and released by {@link #close()}; the claim (a CAS
 * on {@link #claimed}) and the release (a release store) order one user's calls before the next
 * user's.
 */
public final class LocalCall extends ClientCall {

  private static final VarHandle CLAIMED;

  static {
    try {
      CLAIMED = MethodHandles.lookup().findVarHandle(LocalCall.class, "claimed", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LocalBindingCore core;
  private final MemorySegment requestStack;
  private final MemorySegment replyStack;
  private final ArenaGrowth requestGrowth;
  private final ArenaGrowth replyGrowth;
  private final ServerCall server;
  /** 1 while a user holds this slot; written by CAS (claim) and release store (close). */
  @SuppressWarnings("unused")
  private volatile int claimed;

  private LocalCall(LocalBindingCore core, MemorySegment requestStack, MemorySegment replyStack,
      ArenaGrowth requestGrowth, ArenaGrowth replyGrowth) {
    super(new Frame(requestStack, requestGrowth), new Frame(replyStack, replyGrowth));
    this.core = core;
    this.requestStack = requestStack;
    this.replyStack = replyStack;
    this.requestGrowth = requestGrowth;
    this.replyGrowth = replyGrowth;
    this.server = new ServerCall(request(), reply());
  }

  /**
   * A new slot with stacks of {@code stackBytes} each, from {@code arena}.
   *
   * @param core the binding's shared state
   * @param arena where the stacks come from (freed with the binding)
   * @param stackBytes the size of each stack
   * @return the slot, unclaimed
   */
  static LocalCall create(LocalBindingCore core, Arena arena, int stackBytes) {
    return new LocalCall(core, arena.allocate(stackBytes, Frame.BULK_ALIGNMENT),
        arena.allocate(stackBytes, Frame.BULK_ALIGNMENT), new ArenaGrowth(), new ArenaGrowth());
  }

  /** Claims the slot if no one holds it. */
  boolean tryClaim() {
    return (int) CLAIMED.getOpaque(this) == 0 && CLAIMED.compareAndSet(this, 0, 1);
  }

  /** Readies a claimed slot for {@code method}. */
  void start(MethodDescriptor method, long deadline) {
    open(method, deadline);
  }

  @Override
  protected int transmit() {
    final int outcome = deliverAndServe();
    reply().flip();
    return outcome;
  }

  @Override
  protected void transmitOneway() {
    final int outcome = deliverAndServe();
    if (outcome != Outcome.OK) {
      core.onewayFailed(method(), Outcome.name(outcome), server.failure());
    }
  }

  /**
   * The whole call, on this thread: the checks a transport makes before delivery, then the
   * adapter. The request's grown memory is freed as soon as the adapter returns.
   */
  private int deliverAndServe() {
    final MethodDescriptor method = method();
    if (core.isClosed()) {
      throw new NotDeliveredException(method + ": the local binding is closed");
    }
    final long deadline = deadline();
    if (deadline != Deadlines.NONE && Timeout.now() >= deadline) {
      throw new DeadlineExceededException(RpcException.Phase.SEND, method + ": the deadline passed before delivery");
    }
    request().flip();
    server.begin(method.id(), method.oneway(), deadline, core.space(), ThreadId.NIL, 0);
    try {
      return server.serve(core.dispatcher());
    } finally {
      requestGrowth.release();
    }
  }

  @Override
  public void close() {
    requestGrowth.release();
    replyGrowth.release();
    request().reset(requestStack);
    reply().reset(replyStack);
    CLAIMED.setRelease(this, 0);
  }
}
