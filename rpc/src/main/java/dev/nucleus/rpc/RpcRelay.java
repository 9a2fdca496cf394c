package dev.nucleus.rpc;

import static dev.nucleus.rpc.internal.RegisterFrames.CALL;
import static dev.nucleus.rpc.internal.RegisterFrames.CALL_HEADER;
import static dev.nucleus.rpc.internal.RegisterFrames.IN_REGION;
import static dev.nucleus.rpc.internal.RegisterFrames.RESULT_SPACE;
import static dev.nucleus.rpc.internal.RegisterFrames.KEPT;
import static dev.nucleus.rpc.internal.RegisterFrames.REGION_FRAME_OFFSET;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY_HEADER;

import dev.nucleus.kernel.Endpoint;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.SharedRegion;
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
 * provider died before replying. A deadline that passes is left to the client's own timeout.
 * Arguments too large for the registers, and results, travel in the client's shared region, as without a relay:
 * the relay passes on a region of its own process as it is, and takes over another process's for
 * the call ({@link SharedRegion#adopt}), so that the provider, which sees the relay as the sender,
 * can check the handle. The provider sees the relay as the caller (its space, thread and
 * process).
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
    back.setMr(2, front.mr(2) & ~RegisterFrames.LANE_MASK); // the caller's call lane is not the relay's
    // Arguments in a shared region, or a region offered for the reply: the provider checks the
    // region's handle against the process it sees as the sender, which is the relay's. A client in
    // this process passes a handle of this process, good as it is; another process's region is
    // taken over for the call (adopt) and passed under a handle of this process, for this call
    // only (not KEPT). The reply, written into the same memory, needs nothing more.
    SharedRegion adopted = null;
    final boolean inRegion = (front.mr(2) & IN_REGION) != 0;
    if ((inRegion || (front.mr(2) & RESULT_SPACE) != 0) && front.senderPid() != 0) {
      if (words < CALL_HEADER + 2) {
        if (canReply) {
          fail(front, detail, Outcome.MALFORMED_REQUEST, "a region request without its handle and token");
        }
        return;
      }
      try {
        adopted = SharedRegion.adopt(front.mr(1 + CALL_HEADER), front.senderPid(),
            REGION_FRAME_OFFSET + (inRegion ? front.mr(2) & 0xFFFF_FFFFL : 0));
      } catch (IllegalArgumentException e) {
        if (canReply) {
          fail(front, detail, Outcome.MALFORMED_REQUEST, e.getMessage());
        }
        return;
      }
      back.setMr(1 + CALL_HEADER, adopted.handle());
      back.setMr(2, front.mr(2) & ~KEPT);
    }
    final long left = front.mr(3);
    final long timeout = left < 0 ? Timeout.NEVER : Timeout.relative(left);
    final int status;
    try {
      status = canReply ? back.call(to, timeout, timeout) : back.send(to, timeout);
    } finally {
      if (adopted != null) {
        adopted.close(); // the provider has mapped and unmapped it, or never will
      }
    }
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
