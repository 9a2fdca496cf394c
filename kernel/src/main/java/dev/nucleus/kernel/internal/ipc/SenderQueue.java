package dev.nucleus.kernel.internal.ipc;

import static dev.nucleus.kernel.internal.layout.ReceivePointDescriptor.MAX_MEMBERS;
import static dev.nucleus.kernel.internal.layout.TcbDescriptor.*;

import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import java.lang.foreign.MemorySegment;

/**
 * The sender queues of one port table and their locks: a doubly linked FIFO of blocked senders
 * per receive point, threaded through the senders' TCBs (Q_NEXT, Q_PREV, LINKED_RP), plus the
 * member list of each endpoint. Used by the slow paths of {@link Rendezvous} only: a send or
 * receive that finds its partner waiting never takes a lock.
 *
 * <pre>
 * Implementation overview
 *
 *   lock:    CAS LOCK 0 -> side (1 or 2); spin LOCK_SPINS times, then yield; break a lock that a
 *            value no side writes, or LOCK_PATIENCE_NANOS of one side, says was left by a peer;
 *            a send or receive with a deadline gives up at the deadline instead (lockWithin)
 *   link:    t at the tail; LINKED_RP := rp; the caller has already counted it in LENGTH
 *   unlink:  t out of the list; LENGTH--; LINKED_RP := -1 (nothing if t is not linked)
 *   take:    walk from HEAD: the first SENDING entry the filter accepts, whose channel is still
 *            open, CAS SENDING -> TAKEN and unlink it; unlink DEAD entries on the way
 *
 * Invariants (every change under LOCK)
 *   - A thread is linked in at most one queue (its LINKED_RP), and only while SENDING or DEAD:
 *     whoever moves it out of SENDING unlinks it under the same lock (the taker here, the
 *     cancelling owner in PortWait.checkSend, the kernel in PortLifecycle.killPort).
 *   - LENGTH counts the linked entries (DEAD ones too, until a walk or the kernel unlinks them).
 *   - No member RECEIVING at the point matches a queued sender once LOCK is released (see
 *     ReceivePointDescriptor): this is what makes blocked senders FIFO.
 *
 * Trust: in a link's table the peer can write every field here. The lock is never waited on
 * for ever, and every index read from shared memory is range-checked before use; a scribbled
 * list is dropped rather than followed (its senders notice at their next check).
 * </pre>
 *
 * <p>Thread-safe: any thread may call any method; the lock orders them. HEAD, TAIL, Q_NEXT and
 * Q_PREV are written with plain stores under the lock: taking it (a CAS) and releasing it (a
 * release store) order them for the next holder.
 */
final class SenderQueue {

  /** Spins before a lock waiter starts yielding; also how many tries {@link #tryLockBriefly} makes. */
  private static final int LOCK_SPINS = 64;
  /**
   * How long a receive-point lock may stay taken before a waiter breaks it (see {@link #lock}):
   * 1 s, far beyond any legitimate hold, even by a peer descheduled inside it. The system property
   * {@code dev.nucleus.lockPatienceMillis} (1 .. 60,000) changes it for a whole JVM: the long fuzz
   * campaign sets 5 ms, so that a hostile input that keeps a lock taken costs it 5 ms, not 1 s,
   * along the same code path.
   */
  private static final long LOCK_PATIENCE_NANOS = lockPatienceNanos();

  private static long lockPatienceNanos() {
    final long millis = Long.getLong("dev.nucleus.lockPatienceMillis", 1000);
    if (millis < 1 || millis > 60_000) {
      throw new IllegalArgumentException("dev.nucleus.lockPatienceMillis must be in [1, 60000], not " + millis);
    }
    return millis * 1_000_000L;
  }

  private final MemorySegment tcbs;
  private final MemorySegment rps;
  private final long stride;
  private final int maxThreads;
  /** Which rows exist: a queue link to any other row is a peer's scribble. */
  private final Rows rows;
  private final ChannelTable channels;
  /** What this process writes into LOCK: its side of the table ({@link Link#SIDE_A} or B). */
  private final int lockValue;
  /**
   * Whether the channels of this table may be closed while senders are queued (the root's home
   * table): then a take checks each sender's channel (see {@link #stillPermitted}). False for
   * the root's view of a link, whose permission never changes. Set once, before the table is
   * shared.
   */
  boolean revocable = true;

  SenderQueue(MemorySegment tcbs, MemorySegment rps, long stride, int maxThreads, ChannelTable channels, int lockValue,
      Rows rows) {
    this.rows = rows;
    this.tcbs = tcbs;
    this.rps = rps;
    this.stride = stride;
    this.maxThreads = maxThreads;
    this.channels = channels;
    this.lockValue = lockValue;
  }

  private long tcbOffset(int index) {
    return index * stride;
  }

  private static long rpOffset(int rp) {
    return Rendezvous.rpOffset(rp);
  }

  /** Whether {@code t}, an index read from shared memory, names a thread row of this table. */
  private boolean isThreadRow(int t) {
    return t >= 0 && t < maxThreads && rows.has(t);
  }

  // --- the lock -----------------------------------------------------------------------------

  /**
   * Takes a receive point's spin lock. Held legitimately for a few list operations, so a lock
   * that stays taken is a peer's doing: a value no side writes is broken at once, and a lock held
   * by the same side for {@link #LOCK_PATIENCE_NANOS} is broken then (a peer stopped or killed
   * inside it, or one that wrote a plausible value). Everything under the lock is validated
   * anyway, so a broken lock can cost a peer its queue entries, never our memory safety.
   */
  void lock(long rpOff) {
    lockWithin(rpOff, Timeout.NEVER);
  }

  /**
   * As {@link #lock}, for an operation with a deadline: gives up when {@code timeout} expires
   * first and returns false, the lock not taken (so a peer that keeps the lock delays a timed
   * operation to its deadline at most, not to the lock's patience). {@link Timeout#NEVER} and
   * {@link Timeout#ZERO} wait as {@link #lock} does: a zero-timeout operation does not fail
   * because a lock is busy (it would then miss a sender queued all along, which a poll must
   * find), so a peer can still delay it by the patience. A relative timeout counts from the
   * first moment the lock is found busy; the clock is read only then.
   *
   * @return true with the lock held; false if the deadline came first
   */
  boolean lockWithin(long rpOff, long timeout) {
    int spins = 0;
    boolean waiting = false;
    long since = 0;
    long deadline = Long.MAX_VALUE;
    while (!ReceivePointDescriptor.tryLock(rps, rpOff, lockValue)) {
      final int holder = ReceivePointDescriptor.holderOpaque(rps, rpOff);
      if (holder != 0 && holder != Link.SIDE_A && holder != Link.SIDE_B) {
        ReceivePointDescriptor.breakLock(rps, rpOff, holder);
        continue;
      }
      if (++spins > LOCK_SPINS) {
        final long now = Timeout.now();
        if (!waiting) {
          waiting = true;
          since = now;
          if (timeout != Timeout.NEVER && timeout != Timeout.ZERO) {
            deadline = Timeout.deadline(timeout);
          }
        } else if (now - since > LOCK_PATIENCE_NANOS) {
          ReceivePointDescriptor.breakLock(rps, rpOff, holder);
          since = now; // a lock taken again after the break gets the patience again
        }
        if (now >= deadline) {
          return false;
        }
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
    return true;
  }

  /** Takes a receive point's lock if it comes free within {@link #LOCK_SPINS} tries. */
  boolean tryLockBriefly(long rpOff) {
    for (int i = 0; i < LOCK_SPINS; i++) {
      if (ReceivePointDescriptor.tryLock(rps, rpOff, lockValue)) {
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }

  void unlock(long rpOff) {
    ReceivePointDescriptor.unlockRelease(rps, rpOff);
  }

  // --- the queue (callers hold the lock) ----------------------------------------------------

  /** Links thread {@code t} at the tail of receive point {@code rp}'s queue; LENGTH already counts it. */
  void link(long rpOff, int rp, int t) {
    final MemorySegment s = tcbs;
    final long to = tcbOffset(t);
    final int tail = ReceivePointDescriptor.tailPlain(rps, rpOff);
    setIntPlain(s, to, Q_NEXT_OFFSET, -1);
    if (isThreadRow(tail)) {
      setIntPlain(s, to, Q_PREV_OFFSET, tail);
      setIntPlain(s, tcbOffset(tail), Q_NEXT_OFFSET, t);
    } else {
      if (tail != -1) {
        // A tail a peer scribbled on: start the queue afresh with t alone (LENGTH counts t).
        ReceivePointDescriptor.addLength(rps, rpOff, 1 - ReceivePointDescriptor.lengthVolatile(rps, rpOff));
      }
      setIntPlain(s, to, Q_PREV_OFFSET, -1);
      ReceivePointDescriptor.setHeadPlain(rps, rpOff, t);
    }
    ReceivePointDescriptor.setTailPlain(rps, rpOff, t);
    setIntPlain(s, to, LINKED_RP_OFFSET, rp);
  }

  /** Removes {@code t} from the queue it is linked in at {@code rpOff}, if it still is. */
  void unlink(long rpOff, int t) {
    final MemorySegment s = tcbs;
    final long to = tcbOffset(t);
    if (getIntPlain(s, to, LINKED_RP_OFFSET) < 0) {
      return;
    }
    final int prev = getIntPlain(s, to, Q_PREV_OFFSET);
    final int next = getIntPlain(s, to, Q_NEXT_OFFSET);
    if ((prev != -1 && !isThreadRow(prev)) || (next != -1 && !isThreadRow(next))) {
      // Links a peer scribbled on: drop the whole queue rather than follow them out of bounds.
      // Senders still queued notice at their next check (their point no longer links them).
      ReceivePointDescriptor.setHeadPlain(rps, rpOff, -1);
      ReceivePointDescriptor.setTailPlain(rps, rpOff, -1);
      ReceivePointDescriptor.addLength(rps, rpOff, -ReceivePointDescriptor.lengthVolatile(rps, rpOff));
      setIntPlain(s, to, Q_PREV_OFFSET, -1);
      setIntPlain(s, to, Q_NEXT_OFFSET, -1);
      setIntPlain(s, to, LINKED_RP_OFFSET, -1);
      return;
    }
    if (prev >= 0) {
      setIntPlain(s, tcbOffset(prev), Q_NEXT_OFFSET, next);
    } else {
      ReceivePointDescriptor.setHeadPlain(rps, rpOff, next);
    }
    if (next >= 0) {
      setIntPlain(s, tcbOffset(next), Q_PREV_OFFSET, prev);
    } else {
      ReceivePointDescriptor.setTailPlain(rps, rpOff, prev);
    }
    setIntPlain(s, to, Q_PREV_OFFSET, -1);
    setIntPlain(s, to, Q_NEXT_OFFSET, -1);
    setIntPlain(s, to, LINKED_RP_OFFSET, -1);
    ReceivePointDescriptor.addLength(rps, rpOff, -1);
  }

  /**
   * Unlinks thread {@code t} from the queue its LINKED_RP names, taking that queue's lock: the
   * kernel's cleanup of a thread that died while queued. Nothing if it is not linked (or the
   * field is out of range: a peer's scribble).
   */
  void unlinkDead(int t, int points) {
    final int linked = getIntVolatile(tcbs, tcbOffset(t), LINKED_RP_OFFSET);
    if (linked >= 0 && linked < points && rows.has(linked)) {
      final long linkedOff = rpOffset(linked);
      lock(linkedOff);
      unlink(linkedOff, t);
      unlock(linkedOff);
    }
  }

  /**
   * Takes the first queued sender that {@code filter} accepts ({@link ThreadId#ANY}: any) and
   * whose channel is still open: CAS SENDING -> TAKEN, then unlinks it. Its index, or -1 if none.
   * Unlinks the DEAD entries it passes. Caller holds the lock.
   */
  int takeSender(long rpOff, long filter) {
    final MemorySegment s = tcbs;
    int t = ReceivePointDescriptor.headPlain(rps, rpOff);
    int guard = maxThreads;
    while (isThreadRow(t) && guard-- > 0) {
      final long to = tcbOffset(t);
      final int next = getIntPlain(s, to, Q_NEXT_OFFSET);
      final long st = stateAcquire(s, to);
      if (code(st) == SENDING) {
        final long sender = getLongPlain(s, to, ID_OFFSET);
        // Table row SENDING -> TAKEN, by a receiver at WAIT_RP holding its LOCK: the take.
        if ((filter == ThreadId.ANY || sender == filter) && stillPermitted(sender, rpOff)
            && casState(s, to, st, state(epoch(st), TAKEN))) {
          unlink(rpOff, t);
          return t;
        }
      } else if (code(st) == DEAD) {
        unlink(rpOff, t); // its space ended while queued
      }
      t = next;
    }
    return -1;
  }

  /**
   * Whether a sender queued at {@code rpOff} may still be taken: its channel to the point's
   * owner has not been closed meanwhile. A sender whose channel was revoked stays queued until it
   * cancels itself with NOT_PERMITTED (PortWait.checkSend; the revocation wakes it). Only a
   * {@link #revocable} table is checked: a link's permissions never change, and there a forged
   * sender id is caught after the transfer (see Rendezvous.senderSpace).
   */
  private boolean stillPermitted(long sender, long rpOff) {
    return !revocable || channels.permitted(ThreadId.space(sender),
        ThreadId.space(ReceivePointDescriptor.ownerVolatile(rps, rpOff)));
  }

  // --- endpoint members -----------------------------------------------------------------------

  /** Joins thread {@code t} to endpoint point {@code rp}; its member bit, or -1 if all are taken. */
  int join(int rp, int t) {
    final long rpOff = rpOffset(rp);
    lock(rpOff);
    try {
      int free = -1;
      for (int k = 0; k < MAX_MEMBERS; k++) {
        final int m = ReceivePointDescriptor.memberVolatile(rps, rpOff, k);
        if (m == t) {
          return k;
        }
        if (m < 0 && free < 0) {
          free = k;
        }
      }
      if (free >= 0) {
        ReceivePointDescriptor.setMemberVolatile(rps, rpOff, free, t);
      }
      return free;
    } finally {
      unlock(rpOff);
    }
  }

  /** Makes thread {@code t} member {@code k} of endpoint point {@code rp} (mirroring another table). */
  void setMember(int rp, int k, int t) {
    final long rpOff = rpOffset(rp);
    lock(rpOff);
    try {
      ReceivePointDescriptor.setMemberVolatile(rps, rpOff, k, t);
    } finally {
      unlock(rpOff);
    }
  }

  /** Member {@code k} of receive point {@code rp}, -1 if none. */
  int member(int rp, int k) {
    return ReceivePointDescriptor.memberVolatile(rps, rpOffset(rp), k);
  }

  /** Removes thread {@code t} from endpoint point {@code rp}'s members (and its WAITERS bit). */
  void leave(int rp, int t) {
    final long rpOff = rpOffset(rp);
    lock(rpOff);
    try {
      for (int k = 0; k < MAX_MEMBERS; k++) {
        if (ReceivePointDescriptor.memberVolatile(rps, rpOff, k) == t) {
          ReceivePointDescriptor.clearWaiters(rps, rpOff, 1L << k);
          ReceivePointDescriptor.setMemberVolatile(rps, rpOff, k, -1);
        }
      }
    } finally {
      unlock(rpOff);
    }
  }
}
