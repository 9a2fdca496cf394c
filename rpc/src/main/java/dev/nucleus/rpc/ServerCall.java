package dev.nucleus.rpc;

import java.time.Duration;
import java.util.Objects;

/**
 * One call as the server sees it: the request and reply frames, the method, the caller's identity
 * and the deadline. A transport owns one per server thread (per call slot for a local binding)
 * and reuses it for every call, so serving a call allocates nothing of its own.
 *
 * <p>The implementation reaches the call it is serving through {@link #current()}:
 *
 * <pre>{@code
 * public long get(long key) {
 *   ServerCall call = ServerCall.current();
 *   if (call.callerSpace() != trustedSpace) { ... }
 *   long nanosLeft = call.remainingNanos();
 *   ...
 * }
 * }</pre>
 *
 * <h2>For transports</h2>
 *
 * A transport fills the call with {@link #begin}, then calls {@link #serve(Dispatcher)}, which
 * runs the adapter with this call {@linkplain #current() current} and returns the
 * {@link Outcome}; the reply frame then holds what that outcome carries.
 *
 * <p>Thread-safety: a server call is used by one thread at a time, the one serving it. The
 * identity and deadline accessors and {@link #current()} allocate nothing.
 */
public final class ServerCall {

  /** The call each thread is serving; calls nest when an implementation calls a local service. */
  private static final ThreadLocal<ServerCall> CURRENT = new ThreadLocal<>();

  private final Frame request;
  private final Frame reply;
  private int methodId;
  private boolean oneway;
  private long deadline = Deadlines.NONE;
  private int callerSpace;
  private long callerThread;
  private long callerPid;
  /** Set by {@link #argumentsRead()}: from then on an exception is the implementation's. */
  private boolean invoking;
  private int declaredFailure = ClientCall.NO_FAILURE;
  private Throwable failure;

  /**
   * A server call over two frames: the transport's request frame (the A-stack the client wrote)
   * and the frame the reply is written to.
   *
   * @param request the request frame
   * @param reply the reply frame
   */
  public ServerCall(Frame request, Frame reply) {
    this.request = Objects.requireNonNull(request, "request");
    this.reply = Objects.requireNonNull(reply, "reply");
  }

  /**
   * The call this thread is serving.
   *
   * @return the current call; allocation-free
   * @throws IllegalStateException if this thread is not serving a call
   */
  public static ServerCall current() {
    final ServerCall call = CURRENT.get();
    if (call == null) {
      throw new IllegalStateException("not serving an RPC call on this thread");
    }
    return call;
  }

  /**
   * Whether this thread is serving a call.
   *
   * @return true inside an implementation's method called by an adapter
   */
  public static boolean inCall() {
    return CURRENT.get() != null;
  }

  // ------------------------------------------------------------- for the implementation

  /**
   * The id of the method being served.
   *
   * @return the method id
   */
  public int methodId() {
    return methodId;
  }

  /**
   * Whether the call is one-way (the client does not wait for a reply).
   *
   * @return true for a {@link Oneway} method
   */
  public boolean oneway() {
    return oneway;
  }

  /**
   * The caller's space number, as the transport stamped it.
   *
   * @return the space number
   */
  public int callerSpace() {
    return callerSpace;
  }

  /**
   * The caller's thread id.
   *
   * @return a {@link dev.nucleus.kernel.ThreadId}, or NIL if the caller is not an IPC thread
   */
  public long callerThread() {
    return callerThread;
  }

  /**
   * The caller's OS process id.
   *
   * @return the pid, or 0 if the caller runs in this process
   */
  public long callerPid() {
    return callerPid;
  }

  /**
   * The caller's identity as a value that can be kept after the call.
   *
   * @return a new snapshot of the three fields
   */
  public Caller caller() {
    return new Caller(callerSpace, callerThread, callerPid);
  }

  /**
   * The call's deadline.
   *
   * @return absolute nanoseconds on the {@link dev.nucleus.kernel.Timeout#now()} clock, or
   *     {@link Deadlines#NONE}
   */
  public long deadline() {
    return deadline;
  }

  /**
   * Nanoseconds left before the deadline.
   *
   * @return 0 if it has passed, {@link Long#MAX_VALUE} if the call has none
   */
  public long remainingNanos() {
    return Deadlines.remainingNanos(deadline);
  }

  /**
   * Time left before the deadline.
   *
   * @return a duration, zero if it has passed; about 292 years if the call has none
   */
  public Duration remaining() {
    return Duration.ofNanos(remainingNanos());
  }

  /**
   * Whether the deadline has passed: the client has given up or is about to.
   *
   * @return true if no time is left
   */
  public boolean expired() {
    return remainingNanos() == 0;
  }

  /**
   * The deadline as a kernel timeout, to bound an IPC the implementation makes for this call.
   *
   * @return {@link dev.nucleus.kernel.Timeout#NEVER} or an absolute timeout
   */
  public long timeout() {
    return Deadlines.toTimeout(deadline);
  }

  // ------------------------------------------------------------- for generated code

  /**
   * The request frame, positioned at the first argument. Used by generated code.
   *
   * @return the request
   */
  public Frame request() {
    return request;
  }

  /**
   * The reply frame, empty, where the result goes. Used by generated code.
   *
   * @return the reply
   */
  public Frame reply() {
    return reply;
  }

  /**
   * Marks the end of the arguments: checks that the request has nothing left, and from here on an
   * exception is the implementation's, not the request's. Used by generated code, right before it
   * calls the implementation.
   *
   * @throws MalformedFrameException if bytes are left in the request
   */
  public void argumentsRead() {
    request.expectEnd();
    invoking = true;
  }

  /**
   * Reports that the implementation threw its {@code index}-th declared exception: the reply
   * becomes the index and the message. Used by generated code.
   *
   * @param index the exception's position in the method's throws clause, from 0
   * @param message the exception's message, or null
   */
  public void fail(int index, String message) {
    reply.clear();
    reply.putInt(index);
    reply.putString(message);
    declaredFailure = index;
  }

  // ------------------------------------------------------------- for transports

  /**
   * Fills the call for a new request. Used by transports, with the identity they stamped and the
   * deadline that travelled with the request; the request frame must be ready to read.
   *
   * @param methodId the method called
   * @param oneway whether the client waits for no reply
   * @param deadline absolute on the {@link dev.nucleus.kernel.Timeout#now()} clock, or
   *     {@link Deadlines#NONE}
   * @param callerSpace the caller's space number
   * @param callerThread the caller's thread id, or NIL
   * @param callerPid the caller's pid, or 0 for this process
   */
  public void begin(int methodId, boolean oneway, long deadline, int callerSpace, long callerThread,
      long callerPid) {
    this.methodId = methodId;
    this.oneway = oneway;
    this.deadline = deadline;
    this.callerSpace = callerSpace;
    this.callerThread = callerThread;
    this.callerPid = callerPid;
  }

  /**
   * Serves the call begun with {@link #begin}: runs {@code dispatcher} with this call
   * {@linkplain #current() current}, and returns how it ended, with the reply frame holding what
   * that {@link Outcome} carries (written, not yet flipped). A malformed request, an unknown
   * method and any exception of the implementation end up in the outcome, so the server goes on
   * serving; only a {@link VirtualMachineError} propagates. Used by transports.
   *
   * @param dispatcher the adapter of the service exported
   * @return an {@link Outcome} code
   */
  public int serve(Dispatcher dispatcher) {
    final ServerCall outer = CURRENT.get();
    CURRENT.set(this);
    invoking = false;
    declaredFailure = ClientCall.NO_FAILURE;
    failure = null;
    reply.clear();
    try {
      if (!dispatcher.dispatch(methodId, this)) {
        reply.clear();
        return Outcome.UNKNOWN_METHOD;
      }
      return declaredFailure == ClientCall.NO_FAILURE ? Outcome.OK : Outcome.DECLARED_FAILURE;
    } catch (MalformedFrameException e) {
      if (invoking) {
        return undeclared(e);
      }
      failure = e;
      reply.clear();
      reply.putString(e.what());
      reply.putLong(e.offset());
      return Outcome.MALFORMED_REQUEST;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      return undeclared(e);
    } finally {
      CURRENT.set(outer);
    }
  }

  /**
   * What ended the last call served, for the transport's log (a one-way call's failure reaches no
   * client).
   *
   * @return the exception of an UNDECLARED_FAILURE or MALFORMED_REQUEST outcome, else null
   */
  public Throwable failure() {
    return failure;
  }

  private int undeclared(Throwable e) {
    failure = e;
    reply.clear();
    reply.putString(e.getClass().getName());
    reply.putString(e.getMessage());
    return Outcome.UNDECLARED_FAILURE;
  }
}
