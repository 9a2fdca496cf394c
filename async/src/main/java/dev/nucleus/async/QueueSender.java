package dev.nucleus.async;

import dev.nucleus.async.internal.RingSender;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;

/**
 * The sending end of a one-way queue: it appends messages to the ring and never waits for the
 * receiver, except for room when the ring is full and the caller chose to wait.
 *
 * <p>Operations return {@link QueueStatus statuses} ({@link Status} codes, send phase) and
 * allocate nothing. A message is published when {@code send}, {@code offer} or {@link #commit}
 * returns: the receiver then takes it exactly once, in order, unless it closes or dies first.
 *
 * <p>Waiting: a sender that waits for room spins, sleeps or both, as its {@link WaitStrategy}
 * says; to sleep it announces so in the queue and its receiver wakes it through the
 * {@link Doorbell} when it publishes room (docs/queue-wire.md, section 5). A Java interrupt ends
 * a wait with ABORTED (the thread's interrupt status stays set).
 *
 * <p>Thread-safety: single producer. One thread at a time uses this end, {@link #close()}
 * included; only {@link #peerDied()} may be called from any thread.
 *
 * <p>Memory consistency effects: everything a sender writes before publishing a message
 * happens-before the receiver's handling of that message.
 */
public interface QueueSender extends AutoCloseable {

  /**
   * The sending end of the queue in {@code segment}, which {@link QueueMemory#format} made. A
   * queue has one sender, attached once.
   *
   * @param segment the queue's memory
   * @param doorbell how to wake a sleeping receiver and how to sleep; one that reaches the
   *     receiver's (see {@link Doorbell})
   * @param strategy how to wait for room
   * @return the sender, at position 0 of a fresh queue
   * @throws IllegalArgumentException if the segment holds no valid queue (the message names the
   *     field that is wrong)
   */
  static QueueSender attach(MemorySegment segment, Doorbell doorbell, WaitStrategy strategy) {
    return new RingSender(segment, doorbell, strategy);
  }

  /**
   * As {@link #attach(MemorySegment, Doorbell, WaitStrategy)}, for a sender that can also wake a
   * receiver asleep in a {@link Waitset}: such a receiver sleeps in the kernel and names, in the
   * queue, one of its space's threads to notify; this sender then notifies it through
   * {@code notifier} as well as ringing the doorbell. The end is then used only by
   * {@code notifier}'s owner thread (kernel notifications are sent by their thread's owner). A
   * receiver that names a thread outside {@code receiverSpace} breaks the protocol: the send that
   * finds it ends the queue with PROTOCOL_ERROR.
   *
   * @param segment the queue's memory
   * @param doorbell how to wake a receiver that sleeps on its word, and how to sleep
   * @param strategy how to wait for room
   * @param notifier the kernel thread this end runs on, whose space has a channel to the receiver's
   * @param receiverSpace the number of the receiver's space
   * @return the sender, at position 0 of a fresh queue
   * @throws IllegalArgumentException if the segment holds no valid queue
   */
  static QueueSender attach(MemorySegment segment, Doorbell doorbell, WaitStrategy strategy, IpcThread notifier,
      int receiverSpace) {
    return new RingSender(segment, doorbell, strategy, java.util.Objects.requireNonNull(notifier, "notifier"),
        receiverSpace);
  }

  /**
   * Sends {@code length} bytes of {@code src} from {@code srcOffset} if the ring has room now;
   * never waits. The same as {@link #send} with {@link Timeout#ZERO}.
   *
   * @param src the payload's memory (any segment, heap or native)
   * @param srcOffset where the payload starts in {@code src}
   * @param length payload bytes, 0 .. {@link #maxPayload()}
   * @return OK; {@link QueueStatus#FULL}; PEER_DEAD, CLOSED, PROTOCOL_ERROR (final);
   *     MSG_TOO_LONG, INVALID_ARGUMENT
   * @throws IndexOutOfBoundsException if the payload is not inside {@code src}
   * @throws IllegalStateException if a claimed message is not yet committed
   */
  int offer(MemorySegment src, long srcOffset, int length);

  /**
   * Sends {@code length} bytes of {@code src} from {@code srcOffset}, waiting up to
   * {@code timeout} for room.
   *
   * @param src the payload's memory (any segment, heap or native)
   * @param srcOffset where the payload starts in {@code src}
   * @param length payload bytes, 0 .. {@link #maxPayload()}
   * @param timeout a {@link Timeout}: ZERO, relative, absolute or NEVER
   * @return OK; {@link QueueStatus#FULL} (ZERO only), TIMEOUT, ABORTED; PEER_DEAD, CLOSED,
   *     PROTOCOL_ERROR (final); MSG_TOO_LONG, INVALID_ARGUMENT. All but OK in the send phase
   * @throws IndexOutOfBoundsException if the payload is not inside {@code src}
   * @throws IllegalStateException if a claimed message is not yet committed
   */
  int send(MemorySegment src, long srcOffset, int length, long timeout);

  /**
   * Claims the slots of a {@code length}-byte message to write in place, waiting up to
   * {@code timeout} for room. On OK, write it through {@link #claimed()} and then
   * {@link #commit()} (publish) or {@link #abort()} (forget); nothing is published before.
   *
   * @param length payload bytes, 0 .. {@link #maxPayload()}
   * @param timeout a {@link Timeout}: ZERO, relative, absolute or NEVER
   * @return as {@link #send}
   * @throws IllegalStateException if a claimed message is not yet committed
   */
  int claim(int length, long timeout);

  /**
   * The message claimed by the last successful {@link #claim}, to write into.
   *
   * @return the claimed message (the same instance every time; valid until commit or abort)
   */
  ClaimedMessage claimed();

  /**
   * Publishes the claimed message, and wakes the receiver if it announced that it sleeps.
   *
   * @throws IllegalStateException if no claim is open
   */
  void commit();

  /**
   * Forgets the claimed message: nothing is published and its slots are claimed again by the
   * next message. Does nothing if no claim is open.
   */
  void abort();

  /**
   * The process that holds the other end, as the broker that made the queue knows it: what a
   * message's shared-region handle is checked against. Bulk data goes by a {@link
   * dev.nucleus.kernel.SharedRegion}, as for LRPC: the peer sends the region's handle in a
   * message, and this side maps it with {@code SharedRegion.map(handle, peerPid(), bytes, arena)},
   * which refuses a handle of any other process. An end attached to memory directly ({@link
   * #attach}) has no broker to vouch for its peer: -1, which no handle names. -1 too while the
   * other end's process space has no process yet (one started by other means, before it attaches):
   * a root thread's end asks the broker each time, an end a process got over IPC keeps what the
   * broker knew when it handed the end out. Never blocks; any thread.
   *
   * @return the peer's pid (this process's own when the other end is a thread space of it), or -1
   */
  long peerPid();

  /**
   * The largest payload this queue carries: half its ring ({@link QueueMemory#maxPayload}).
   *
   * @return payload bytes
   */
  int maxPayload();

  /**
   * OK while this end can send; else the final status every operation now returns (PEER_DEAD,
   * CLOSED or PROTOCOL_ERROR, send phase). Learned from the queue's memory only by operations:
   * after the receiver has gone, the next send reports it.
   *
   * @return a status
   */
  int status();

  /**
   * What went wrong, for a final status: e.g. which value the receiver published that no
   * correct receiver writes; {@code null} while the status is OK.
   *
   * @return a sentence, or null
   */
  String failure();

  /**
   * Closes this end after the messages published so far: the receiver takes them, then gets
   * PEER_DEAD. An open claim is aborted. Later operations return CLOSED. Idempotent.
   */
  @Override
  void close();

  /**
   * Records that the receiver's space or process has died (for whoever watches it, e.g. the
   * kernel): marks the receiver DEAD in the queue and wakes this end if it sleeps, so that its
   * send returns PEER_DEAD. Call it only once the receiver cannot run any more. Thread-safe.
   */
  void peerDied();
}
