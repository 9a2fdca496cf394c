package dev.nucleus.rpc.internal;

import dev.nucleus.async.MessageHandler;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.ReceivedMessage;
import dev.nucleus.kernel.Futex;
import dev.nucleus.kernel.ThreadId;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The server's end of one client thread's one-way queue (docs/rpc-wire.md, section 9): the
 * queue's receiving end, the server's mapping of the client's region, and the caller's identity
 * as the kernel stamped it on the QUEUE_OPEN call. The one-way thread's waitset hands each message
 * to {@link #onMessage}, which has the {@link OnewayServer} serve it and then publishes HANDLED
 * (waking the client if it sleeps on it: {@link OnewayRegionDescriptor}).
 *
 * <p>Made by the pool thread that answered QUEUE_OPEN, handed to the one-way thread through a
 * concurrent queue (which orders the handing over), and used by that thread only from then on;
 * {@link #receiver}'s {@code peerDied} excepted. Allocates nothing per message.
 */
final class ServerLane implements MessageHandler {

  final QueueReceiver receiver;
  /** The mapping of the client's region: shared, as one thread maps it and another unmaps it. */
  private final Arena arena;
  private final MemorySegment region;
  /** Where the server line starts in {@link #region}. */
  private final long lane;
  /** The queue's slots: no more messages than this are ever in it at once. */
  final int slots;
  /** The most frame bytes one message of this queue carries. */
  final int maxFrame;
  final int callerSpace;
  final long callerThread;
  final long callerPid;
  private final OnewayServer server;
  /** Messages taken and finished; published as HANDLED after each. */
  private long handled;
  /** Whether the queue has ended: its receiver closed and ENDED published. */
  private boolean ended;

  ServerLane(OnewayServer server, QueueReceiver receiver, Arena arena, MemorySegment region, long lane, int slots,
      int maxFrame, long callerThread, int callerSpace, long callerPid) {
    this.server = server;
    this.receiver = receiver;
    this.arena = arena;
    this.region = region;
    this.lane = lane;
    this.slots = slots;
    this.maxFrame = maxFrame;
    this.callerThread = callerThread;
    this.callerSpace = callerSpace;
    this.callerPid = callerPid;
  }

  @Override
  public void onMessage(ReceivedMessage message) {
    try {
      server.serve(this, message);
    } finally {
      publish(++handled);
    }
  }

  /** HANDLED := {@code value}, then the lazy wake-up of a client asleep on it. */
  private void publish(long value) {
    OnewayRegionDescriptor.setHandledVolatile(region, lane, value);
    if (OnewayRegionDescriptor.clientSleepingVolatile(region, lane) != 0
        && OnewayRegionDescriptor.casClientSleeping(region, lane)) {
      Futex.wake(region, OnewayRegionDescriptor.clientSleepingOffset(lane));
    }
  }

  /**
   * Ends the queue: closes the receiving end (a client that sends again gets PEER_DEAD) and tells a
   * client waiting for HANDLED that nothing more will be handled. Idempotent.
   */
  void end() {
    if (!ended) {
      ended = true;
      receiver.close();
      publish(OnewayRegionDescriptor.ENDED);
    }
  }

  /** Unmaps the region; once {@link #end()}ed and out of every waitset. */
  void unmap() {
    arena.close();
  }

  @Override
  public String toString() {
    return "one-way queue of thread " + ThreadId.toString(callerThread) + " (pid " + callerPid + ")";
  }
}
