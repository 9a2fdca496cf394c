package dev.nucleus.async.internal;

import dev.nucleus.async.Doorbell;
import java.lang.foreign.MemorySegment;

/**
 * What a third party that holds no end of a queue (the root's broker, which created it) does to
 * its sides: reads whether a side is still OPEN, and marks a side whose space has died DEAD and
 * wakes the survivor (docs/queue-wire.md, section 6); the broker holds neither end. An end whose
 * peer has died ({@link QueueEnd#peerDied()}) is marked the same way.
 *
 * <pre>
 * Implementation overview
 *
 *   markDead(side):
 *     CAS(SIDE_STATE, OPEN, DEAD)          volatile: a side that closed or failed keeps its word
 *     SURVIVOR_SLEEPING := 0               volatile
 *     doorbell.wake(SURVIVOR_SLEEPING)     whatever the word held
 * </pre>
 *
 * Why no wake-up is lost: the survivor stores 1 in its SLEEPING word and then loads the dead
 * side's STATE (the sleeper's half of section 5); this stores the STATE and then the SLEEPING
 * word. If the survivor's store of 1 comes after this store of 0, its load of STATE comes after
 * this store of DEAD and it does not sleep; otherwise the word is 0 when it would sleep, or the
 * wake reaches it (the doorbell's futex promise). The wake call is made whatever the word held,
 * since it must not depend on a peer that may have died between its CAS of the word and its wake
 * call. Call it only once the side cannot run any more: its process has
 * exited, or its thread space has ended.
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class SideWatch {

  private SideWatch() {}

  /**
   * Whether the side's STATE word still reads OPEN (volatile). A process side may write any value
   * there: the answer is a hint about that side only, never used to compute an address.
   *
   * @param segment the queue's memory
   * @param sender the sending side (true) or the receiving side
   */
  public static boolean isOpen(MemorySegment segment, boolean sender) {
    return QueueDescriptor.intVolatile(segment, stateOffset(sender)) == QueueDescriptor.OPEN;
  }

  /**
   * Marks the side DEAD (if it is still OPEN) and wakes the other side, which then ends with
   * PEER_DEAD: a receiver after taking everything the sender published, a sender at its next send
   * or at once if it waits for room.
   *
   * @param segment the queue's memory
   * @param sender the side that died: the sender (true) or the receiver
   * @param doorbell a doorbell that reaches the survivor's
   */
  public static void markDead(MemorySegment segment, boolean sender, Doorbell doorbell) {
    QueueDescriptor.casInt(segment, stateOffset(sender), QueueDescriptor.OPEN, QueueDescriptor.DEAD);
    final long survivorSleeping = sender ? QueueDescriptor.RECEIVER_SLEEPING_OFFSET
        : QueueDescriptor.SENDER_SLEEPING_OFFSET;
    QueueDescriptor.setIntVolatile(segment, survivorSleeping, 0);
    doorbell.wake(segment, survivorSleeping);
  }

  private static long stateOffset(boolean sender) {
    return sender ? QueueDescriptor.SENDER_STATE_OFFSET : QueueDescriptor.RECEIVER_STATE_OFFSET;
  }
}
