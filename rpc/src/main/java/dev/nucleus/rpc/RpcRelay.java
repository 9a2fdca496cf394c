package dev.nucleus.rpc;

import static dev.nucleus.rpc.internal.RegisterFrames.CALL;
import static dev.nucleus.rpc.internal.RegisterFrames.CALL_HEADER;
import static dev.nucleus.rpc.internal.RegisterFrames.IN_REGION;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY_HEADER;

import dev.nucleus.kernel.Endpoint;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.internal.RegisterFrames;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Forwards the calls of a service between two spaces that have no channel to each other, from an
 * endpoint in a space both can reach: the root task's way between a thread space and a process
 * space (a process reaches only its peer thread space). Clients bind to {@link #id()} as to the
 * service's own endpoint; each of the relay's threads takes a request there, makes the same call
 * to the id {@code target} gives at that moment, and hands the reply back. Because the target is
 * looked up per call, the relay's id stays valid while the provider restarts at new ids.
 *
 * <p>A relay cannot fail its client's IPC as the kernel does, so it answers a failure with an
 * outcome: {@link Outcome#UNAVAILABLE} when the provider is down or the call could not be
 * delivered to it (nothing ran), {@link Outcome#PROVIDER_DIED} when it was delivered and the
 * provider died before replying. A deadline that passes is left to the client's own timeout. A
 * request whose arguments travel in a shared region is refused ({@link Outcome#MALFORMED_REQUEST}):
 * the region's handle names the client's process, which the provider cannot check through a relay.
 * The provider sees the relay as the caller (its space, thread and process).
 *
 * <p>Cost: one more IPC hand-off each way and a copy of the registers. Thread-safe; close it to
 * stop its threads.
 */
public final class RpcRelay implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(RpcRelay.class.getName());

  private final Space space;
  private final String name;
  private final LongSupplier target;
  private final Endpoint endpoint;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  private RpcRelay(Space space, String name, LongSupplier target) {
    this.space = space;
    this.name = name;
    this.target = target;
    this.endpoint = space.createEndpoint("relay-" + name);
  }

  /**
   * Starts a relay in {@code space} with {@code threads} threads (as many calls in flight at once).
   *
   * @param space the space clients and provider both reach (channels are the caller's business)
   * @param name the service's name, for thread names and messages
   * @param threads 1 or more
   * @param target gives the provider's id now, or {@link ThreadId#NIL} while it is down; called
   *     once per call, from the relay's threads
   * @return the relay, its threads waiting at {@link #id()}
   * @throws IllegalArgumentException if {@code threads} is below 1
   * @throws IllegalStateException if the space has ended or the kernel is full
   */
  public static RpcRelay start(Space space, String name, int threads, LongSupplier target) {
    if (threads < 1) {
      throw new IllegalArgumentException("a relay needs at least one thread: " + threads);
    }
    final RpcRelay relay = new RpcRelay(Objects.requireNonNull(space, "space"), name, Objects.requireNonNull(target, "target"));
    for (int i = 0; i < threads; i++) {
      final Thread t = Thread.ofPlatform().daemon().name("relay-" + name + "-" + i).start(relay::serve);
      relay.threads.add(t);
    }
    return relay;
  }

  /**
   * The endpoint's id, which clients call.
   *
   * @return the id
   */
  public long id() {
    return endpoint.id();
  }

  private void serve() {
    final IpcThread front;
    final IpcThread back;
    try {
      front = space.attach("relay-" + name + "-in");
      back = space.attach("relay-" + name + "-out");
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.log(System.Logger.Level.ERROR, "relay " + name + " could not start a thread", e);
      }
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      final Frame detail = new Frame(arena.allocate(RegisterFrames.capacity(front.messageRegisters(), REPLY_HEADER),
          Frame.BULK_ALIGNMENT));
      while (!closed) {
        final int status = front.waitAt(endpoint, Timeout.NEVER);
        if (status != Status.OK) {
          final int code = Status.code(status);
          if (code == Status.CLOSED || code == Status.STALE_ID || code == Status.INVALID_ID) {
            return;
          }
          continue;
        }
        forward(front, back, detail);
      }
    } finally {
      front.close();
      back.close();
    }
  }

  /** One request: to the provider and back, or a failure outcome. */
  private void forward(IpcThread front, IpcThread back, Frame detail) {
    final boolean canReply = front.canReply();
    final long tag = front.tag();
    final int words = MessageTag.words(tag);
    if (MessageTag.label(tag) != CALL || words < CALL_HEADER) {
      if (canReply) {
        fail(front, detail, Outcome.MALFORMED_REQUEST, "not an RPC request");
      }
      return;
    }
    if ((front.mr(2) & IN_REGION) != 0) {
      if (canReply) {
        fail(front, detail, Outcome.MALFORMED_REQUEST,
            "arguments larger than the message registers cannot go through the relay of " + name);
      }
      return;
    }
    final long to = target.getAsLong();
    if (to == ThreadId.NIL) {
      if (canReply) {
        fail(front, detail, Outcome.UNAVAILABLE, "service " + name + " is down (restarting or stopped)");
      }
      return;
    }
    back.setTag(tag);
    for (int i = 1; i <= words; i++) {
      back.setMr(i, front.mr(i));
    }
    final long left = front.mr(3);
    final long timeout = left < 0 ? Timeout.NEVER : Timeout.relative(left);
    final int status = canReply ? back.call(to, timeout, timeout) : back.send(to, timeout);
    if (!canReply) {
      return; // a one-way message: delivered to the relay is delivered
    }
    if (status == Status.OK) {
      final long replyTag = back.tag();
      final int replyWords = MessageTag.words(replyTag);
      front.setTag(replyTag);
      for (int i = 1; i <= replyWords; i++) {
        front.setMr(i, back.mr(i));
      }
      front.reply();
      return;
    }
    final int code = Status.code(status);
    if (code == Status.TIMEOUT) {
      return; // the client's own deadline ends its call
    }
    if (Status.failedInReceive(status)) {
      fail(front, detail, Outcome.PROVIDER_DIED, "the provider of " + name + " ended during the call ("
          + Status.toString(status) + ")");
    } else {
      fail(front, detail, Outcome.UNAVAILABLE, "the call could not be delivered to " + name + " ("
          + Status.toString(status) + ")");
    }
  }

  private static void fail(IpcThread front, Frame detail, int outcome, String what) {
    detail.clear();
    detail.putString(what);
    final int words = RegisterFrames.write(detail, front, 1 + REPLY_HEADER);
    front.setTag(MessageTag.of(REPLY, REPLY_HEADER + words));
    front.setMr(1, (outcome & 0xFFFF_FFFFL) | (detail.position() << 32));
    front.reply();
  }

  /** Closes the endpoint and ends the relay's threads (their calls in flight end too). Idempotent. */
  @Override
  public void close() {
    closed = true;
    endpoint.close();
    for (Thread t : threads) {
      t.interrupt();
    }
  }

  @Override
  public String toString() {
    return "RpcRelay[" + name + " at " + ThreadId.toString(endpoint.id()) + "]";
  }
}
