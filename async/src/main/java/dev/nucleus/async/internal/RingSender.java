package dev.nucleus.async.internal;

import static dev.nucleus.async.internal.QueueDescriptor.OPEN;
import static dev.nucleus.async.internal.QueueDescriptor.RECEIVER_STATE_OFFSET;

import dev.nucleus.async.ClaimedMessage;
import dev.nucleus.async.Doorbell;
import dev.nucleus.async.QueueSender;
import dev.nucleus.async.QueueStatus;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The sending end of a queue (see {@link QueueSender} for the contract).
 *
 * <pre>
 * Implementation overview (UMP's sender, with the receiver's position cached)
 *
 *   claim(L):  n := slots for L
 *              if position + n - cachedRead > SLOT_COUNT:         the ring seems full
 *                cachedRead := READ_POSITION (volatile), checked  only then is the receiver's line read
 *                still full: FULL, or wait (announce SENDER_SLEEPING, re-check, sleep)
 *              the claim is the slots position .. position + n - 1 (nothing shared changes)
 *   commit:    slot k = 1..n-1: STAMP := (position + k) &lt;&lt; 32 | k        plain
 *              slot 0:          STAMP := position &lt;&lt; 32 | FIRST | L      volatile: publishes
 *              position += n
 *              if RECEIVER_SLEEPING (volatile): CAS it 1 -> 0, ring the doorbell
 * </pre>
 *
 * Invariant: {@code cachedRead <= READ_POSITION <= position}, and the slots from
 * {@code cachedRead} to {@code position} hold messages the receiver may not have read, so the
 * sender writes only positions below {@code cachedRead + SLOT_COUNT}. A READ_POSITION outside
 * {@code [cachedRead, position]} is a protocol error: no correct receiver goes back or reads
 * ahead of what was published. The payload's plain stores and the continuation stamps come
 * before the first slot's volatile stamp store, so the receiver's acquire load of that stamp
 * sees the whole message; and that store comes before the load of RECEIVER_SLEEPING, which
 * makes the lazy wake-up safe (see {@link QueueEnd}).
 *
 * <p>Fields are the sending thread's (plain). Allocates nothing but the failure's text.
 */
public final class RingSender extends QueueEnd implements QueueSender {

  private final MessageClaim claim;
  /** Position of the next slot to write. */
  private long position;
  /** READ_POSITION as last read and checked. */
  private long cachedRead;
  /** Slots the claim in progress waits for room for. */
  private int needed;
  /**
   * RECEIVER_SPINS read as 1 once: it only ever goes from 0 to 1 (a receiver attached with SPIN
   * writes it when it attaches), so the sender need not read it again.
   */
  private boolean receiverSpins;

  /**
   * The sender of the queue in {@code segment}.
   *
   * @throws IllegalArgumentException if the segment holds no valid queue
   */
  public RingSender(MemorySegment segment, Doorbell doorbell, WaitStrategy strategy) {
    this(segment, doorbell, strategy, null, -1);
  }

  /**
   * The sender of the queue in {@code segment}, which also wakes a receiver asleep in a waitset by
   * notifying it through {@code notifier} (null: the doorbell only).
   *
   * @throws IllegalArgumentException if the segment holds no valid queue
   */
  public RingSender(MemorySegment segment, Doorbell doorbell, WaitStrategy strategy, IpcThread notifier,
      int receiverSpace) {
    super(segment, doorbell, strategy, true, notifier, receiverSpace);
    this.claim = new MessageClaim(segment, mask);
  }

  @Override
  public int offer(MemorySegment src, long srcOffset, int length) {
    return send(src, srcOffset, length, Timeout.ZERO);
  }

  @Override
  public int send(MemorySegment src, long srcOffset, int length, long timeout) {
    if (length >= 0) {
      Objects.checkFromIndexSize(srcOffset, length, src.byteSize());
    }
    final int claimed = claim(length, timeout);
    if (claimed != Status.OK) {
      return claimed;
    }
    claim.copy(0, src, srcOffset, length, false);
    commit();
    return Status.OK;
  }

  @Override
  public int claim(int length, long timeout) {
    if (claim.isOpen()) {
      throw new IllegalStateException("a claimed message is not yet committed or aborted");
    }
    if (status != Status.OK) {
      return status;
    }
    if (length < 0 || !Timeout.isValid(timeout)) {
      return Status.send(Status.INVALID_ARGUMENT);
    }
    if (length > maxPayload) {
      return Status.send(Status.MSG_TOO_LONG);
    }
    if (QueueDescriptor.intOpaque(segment, RECEIVER_STATE_OFFSET) != OPEN) {
      final int gone = peerGone();
      if (gone != WAITING) {
        return gone;
      }
    }
    final int slots = QueueDescriptor.slotsFor(length);
    if (position + slots - cachedRead > slotCount) {
      final int room = waitForRoom(slots, timeout);
      if (room != Status.OK) {
        return room;
      }
    }
    claim.open(position, length);
    claim.slots = slots;
    return Status.OK;
  }

  @Override
  public ClaimedMessage claimed() {
    return claim;
  }

  @Override
  public void commit() {
    if (!claim.isOpen()) {
      throw new IllegalStateException("no message is claimed");
    }
    final long first = claim.first;
    final int slots = claim.slots;
    for (int k = 1; k < slots; k++) {
      QueueDescriptor.setStampPlain(segment, QueueDescriptor.slotOffset(first + k, mask),
          QueueDescriptor.continuationStamp(first + k, k));
    }
    final long slot = QueueDescriptor.slotOffset(first, mask);
    final long stamp = QueueDescriptor.firstStamp(first, claim.length);
    position = first + slots;
    claim.close();
    if (!receiverSpins) {
      receiverSpins = QueueDescriptor.intOpaque(segment, QueueDescriptor.RECEIVER_SPINS_OFFSET) == 1;
    }
    if (receiverSpins) {
      QueueDescriptor.setStampRelease(segment, slot, stamp); // nobody to wake: no StoreLoad fence
    } else {
      QueueDescriptor.setStampVolatile(segment, slot, stamp);
      wakePeerIfSleeping();
    }
  }

  @Override
  public void abort() {
    claim.close();
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
    claim.close();
    closeEnd();
  }

  // --- waiting for room ------------------------------------------------------------------------

  private int waitForRoom(int slots, long timeout) {
    needed = slots;
    final int now = poll();
    if (now != WAITING) {
      return now;
    }
    if (timeout == Timeout.ZERO) {
      final int gone = peerGone();
      return gone != WAITING ? gone : QueueStatus.FULL;
    }
    return await(timeout);
  }

  /** Re-reads READ_POSITION: OK if the claim in progress has room now, WAITING, or PROTOCOL_ERROR. */
  @Override
  int poll() {
    final long read = QueueDescriptor.readPositionVolatile(segment);
    if (read != cachedRead) {
      if (read < cachedRead || read > position) {
        return fail("the receiver published READ_POSITION " + read + ", outside [" + cachedRead + ", " + position
            + "] (what it had published, what was sent)");
      }
      cachedRead = read;
    }
    return position + needed - cachedRead <= slotCount ? Status.OK : WAITING;
  }

  @Override
  boolean wakeCondition() {
    return QueueDescriptor.readPositionVolatile(segment) != cachedRead;
  }

  @Override
  public String toString() {
    return "QueueSender[" + slotCount + " slots, position " + position + ", read " + cachedRead + ", "
        + QueueStatus.toString(status) + "]";
  }
}
