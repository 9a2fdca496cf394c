package dev.nucleus.async;

import dev.nucleus.async.internal.RingReceiver;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;

/**
 * The receiving end of a one-way queue: it takes messages in the order they were sent, each
 * exactly once, either in place ({@link #poll}, {@link #receive(MessageHandler, long)}: a
 * {@link MessageHandler} reads the slots) or copied into a caller's buffer.
 *
 * <p>Operations return {@link QueueStatus statuses} ({@link Status} codes, receive phase), or a
 * count or length, and allocate nothing. After the sender closes or dies, the receiver first
 * takes everything the sender published, then gets PEER_DEAD. Everything read from the ring is
 * checked: a stamp, length or state that no correct sender writes ends the queue for this end
 * with PROTOCOL_ERROR, {@link #failure()} saying what was wrong; the handler never sees such a
 * message, and nothing is read outside the ring.
 *
 * <p>How far it has read is published to the sender lazily: once per half ring, and before it
 * sleeps. Waiting: a receiver that waits spins, sleeps or both, as its {@link WaitStrategy}
 * says; to sleep it announces so in the queue, and the sender wakes it through the
 * {@link Doorbell} only then (docs/queue-wire.md, section 5). A Java interrupt ends a wait with
 * ABORTED (the thread's interrupt status stays set).
 *
 * <p>Thread-safety: single consumer. One thread at a time uses this end, {@link #close()}
 * included; only {@link #peerDied()} may be called from any thread.
 *
 * <p>Memory consistency effects: everything the sender wrote before publishing a message
 * happens-before the handling of that message, and the handling happens-before the sender
 * reuses its slots.
 */
public interface QueueReceiver extends AutoCloseable {

  /**
   * The receiving end of the queue in {@code segment}, which {@link QueueMemory#format} made. A
   * queue has one receiver, attached once.
   *
   * @param segment the queue's memory
   * @param doorbell how to sleep and how to wake a sleeping sender; one that reaches the sender's
   *     (see {@link Doorbell})
   * @param strategy how to wait for a message: SPIN says, in the queue's memory, that this
   *     receiver never sleeps, so its sender publishes each message without the StoreLoad fence
   *     that a wake-up needs (and never wakes it); such a receiver goes only into a SPIN waitset
   * @return the receiver, at position 0 of a fresh queue
   * @throws IllegalArgumentException if the segment holds no valid queue (the message names the
   *     field that is wrong)
   */
  static QueueReceiver attach(MemorySegment segment, Doorbell doorbell, WaitStrategy strategy) {
    return new RingReceiver(segment, doorbell, strategy);
  }

  /**
   * Hands up to {@code limit} messages already in the ring to {@code handler}, in order; never
   * waits. When it returns 0, {@link #status()} says whether more may come.
   *
   * @param handler called once per message, on this thread
   * @param limit the most messages to take, at least 1
   * @return the number of messages handled, 0 .. limit
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  int poll(MessageHandler handler, int limit);

  /**
   * Hands the next message to {@code handler}, waiting up to {@code timeout} for one.
   *
   * @param handler called once, on this thread, if OK
   * @param timeout a {@link Timeout}: ZERO, relative, absolute or NEVER
   * @return OK; {@link QueueStatus#EMPTY} (ZERO only), TIMEOUT, ABORTED; PEER_DEAD, CLOSED,
   *     PROTOCOL_ERROR (final); INVALID_ARGUMENT. All but OK in the receive phase
   */
  int receive(MessageHandler handler, long timeout);

  /**
   * Copies the next message into {@code dst} at {@code dstOffset}, waiting up to
   * {@code timeout} for one. A message longer than {@code capacity} stays in the ring (this
   * returns {@code -MSG_TOO_LONG}); take it with a handler or a larger buffer.
   *
   * @param dst where to copy the payload (any segment, heap or native)
   * @param dstOffset where in {@code dst}
   * @param capacity the most bytes to copy
   * @param timeout a {@link Timeout}: ZERO, relative, absolute or NEVER
   * @return the message's length (0 or more), or {@code -status} for a status of
   *     {@link #receive(MessageHandler, long)}, or {@code -MSG_TOO_LONG} (receive phase)
   * @throws IndexOutOfBoundsException if {@code capacity} bytes from {@code dstOffset} are not
   *     inside {@code dst}
   */
  int receive(MemorySegment dst, long dstOffset, int capacity, long timeout);

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
   * OK while messages may still come; else the final status every operation now returns
   * (PEER_DEAD once everything the sender published has been taken, CLOSED, PROTOCOL_ERROR;
   * receive phase). Learned from the queue's memory only by operations.
   *
   * @return a status
   */
  int status();

  /**
   * What went wrong, for a final status: e.g. the slot and stamp that no correct sender writes;
   * {@code null} while the status is OK.
   *
   * @return a sentence, or null
   */
  String failure();

  /**
   * Closes this end: the sender's next operation gets PEER_DEAD, and a sender asleep waiting for
   * room is woken. Messages not yet taken are dropped. Later operations return CLOSED.
   * Idempotent.
   */
  @Override
  void close();

  /**
   * Records that the sender's space or process has died (for whoever watches it, e.g. the
   * kernel): marks the sender DEAD in the queue and wakes this end if it sleeps. This end then
   * takes everything the sender published before it died, and then gets PEER_DEAD. Call it only
   * once the sender cannot run any more. Thread-safe.
   */
  void peerDied();
}
