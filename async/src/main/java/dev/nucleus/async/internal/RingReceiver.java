package dev.nucleus.async.internal;

import static dev.nucleus.async.internal.QueueDescriptor.OPEN;
import static dev.nucleus.async.internal.QueueDescriptor.SENDER_STATE_OFFSET;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.MessageHandler;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.QueueStatus;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The receiving end of a queue (see {@link QueueReceiver} for the contract).
 *
 * <pre>
 * Implementation overview (UMP's receiver: the stamp is the only signal)
 *
 *   next:     s := STAMP of slot (position)                       acquire
 *             SEQUENCE(s) = (u32) position and F:                 a message of LENGTH(s) bytes
 *               LENGTH &lt;= maxPayload, else protocol error
 *               slots k = 1..n-1: STAMP = (position + k) &lt;&lt; 32 | k, else protocol error
 *             SEQUENCE(s) = (u32) (position - SLOT_COUNT), or s = 0 in the first lap: nothing yet
 *             anything else: protocol error
 *   consume:  hand the message to the handler (or copy it out); position += n
 *             if position - published >= SLOT_COUNT / 2: publish
 *   publish:  READ_POSITION := position (volatile); published := position
 *             if SENDER_SLEEPING (volatile): CAS it 1 -> 0, ring the doorbell
 *   sleep:    publish (if anything is unpublished), RECEIVER_SLEEPING := 1, re-check the slot and
 *             SENDER_STATE, sleep (see QueueEnd)
 *   sender gone (SENDER_STATE not OPEN, volatile): look at the slot once more (the state was
 *             stored after the last stamp); nothing there: PEER_DEAD
 * </pre>
 *
 * Why the stale check is exact: every position below the sender's is a slot of some message (a
 * claim that is aborted stamps nothing and its slots are claimed again), so the slot of
 * {@code position} holds either the stamp written for {@code position - SLOT_COUNT} (or zero if
 * there was none) or the new one; a 32-bit SEQUENCE tells the two apart since SLOT_COUNT is below
 * 2^32. A lap's stamps are never older than one lap, because the sender writes a slot only once
 * the receiver has published that it read it.
 *
 * <p>Why publishing once per half ring is enough: a message takes at most half the ring, so a
 * sender that finds no room has more than half the ring unread; the receiver, taking it, reaches
 * half a ring past what it last published, publishes, and sees the sender's announcement (the
 * Dekker pair of {@link QueueEnd}). A receiver that drains the ring leaves less than half of it
 * unpublished, which is room for any message.
 *
 * <p>Every slot read is {@code position & mask} of the count read at attach; lengths are
 * checked before they are used. Fields are the receiving thread's (plain). Allocates nothing but
 * a failure's text.
 */
public final class RingReceiver extends QueueEnd implements QueueReceiver {

  private final MessageView view;
  /** Slots read between two publications of READ_POSITION. */
  private final int publishEvery;
  /** Position of the next slot to read. */
  private long position;
  /** The READ_POSITION last published. */
  private long published;
  /** The length of the message {@link #next} found; valid after it returned OK. */
  private int readyLength;

  /**
   * The receiver of the queue in {@code segment}.
   *
   * @throws IllegalArgumentException if the segment holds no valid queue
   */
  public RingReceiver(MemorySegment segment, Doorbell doorbell, WaitStrategy strategy) {
    super(segment, doorbell, strategy, false);
    this.view = new MessageView(segment, mask);
    this.publishEvery = slotCount / 2;
  }

  @Override
  public int poll(MessageHandler handler, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("poll takes at least 1 message, not " + limit);
    }
    Objects.requireNonNull(handler, "handler");
    int handled = 0;
    while (handled < limit && status == Status.OK) {
      final int found = next();
      if (found != Status.OK) {
        if (found == WAITING && QueueDescriptor.intOpaque(segment, SENDER_STATE_OFFSET) != OPEN) {
          peerCheck();
        }
        break;
      }
      deliver(handler);
      handled++;
    }
    return handled;
  }

  @Override
  public int receive(MessageHandler handler, long timeout) {
    Objects.requireNonNull(handler, "handler");
    final int found = awaitMessage(timeout);
    if (found != Status.OK) {
      return found;
    }
    deliver(handler);
    return Status.OK;
  }

  @Override
  public int receive(MemorySegment dst, long dstOffset, int capacity, long timeout) {
    Objects.checkFromIndexSize(dstOffset, capacity, dst.byteSize());
    final int found = awaitMessage(timeout);
    if (found != Status.OK) {
      return -found;
    }
    final int length = readyLength;
    if (length > capacity) {
      return -Status.receive(Status.MSG_TOO_LONG);
    }
    view.open(position, length);
    try {
      view.copyTo(0, dst, dstOffset, length);
    } finally {
      view.close();
      consumed(length);
    }
    return length;
  }

  /**
   * Whether an operation would find something now: a message at the next position, a sender that
   * is no longer OPEN, or a final status. Changes nothing; for a waitset that hands the end to
   * another thread only when there is work. Owner thread (whoever holds the end now).
   */
  public boolean ready() {
    return status != Status.OK || wakeCondition() || QueueDescriptor.intVolatile(segment, SENDER_STATE_OFFSET) != OPEN;
  }

  @Override
  public int maxPayload() {
    return maxPayload;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String failure() {
    return failure;
  }

  @Override
  public void close() {
    closeEnd();
  }

  // --- taking a message ------------------------------------------------------------------------

  /** Waits for the next message: OK (readyLength set), or a status. */
  private int awaitMessage(long timeout) {
    if (status != Status.OK) {
      return status;
    }
    if (!Timeout.isValid(timeout)) {
      return Status.receive(Status.INVALID_ARGUMENT);
    }
    final int found = next();
    if (found != WAITING) {
      return found;
    }
    if (timeout == Timeout.ZERO) {
      final int gone = peerCheck();
      return gone != WAITING ? gone : QueueStatus.EMPTY;
    }
    return await(timeout);
  }

  /**
   * Looks at the slot of {@code position}: OK if a whole, valid message starts there (its length
   * in readyLength), WAITING if nothing does yet, or PROTOCOL_ERROR.
   */
  private int next() {
    final long slot = QueueDescriptor.slotOffset(position, mask);
    final long stamp = QueueDescriptor.stampAcquire(segment, slot);
    if (QueueDescriptor.sequence(stamp) == QueueDescriptor.sequenceOf(position) && QueueDescriptor.isFirst(stamp)) {
      final long length = QueueDescriptor.infoValue(stamp);
      if (length > maxPayload) {
        return fail("slot " + (position & mask) + " (position " + position + ") starts a message of " + length
            + " bytes, above the queue's maxPayload " + maxPayload);
      }
      final int slots = QueueDescriptor.slotsFor((int) length);
      for (int k = 1; k < slots; k++) {
        final long expected = QueueDescriptor.continuationStamp(position + k, k);
        final long found = QueueDescriptor.stampPlain(segment, QueueDescriptor.slotOffset(position + k, mask));
        if (found != expected) {
          return fail("slot " + ((position + k) & mask) + " (position " + (position + k) + ", slot " + k + " of a "
              + slots + "-slot message) has stamp " + QueueDescriptor.describeStamp(found) + ", expected "
              + QueueDescriptor.describeStamp(expected));
        }
      }
      readyLength = (int) length;
      return Status.OK;
    }
    if (isEmpty(stamp)) {
      return WAITING;
    }
    return fail("slot " + (position & mask) + " (position " + position + ") has stamp "
        + QueueDescriptor.describeStamp(stamp) + ": neither the first slot of SEQUENCE 0x"
        + Integer.toHexString(QueueDescriptor.sequenceOf(position)) + " nor a slot of the previous lap");
  }

  /** Whether {@code stamp}, read at {@code position}, says that nothing has been written there yet. */
  private boolean isEmpty(long stamp) {
    return QueueDescriptor.sequence(stamp) == QueueDescriptor.sequenceOf(position - slotCount)
        || (stamp == 0 && position < slotCount);
  }

  private void deliver(MessageHandler handler) {
    final int length = readyLength;
    view.open(position, length);
    try {
      handler.onMessage(view);
    } finally {
      view.close();
      consumed(length);
    }
  }

  private void consumed(int length) {
    position += QueueDescriptor.slotsFor(length);
    if (position - published >= publishEvery) {
      publish();
    }
  }

  private void publish() {
    QueueDescriptor.setReadPositionVolatile(segment, position);
    published = position;
    wakePeerIfSleeping();
  }

  // --- waiting ---------------------------------------------------------------------------------

  @Override
  int poll() {
    return next();
  }

  /** The sender's state, once it has published everything: a message still there comes first. */
  @Override
  int peerCheck() {
    if (QueueDescriptor.intVolatile(segment, SENDER_STATE_OFFSET) == OPEN) {
      return WAITING;
    }
    final int last = next(); // SENDER_STATE was stored after the sender's last stamp
    if (last != WAITING) {
      return last;
    }
    return peerGone();
  }

  @Override
  void prepareToSleep() {
    if (position != published) {
      publish();
    }
  }

  @Override
  boolean wakeCondition() {
    return !isEmpty(QueueDescriptor.stampVolatile(segment, QueueDescriptor.slotOffset(position, mask)));
  }

  @Override
  public String toString() {
    return "QueueReceiver[" + slotCount + " slots, position " + position + ", published " + published + ", "
        + QueueStatus.toString(status) + "]";
  }
}
