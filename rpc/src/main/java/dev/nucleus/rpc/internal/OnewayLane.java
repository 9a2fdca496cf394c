package dev.nucleus.rpc.internal;

import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.FLAGS_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.FRAME_LENGTH_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.FRAME_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.HEADER_LENGTH;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.METHOD_ID_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.NANOS_LEFT_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.NO_DEADLINE;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.SERVICE_ID_OFFSET;

import dev.nucleus.async.ClaimedMessage;
import dev.nucleus.async.Doorbell;
import dev.nucleus.async.QueueMemory;
import dev.nucleus.async.QueueSender;
import dev.nucleus.async.QueueStatus;
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
import dev.nucleus.rpc.NotDeliveredException;
import dev.nucleus.rpc.NotPermittedException;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.rpc.UnknownMethodException;
import java.lang.foreign.MemorySegment;

/**
 * One calling thread's one-way queue to a server: the client's half of docs/rpc-wire.md,
 * section 9. A {@link KernelCall} of a binding made with a one-way queue opens its lane on the
 * thread's first one-way call and sends every later one-way request of the thread through it.
 *
 * <pre>
 * Implementation overview
 *
 *   open:   region := SharedRegion(queue of SLOT_COUNT slots + the two lane lines), formatted
 *           sender := the queue's sending end; it wakes the server by notifying the thread the
 *                     server names in the queue (QueueSender.attach with this thread as notifier)
 *           call(server endpoint, QUEUE_OPEN: service id, slot count, region handle)
 *           reply OK carries the id of the server's one-way thread; anything else: the region and
 *           the sender are closed (a server that took the queue sees it closed) and the call fails
 *   send:   claim(24 + frame length, ZERO); write the header and copy the frame; commit; sent++
 *           full: claim again in slices of LIVENESS_SLICE_NANOS, up to the deadline, and between
 *           two slices ask the kernel whether the one-way thread still runs (PeerDead if not)
 *   before a two-way call (awaitHandled), if HANDLED &lt; sent: spin (as the thread's wait strategy
 *           says), then announce CLIENT_SLEEPING and sleep on it (futex) in slices, re-checking
 *           HANDLED, the deadline and the one-way thread's liveness
 * </pre>
 *
 * Order: the queue is FIFO with one consumer, so the server handles this thread's one-way
 * requests in the order they were sent; {@link #awaitHandled} makes a two-way call of the thread
 * start only after the server has finished every one-way request the thread sent before it. Why
 * the client waits instead of the server: the call's wire format stays as it was, and a hostile
 * client cannot make a server thread wait for anything.
 *
 * <p>Why {@link #LIVENESS_SLICE_NANOS} is 50 ms: the kernel reports a dead process within about
 * that (docs/architecture.md, failure), and the check reads the kernel's shared memory, which is
 * cheap but not free; it is made only on the slow paths (a full queue, a wait for HANDLED).
 *
 * <p>Used by the calling thread only, except {@link #close()}; allocates nothing on the send path
 * once open.
 */
public final class OnewayLane implements AutoCloseable {

  /** How long one bounded wait lasts before the server's one-way thread is checked for life. */
  static final long LIVENESS_SLICE_NANOS = 50_000_000L;
  /** How long an ADAPTIVE thread spins for HANDLED before it sleeps: about what a wake-up costs. */
  static final long SPIN_NANOS = 25_000L;

  private final IpcThread thread;
  private final SharedRegion region;
  private final MemorySegment memory;
  /** Where the server line starts in {@link #memory}. */
  private final long lane;
  private final QueueSender sender;
  private final int serviceId;
  /** The server's one-way thread: checked for life on the slow paths. */
  private final long receiverThread;
  /** One-way requests published. */
  private long sent;

  private OnewayLane(IpcThread thread, SharedRegion region, long lane, QueueSender sender, int serviceId,
      long receiverThread) {
    this.thread = thread;
    this.region = region;
    this.memory = region.segment();
    this.lane = lane;
    this.sender = sender;
    this.serviceId = serviceId;
    this.receiverThread = receiverThread;
  }

  /**
   * Opens the lane of {@code thread} (the calling thread's own) to endpoint {@code server} of
   * service {@code serviceId}: makes and formats the region, and asks the server to take it
   * (QUEUE_OPEN), bounded by {@code deadline}. Uses {@code reply}'s memory to read a refusal.
   *
   * @throws RpcException if the server refused the queue or could not be reached: in the send
   *     phase, as the one-way request was not sent; nothing of the lane is left behind
   */
  static OnewayLane open(IpcThread thread, long server, int serviceId, int slots, long deadline, Frame reply,
      MethodDescriptor method) {
    final SharedRegion region;
    try {
      region = SharedRegion.create(OnewayRegionDescriptor.size(slots));
    } catch (IllegalStateException | UnsupportedOperationException e) {
      throw new NotDeliveredException(method + ": no region for a one-way queue: " + e.getMessage());
    }
    QueueSender sender = null;
    try {
      final MemorySegment queue = region.segment().asSlice(0, QueueMemory.bytesFor(slots));
      QueueMemory.format(queue, slots);
      sender = QueueSender.attach(queue, Doorbell.futex(), thread.waitStrategy(), thread, ThreadId.space(server));
      thread.setTag(MessageTag.of(RegisterFrames.QUEUE_OPEN, RegisterFrames.QUEUE_OPEN_WORDS));
      thread.setMr(1, (serviceId & 0xFFFF_FFFFL) | ((long) slots << 32));
      thread.setMr(2, region.handle());
      final long timeout = Deadlines.toTimeout(deadline);
      final int status = thread.call(server, timeout, timeout);
      if (status != Status.OK) { // whatever the phase of QUEUE_OPEN, the one-way request was not sent
        throw RpcException.fromStatus(Status.send(Status.code(status)), method + " (opening the thread's one-way queue: "
            + Status.toString(status) + ")");
      }
      final long receiver = accepted(thread, server, reply, method);
      return new OnewayLane(thread, region, OnewayRegionDescriptor.laneOffset(slots), sender, serviceId, receiver);
    } catch (RuntimeException | Error e) {
      if (sender != null) {
        sender.close(); // a server that took the queue sees it closed, and lets it go
      }
      region.close();
      throw e;
    }
  }

  /** Reads the reply to QUEUE_OPEN: the server's one-way thread, or the exception for its refusal. */
  private static long accepted(IpcThread t, long server, Frame reply, MethodDescriptor method) {
    final long tag = t.tag();
    final long word = t.mr(1);
    final int outcome = (int) word;
    if (MessageTag.label(tag) != RegisterFrames.REPLY || MessageTag.words(tag) < RegisterFrames.REPLY_HEADER
        || !Outcome.isValid(outcome)) {
      throw new MalformedFrameException("the reply to " + method + "'s QUEUE_OPEN is not an RPC reply (label 0x"
          + Long.toHexString(MessageTag.label(tag)) + ", outcome " + outcome + ")", 0);
    }
    RegisterFrames.read(t, 1 + RegisterFrames.REPLY_HEADER, word >>> 32, reply);
    final String refused = method + ": the server refused the thread's one-way queue";
    switch (outcome) {
      case Outcome.OK -> {
        final long receiver = reply.getLong();
        reply.expectEnd();
        if (!ThreadId.isWellFormed(receiver) || ThreadId.isEndpoint(receiver)
            || ThreadId.space(receiver) != ThreadId.space(server)) {
          throw new MalformedFrameException(refused + ": it named " + ThreadId.toString(receiver)
              + ", not a thread of its space " + ThreadId.space(server), 0);
        }
        return receiver;
      }
      case Outcome.NOT_PERMITTED -> throw new NotPermittedException(refused + ": it takes no calls from this space");
      case Outcome.UNKNOWN_METHOD -> throw new UnknownMethodException(method.service(), method.id(),
          method.name() + method.signature() + " (the export serves another service)");
      case Outcome.UNAVAILABLE -> throw new PeerDeadException(RpcException.Phase.SEND, refused + ": "
          + reply.getString());
      case Outcome.MALFORMED_REQUEST -> throw new NotDeliveredException(refused + ": " + reply.getString());
      default -> throw new MalformedFrameException(refused + " with outcome " + Outcome.name(outcome), 0);
    }
  }

  /**
   * Publishes {@code request} (its bytes from 0 to its position, at most the queue's frame limit)
   * as a one-way request of {@code method} with {@code deadline}; returns once it is in the queue.
   * Waits for room up to the deadline if the queue is full.
   *
   * @throws DeadlineExceededException (send phase) if the queue stayed full until the deadline
   * @throws PeerDeadException (send phase) if the server closed the queue or its one-way thread has ended
   * @throws RpcException for another failure of the queue (send phase)
   */
  void send(MethodDescriptor method, Frame request, long deadline) {
    final int frameLength = (int) request.position();
    final int payload = HEADER_LENGTH + frameLength;
    final QueueSender s = sender;
    int status = s.claim(payload, Timeout.ZERO);
    if (status != Status.OK) {
      status = awaitRoom(status, payload, deadline);
      if (status != Status.OK) {
        throw failure(status, method);
      }
    }
    final ClaimedMessage m = s.claimed();
    m.putInt(METHOD_ID_OFFSET, method.id());
    m.putInt(SERVICE_ID_OFFSET, serviceId);
    final long left = Deadlines.remainingNanos(deadline);
    m.putLong(NANOS_LEFT_OFFSET, left == Long.MAX_VALUE ? NO_DEADLINE : left);
    m.putInt(FRAME_LENGTH_OFFSET, frameLength);
    m.putInt(FLAGS_OFFSET, 0);
    if (frameLength > 0) {
      m.copyFrom(request.segment(), 0, FRAME_OFFSET, frameLength);
    }
    s.commit();
    sent++;
  }

  /** The slow path of {@link #send}: the queue was full. Returns the claim's status at the end. */
  private int awaitRoom(int first, int payload, long deadline) {
    int status = first;
    while (status == QueueStatus.FULL || status == Status.send(Status.TIMEOUT)) {
      if (receiverGone()) {
        return Status.send(Status.PEER_DEAD);
      }
      final long now = Timeout.now();
      if (deadline != Deadlines.NONE && now >= deadline) {
        return Status.send(Status.TIMEOUT);
      }
      final long until = deadline - now < LIVENESS_SLICE_NANOS ? deadline : now + LIVENESS_SLICE_NANOS;
      status = sender.claim(payload, Timeout.at(until));
    }
    return status;
  }

  private RpcException failure(int status, MethodDescriptor method) {
    return switch (Status.code(status)) {
      case Status.TIMEOUT -> new DeadlineExceededException(RpcException.Phase.SEND, method
          + ": the one-way queue stayed full until the deadline");
      case Status.PEER_DEAD, Status.CLOSED -> new PeerDeadException(RpcException.Phase.SEND, method + ": "
          + (sender.failure() != null ? sender.failure() : "the server's one-way thread "
          + ThreadId.toString(receiverThread) + " has ended"));
      default -> RpcException.fromStatus(status, method + " (one-way queue: "
          + (sender.failure() != null ? sender.failure() : QueueStatus.toString(status)) + ")");
    };
  }

  /** Whether the server's one-way thread has ended, as the kernel sees it (slow paths only). */
  private boolean receiverGone() {
    return thread.space().ipcState(receiverThread).kind() == IpcState.Kind.DEAD;
  }

  /**
   * Returns once the server has finished every one-way request this lane sent (or has ended the
   * queue): what a two-way call of the thread waits for before it goes out, so that it is served
   * after them. Returns at once in the common case of a server that has caught up.
   *
   * @throws DeadlineExceededException (send phase) if the deadline passes first
   * @throws PeerDeadException (send phase) if the server's one-way thread has ended
   * @throws NotDeliveredException if the thread is interrupted while it waits
   */
  void awaitHandled(long deadline, MethodDescriptor method) {
    if (caughtUp(OnewayRegionDescriptor.handledAcquire(memory, lane))) {
      return;
    }
    awaitHandledSlowly(deadline, method);
  }

  private boolean caughtUp(long handled) {
    return handled == OnewayRegionDescriptor.ENDED || handled >= sent;
  }

  private void awaitHandledSlowly(long deadline, MethodDescriptor method) {
    final long start = Timeout.now();
    final WaitStrategy strategy = thread.waitStrategy();
    final long spinUntil = switch (strategy) {
      case SPIN -> Long.MAX_VALUE;
      case BLOCK -> start;
      case ADAPTIVE -> start + SPIN_NANOS;
    };
    long nextCheck = start + LIVENESS_SLICE_NANOS;
    int spins = 0;
    while (!caughtUp(OnewayRegionDescriptor.handledAcquire(memory, lane))) {
      final long now = Timeout.now();
      if (deadline != Deadlines.NONE && now >= deadline) {
        throw new DeadlineExceededException(RpcException.Phase.SEND, method
            + ": the thread's earlier one-way calls were not handled before the deadline");
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new NotDeliveredException(method + ": interrupted while the thread's earlier one-way calls were handled");
      }
      if (now >= nextCheck) {
        if (receiverGone()) {
          throw new PeerDeadException(RpcException.Phase.SEND, method + ": the server's one-way thread "
              + ThreadId.toString(receiverThread) + " has ended");
        }
        nextCheck = now + LIVENESS_SLICE_NANOS;
      }
      if (now < spinUntil) {
        Thread.onSpinWait();
        if (++spins % 32 == 0) {
          Thread.yield();
        }
        continue;
      }
      OnewayRegionDescriptor.setClientSleepingVolatile(memory, lane, 1);
      if (!caughtUp(OnewayRegionDescriptor.handledVolatile(memory, lane))) {
        Futex.await(memory, OnewayRegionDescriptor.clientSleepingOffset(lane), 1,
            deadline == Deadlines.NONE ? nextCheck : Math.min(deadline, nextCheck));
      }
      OnewayRegionDescriptor.setClientSleepingVolatile(memory, lane, 0);
    }
  }

  /**
   * Closes the sending end (the server takes what was published, then lets the queue go) and this
   * side's mapping and descriptor of the region; its memory goes when the server unmaps it too.
   * Idempotent. Called by the binding's close, possibly from another thread than the lane's: a
   * one-way call of the lane's thread in progress then fails.
   */
  @Override
  public void close() {
    try {
      sender.close();
    } catch (RuntimeException e) {
      // From another thread than the lane's, the sender cannot notify the server's thread (a
      // notification is its owner's to send): the queue is marked CLOSED all the same, and the
      // server's waitset, which looks at every queue at least once per slice, sees it then.
    }
    try {
      region.close();
    } catch (IllegalStateException e) {
      // closed already, or in use by the lane's thread's own call in progress (which then fails)
    }
  }
}
