package dev.nucleus.rpc;

import java.util.Objects;

/**
 * One call as the client sees it, taken from a {@link Binding} and used by the generated proxy:
 * put the arguments on {@link #request()}, {@link #invoke()} (or {@link #send()} for a one-way
 * method), read the result from the reply, {@link #close()}. A binding preallocates its calls and
 * reuses them, so a call with primitive arguments and result allocates nothing.
 *
 * <h2>For transports</h2>
 *
 * A transport extends this class: it {@linkplain #open opens} a call when the binding hands it
 * out, implements {@link #transmit()} and {@link #transmitOneway()} (deliver the request, wait for
 * the reply and its {@link Outcome}), and takes the call back in {@link #close()}. This class turns
 * the outcome into the result or the exception.
 *
 * <p>Thread-safety: a call is used by one thread at a time, between {@link Binding#begin} and
 * {@link #close()}.
 */
public abstract class ClientCall implements AutoCloseable {

  /** {@link #declaredFailure()} when the method returned normally. */
  public static final int NO_FAILURE = -1;

  private final Frame request;
  private final Frame reply;
  private MethodDescriptor method;
  private long deadline = Deadlines.NONE;
  private int declaredFailure = NO_FAILURE;
  private String failureMessage;

  /**
   * A call over two frames: the request (the A-stack the client writes) and the reply.
   *
   * @param request the request frame
   * @param reply the reply frame
   */
  protected ClientCall(Frame request, Frame reply) {
    this.request = Objects.requireNonNull(request, "request");
    this.reply = Objects.requireNonNull(reply, "reply");
  }

  /**
   * Readies the call for {@code method}: clears the request and the state of the last call. Used
   * by transports when the binding hands the call out.
   *
   * @param method the method to call
   * @param deadline the call's deadline ({@link Deadlines#current})
   */
  protected final void open(MethodDescriptor method, long deadline) {
    this.method = method;
    this.deadline = deadline;
    this.declaredFailure = NO_FAILURE;
    this.failureMessage = null;
    request.clear();
  }

  /**
   * The method this call is for.
   *
   * @return its descriptor
   */
  public final MethodDescriptor method() {
    return method;
  }

  /**
   * The call's deadline, which travels with it.
   *
   * @return absolute on the {@link dev.nucleus.kernel.Timeout#now()} clock, or
   *     {@link Deadlines#NONE}
   */
  public final long deadline() {
    return deadline;
  }

  /**
   * The request frame, where the proxy puts the arguments. Used by generated code.
   *
   * @return the request
   */
  public final Frame request() {
    return request;
  }

  /**
   * The reply frame. Used by transports; the proxy gets it from {@link #invoke()}.
   *
   * @return the reply
   */
  public final Frame reply() {
    return reply;
  }

  /**
   * Delivers the request and waits for the reply, up to the deadline. Blocks. Used by generated
   * code. On return, either the method returned (the reply holds its result) or it threw a
   * declared exception ({@link #declaredFailure()} says which; the proxy rethrows it).
   *
   * @return the reply frame, ready to read
   * @throws RpcException if the call failed: the transport's failures (not delivered, deadline,
   *     peer dead, reply lost, not permitted), an undeclared failure at the server
   *     ({@link RemoteFailureException}), a method the server does not have
   *     ({@link UnknownMethodException}), a server that takes no calls from this space
   *     ({@link NotPermittedException}), or a malformed request or reply
   *     ({@link MalformedFrameException})
   * @throws IllegalStateException if the method is one-way
   */
  public final Frame invoke() {
    if (method.oneway()) {
      throw new IllegalStateException(method + " is oneway: use send()");
    }
    final int outcome = transmit();
    switch (outcome) {
      case Outcome.OK:
        return reply;
      case Outcome.DECLARED_FAILURE:
        readDeclaredFailure();
        return reply;
      case Outcome.UNDECLARED_FAILURE: {
        final String remoteClass = reply.getString();
        final String remoteMessage = reply.getString();
        throw new RemoteFailureException(method.toString(), remoteClass, remoteMessage);
      }
      case Outcome.UNKNOWN_METHOD:
        throw new UnknownMethodException(method.service(), method.id(), method.name() + method.signature());
      case Outcome.MALFORMED_REQUEST: {
        final String what = reply.getString();
        final long offset = reply.getLong();
        throw new MalformedFrameException("the server rejected the request of " + method + ": " + what, offset);
      }
      case Outcome.NOT_PERMITTED:
        throw new NotPermittedException(method + ": the server takes no calls from this space");
      case Outcome.UNAVAILABLE:
        throw new PeerDeadException(RpcException.Phase.SEND, method + ": " + reply.getString());
      case Outcome.PROVIDER_DIED:
        throw new PeerDeadException(RpcException.Phase.RECEIVE, method + ": " + reply.getString());
      default:
        throw new MalformedFrameException("reply outcome " + outcome + " of " + method + " is none of "
            + Outcome.OK + ".." + Outcome.PROVIDER_DIED, 0);
    }
  }

  /**
   * Delivers the request of a one-way method and returns once it is delivered. Used by generated
   * code. What the server then does is not reported here.
   *
   * @throws RpcException if the request was not delivered (not delivered, deadline exceeded in
   *     the send phase, peer dead, not permitted)
   * @throws IllegalStateException if the method is not one-way
   */
  public final void send() {
    if (!method.oneway()) {
      throw new IllegalStateException(method + " is not oneway: use invoke()");
    }
    transmitOneway();
  }

  /**
   * Which declared exception the method threw, after {@link #invoke()}. Used by generated code.
   *
   * @return {@link #NO_FAILURE}, or the exception's index in the method's throws clause
   */
  public final int declaredFailure() {
    return declaredFailure;
  }

  /**
   * The message of the declared exception the method threw. Used by generated code.
   *
   * @return the message, or null
   */
  public final String failureMessage() {
    return failureMessage;
  }

  /**
   * Delivers the request (written from offset 0 to {@code request().position()}) with the
   * method id and deadline, waits for the reply, and leaves the reply frame ready to read. Used
   * by transports.
   *
   * @return the {@link Outcome} the server reported
   * @throws RpcException for a failure of the transport (use {@link RpcException#fromStatus})
   */
  protected abstract int transmit();

  /**
   * Delivers the request of a one-way call and returns once it is delivered. Used by transports.
   *
   * @throws RpcException if it was not delivered
   */
  protected abstract void transmitOneway();

  /**
   * Gives the call back to its binding (and releases any memory the frames grew into). After
   * this the frames, and any view read from them, must not be used. Never throws.
   */
  @Override
  public abstract void close();

  private void readDeclaredFailure() {
    final long at = reply.position();
    final int index = reply.getInt();
    final String message = reply.getString();
    reply.expectEnd();
    if (index < 0 || index >= method.declaredExceptions()) {
      throw new MalformedFrameException("declared exception index " + index + " out of range: " + method
          + " declares " + method.declaredExceptions(), at);
    }
    declaredFailure = index;
    failureMessage = message;
  }
}
