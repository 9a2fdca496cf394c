package dev.nucleus.kernel.internal.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Layout of a receive point: where receivers wait and blocked senders queue. Every thread has
 * one (its own id), and every endpoint is one shared by up to {@link #MAX_MEMBERS} server
 * threads. A table of them, {@link #SIZE} bytes apart, lives in one segment.
 *
 * <pre>
 *  line 0: read by every sender's fast path
 *   0  WAITERS  long   bit k set: member k may be RECEIVING here (a hint; the TCB state decides)
 *   8  OWNER    long   id of the owning thread or endpoint; 0 when the slot is free
 *  line 1: the sender queue, changed only under LOCK
 *  64  LOCK     int    0 free, 1 held (a spin lock, held for a few list operations)
 *  68  LENGTH   int    number of queued senders; read without the lock by the fast paths
 *  72  HEAD     int    TCB index of the first queued sender, -1 none
 *  76  TAIL     int    TCB index of the last queued sender, -1 none
 *  lines 2-5: the members
 * 128  MEMBER[0..63] int   TCB index of member k, -1 free (a thread's own point has member 0 only)
 * 384  end
 * </pre>
 *
 * <p>Invariant, kept by doing every queue change under LOCK: after any release of LOCK, no member
 * that is RECEIVING here matches a queued sender. A receiver may publish RECEIVING without the
 * lock only when LENGTH is 0, and re-reads LENGTH afterwards (a Dekker pair with the sender, who
 * increments LENGTH before scanning WAITERS), so neither side can miss the other.
 */
public final class ReceivePointDescriptor {

  public static final int MAX_MEMBERS = 64;

  /** Bytes per cache line: the unit every offset below is counted in. */
  public static final long LINE = 64;

  // Line 0: read by every sender's fast path.
  public static final long WAITERS_OFFSET = 0;
  public static final long OWNER_OFFSET = WAITERS_OFFSET + 8;
  /** End of line 0's fields: at most {@link #LINE} (see {@link #checkLines}). */
  public static final long LINE_0_END = OWNER_OFFSET + 8;
  // Line 1: the sender queue.
  public static final long LOCK_OFFSET = LINE;
  public static final long LENGTH_OFFSET = LOCK_OFFSET + 4;
  public static final long HEAD_OFFSET = LENGTH_OFFSET + 4;
  public static final long TAIL_OFFSET = HEAD_OFFSET + 4;
  public static final long LINE_1_END = TAIL_OFFSET + 4;
  // Lines 2-5: the members.
  public static final long MEMBERS_OFFSET = 2 * LINE;
  public static final long SIZE = MEMBERS_OFFSET + MAX_MEMBERS * 4L;

  static {
    checkLines();
  }

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private ReceivePointDescriptor() {}

  /**
   * Checks that the hot fields of line 0 (what a sender's fast path reads) fit in its first
   * {@link #LINE} bytes, that the queue fields fit line 1, and that a record is whole lines. Run
   * when the class initialises; tests call it too.
   *
   * @throws IllegalStateException naming what does not fit
   */
  public static void checkLines() {
    if (WAITERS_OFFSET != 0 || LINE_0_END > LINE) {
      throw new IllegalStateException("receive point line 0 holds bytes 0.." + LINE_0_END + ", more than " + LINE);
    }
    if (LOCK_OFFSET != LINE || LINE_1_END > 2 * LINE) {
      throw new IllegalStateException("receive point line 1 holds bytes " + LOCK_OFFSET + ".." + LINE_1_END);
    }
    if (MEMBERS_OFFSET % LINE != 0 || SIZE % LINE != 0) {
      throw new IllegalStateException("receive point members at " + MEMBERS_OFFSET + ", size " + SIZE + ": not whole lines");
    }
  }

  // --- accessors -------------------------------------------------------------------------------
  //
  // Each name says its memory mode: Plain, Opaque, Acquire, Release or Volatile as in VarHandle.
  // The read-modify-write ones (or*, clear*, add*, tryLock, breakLock) are atomic with volatile
  // semantics. The queue fields (HEAD, TAIL) are plain: only the holder of LOCK touches them, and
  // taking LOCK (a CAS) and releasing it (a release store) order them.

  public static long waitersAcquire(MemorySegment s, long rp) {
    return (long) LONG.getAcquire(s, rp + WAITERS_OFFSET);
  }

  public static void orWaiters(MemorySegment s, long rp, long bits) {
    LONG.getAndBitwiseOr(s, rp + WAITERS_OFFSET, bits);
  }

  public static void clearWaiters(MemorySegment s, long rp, long bits) {
    LONG.getAndBitwiseAnd(s, rp + WAITERS_OFFSET, ~bits);
  }

  public static long ownerVolatile(MemorySegment s, long rp) {
    return (long) LONG.getVolatile(s, rp + OWNER_OFFSET);
  }

  public static void setOwnerVolatile(MemorySegment s, long rp, long id) {
    LONG.setVolatile(s, rp + OWNER_OFFSET, id);
  }

  public static int lengthVolatile(MemorySegment s, long rp) {
    return (int) INT.getVolatile(s, rp + LENGTH_OFFSET);
  }

  public static int lengthAcquire(MemorySegment s, long rp) {
    return (int) INT.getAcquire(s, rp + LENGTH_OFFSET);
  }

  /** Adds {@code delta} to LENGTH with a full fence (the sender's half of the Dekker pair). */
  public static void addLength(MemorySegment s, long rp, int delta) {
    INT.getAndAdd(s, rp + LENGTH_OFFSET, delta);
  }

  /** Takes LOCK, writing {@code holder} (the locking side: 1 or 2) so a survivor can break it. */
  public static boolean tryLock(MemorySegment s, long rp, int holder) {
    return INT.compareAndSet(s, rp + LOCK_OFFSET, 0, holder);
  }

  /** Releases LOCK if {@code holder} holds it (a dead peer's lock, broken by the survivor). */
  public static void breakLock(MemorySegment s, long rp, int holder) {
    INT.compareAndSet(s, rp + LOCK_OFFSET, holder, 0);
  }

  /** The side holding LOCK (0: free); a hint for a lock waiter, hence opaque. */
  public static int holderOpaque(MemorySegment s, long rp) {
    return (int) INT.getOpaque(s, rp + LOCK_OFFSET);
  }

  public static void unlockRelease(MemorySegment s, long rp) {
    INT.setRelease(s, rp + LOCK_OFFSET, 0);
  }

  public static int headPlain(MemorySegment s, long rp) {
    return (int) INT.get(s, rp + HEAD_OFFSET);
  }

  public static void setHeadPlain(MemorySegment s, long rp, int v) {
    INT.set(s, rp + HEAD_OFFSET, v);
  }

  public static int tailPlain(MemorySegment s, long rp) {
    return (int) INT.get(s, rp + TAIL_OFFSET);
  }

  public static void setTailPlain(MemorySegment s, long rp, int v) {
    INT.set(s, rp + TAIL_OFFSET, v);
  }

  public static int memberVolatile(MemorySegment s, long rp, int k) {
    return (int) INT.getVolatile(s, rp + MEMBERS_OFFSET + k * 4L);
  }

  public static int memberAcquire(MemorySegment s, long rp, int k) {
    return (int) INT.getAcquire(s, rp + MEMBERS_OFFSET + k * 4L);
  }

  public static void setMemberVolatile(MemorySegment s, long rp, int k, int tcbIndex) {
    INT.setVolatile(s, rp + MEMBERS_OFFSET + k * 4L, tcbIndex);
  }

  /**
   * Resets a slot to an empty, unowned point with plain stores: done before the table is shared,
   * or before OWNER is published with a volatile store.
   */
  public static void clearPlain(MemorySegment s, long rp) {
    s.asSlice(rp, SIZE).fill((byte) 0);
    INT.set(s, rp + HEAD_OFFSET, -1);
    INT.set(s, rp + TAIL_OFFSET, -1);
    for (int k = 0; k < MAX_MEMBERS; k++) {
      INT.set(s, rp + MEMBERS_OFFSET + k * 4L, -1);
    }
  }
}
