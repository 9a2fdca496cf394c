package dev.nucleus.kernel.internal.ipc;

import dev.nucleus.kernel.IpcState;

import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import dev.nucleus.kernel.internal.os.Sleeper;
import static dev.nucleus.kernel.internal.layout.ReceivePointDescriptor.MAX_MEMBERS;
import static dev.nucleus.kernel.internal.layout.TcbDescriptor.*;

import java.lang.foreign.MemorySegment;

/**
 * The IPC primitive: one synchronous, unbuffered rendezvous over TCBs and receive points in
 * shared memory. Every public IPC operation of {@link IpcThread} is a composition of the three
 * phases here: {@link #sendPhase}, {@link #receivePhase} and the reply ({@link #claimCaller} +
 * {@link #releaseCaller}), followed by {@link #await}.
 *
 * <pre>
 * Implementation overview
 *
 * Copy once, into the memory the receiver reads (Liedtke '93): whoever completes the rendezvous
 * copies the message from the sender's registers straight into the receiver's registers.
 *
 *   receiver first (the fast path, lock-free):
 *     R: CAS state -> RECEIVING|e; WAITERS |= bit; if LENGTH != 0: retract, go slow
 *     S: for each bit in WAITERS: if R.state == RECEIVING|e and R accepts S:
 *          CAS R.state RECEIVING|e -> CLAIMED|e     (the claim; exactly one sender wins)
 *          copy S.MR0..n -> R.MR0..n; R.SENDER := S.id; [call: S.state := WAIT_REPLY]
 *          CAS R.state CLAIMED|e -> DELIVERED|e; if R.SLEEPING: wake R
 *   sender first (the slow path, under the receive point's lock):
 *     S: lock; LENGTH++; try the claim above; else link S at the tail, S.state := SENDING; unlock
 *     R: lock; first queued S that R accepts: CAS S.state SENDING -> TAKEN; unlink; unlock
 *          copy S.MRs -> R.MRs; CAS S.state TAKEN -> DONE (send) or WAIT_REPLY (call); wake S
 *   reply (one-shot, seL4's reply capability): the server keeps (caller id, caller epoch);
 *          CAS caller.state WAIT_REPLY|e -> CLAIMED|e; copy; CAS CLAIMED|e -> DELIVERED|e
 *   replyWait = ANSWERING, reply, RECEIVING: the server marks itself ANSWERING before the
 *          reply, and a sender that finds it ANSWERING waits the few instructions until it
 *          receives. So replyWait is atomic for callers, as L4 does it in the kernel (a caller that
 *          runs again finds the server waiting), while the caller's line holds only the reply's
 *          stores between claim and release (a caller spinning on it pulls it back at every
 *          other write).
 *
 * Invariants
 *   - Only the owner moves its TCB out of IDLE/DELIVERED/DONE, bumping the epoch with that first
 *     CAS (casOwnState); partners change a TCB's state only by CAS from a state they observed,
 *     so a stale observation can never succeed.
 *   - CLAIMED and TAKEN are transient: the thread that won the CAS finishes the copy without
 *     blocking and publishes the terminal state by CAS (a waiter may abandon a copy stranded
 *     past its deadline; the late publisher's CAS then fails and it learns so).
 *   - A thread is linked in at most one sender queue (LINKED_RP), only while SENDING; links
 *     change only under that queue's lock. Cancelling a queued send takes the lock and CASes
 *     SENDING -> IDLE, so a receiver and a canceller never both win.
 *   - Under the lock, no RECEIVING member matches a queued sender (see ReceivePointDescriptor),
 *     which makes blocked senders FIFO.
 *
 * Happens-before: everything a partner writes into a TCB (registers, SENDER, STATUS, PARTNER)
 * precedes its CAS to the terminal state; the owner reads the state with an acquire load before
 * the registers. The CAS (a full fence) also orders it before the waker's load of SLEEPING
 * (see Sleeper).
 *
 * Differences from L4 X.2: endpoints (seL4) besides thread ids; replies are one-shot; a
 * notification is delivered as a message only to receives that accept them.
 * </pre>
 *
 * <p>Not thread-safe per TCB: each operation runs on the thread that owns the TCB; the
 * rendezvous itself is safe against any number of concurrent partners.
 */
public final class Rendezvous {

  /** Spins between checks of deadline, abort and peer liveness while waiting. */
  private static final int CHECK_EVERY = 128;
  /**
   * Spins between yields of a spinning waiter, so that a waiter never starves a partner sharing
   * its CPU. When the scheduler puts both ends of a spinning pair on one CPU (on two vCPUs it does,
   * for a while, now and then), every hand-off costs this many spins plus a yield: 256 made those
   * round trips ~20 µs, 32 makes them ~6 µs. A hand-off between CPUs takes a few spins, so the
   * fast path never reaches a yield.
   */
  private static final int YIELD_EVERY = 1 << 5;
  /**
   * Spins a sender waits for an ANSWERING receiver to receive (tens of microseconds) before it
   * queues instead.
   */
  private static final int ANSWER_SPINS = 1 << 10;
  /** How long a zero-timeout send waits for an ANSWERING receiver (preempted, at worst). */
  private static final long ANSWER_PATIENCE_NANOS = 20_000_000L;
  /** The most one gap between clock readings counts toward that patience (see awaitAnswered). */
  private static final long ANSWER_STEP_NANOS = 1_000_000L;
  /** How claimWaiter treats an ANSWERING member: as not receiving (the sender holds the lock). */
  private static final int ANSWER_SKIP = 0;
  /** ... waits {@link #ANSWER_SPINS} spins for it (a sender that can still queue). */
  private static final int ANSWER_SPIN = 1;
  /** ... waits up to {@link #ANSWER_PATIENCE_NANOS} for it (a zero-timeout send). */
  private static final int ANSWER_TIMED = 2;
  /** Spins before a lock waiter starts yielding. */
  private static final int LOCK_SPINS = 64;
  /** How long a receive-point lock may stay taken before a waiter breaks it (see {@link #lock}). */
  public static final long LOCK_PATIENCE_NANOS = 1_000_000_000L;

  /** How long past its deadline a thread waits for a copy into or out of it to finish. */
  public static final long STRANDED_GRACE_NANOS = 100_000_000L;

  /** Internal result of a send phase that left the sender queued. */
  public static final int QUEUED = -1;
  /**
   * Internal result of a zero-timeout send phase that queued at a POLLING receiver (one that
   * waits in several tables and takes its senders itself): the sender waits up to
   * {@link #POLL_PATIENCE_NANOS} for it, then gives up with NO_PARTNER.
   */
  public static final int QUEUED_AT_POLLER = -2;
  /** Internal result of {@link #takeQueued}: a queue whose LENGTH a broken peer left wrong. */
  public static final int WRONG_LENGTH = -3;
  /** Internal result of {@link #takeQueued}: the receive point's lock is taken; try later. */
  public static final int LOCK_BUSY = -4;
  /** How long a zero-timeout send waits for a POLLING receiver to take it. */
  public static final long POLL_PATIENCE_NANOS = ANSWER_PATIENCE_NANOS;
  /**
   * Internal result of an open receive that stopped because its space's set of tables changed
   * (a channel to a process space came or went): the caller starts the receive again over the
   * new set. Not a status: no status has this value.
   */
  public static final int RESTART = Integer.MAX_VALUE;

  final MemorySegment tcbs;
  final MemorySegment rps;
  final long stride;
  final int maxThreads;
  final int maxEndpoints;
  final int mrCount;
  final long adaptiveSpinNanos;
  private final ChannelTable channels;
  private final Sleeper sleeper;
  /**
   * The only space whose threads can send to this process's threads through this table, or -1
   * for any. In the root's view of a channel table, the process space: the root's own threads
   * reach each other through their home table, so a message here that claims another sender was
   * forged by the peer (which writes SENDER, and the ID a queued sender is taken by, itself).
   * Set once, before the table is shared.
   */
  int senderSpace = -1;

  /**
   * Space numbers at or above this name no space of this kernel: such an id is INVALID_ID (not
   * STALE_ID, which means "was valid once"). Any number for a link's table, whose peer process
   * cannot know the root's limit. Set once, before the table is used.
   */
  private int spaceLimit = ThreadId.MAX_SPACE + 1;

  /** Sets {@link #spaceLimit}: the kernel's number of spaces. */
  public void limitSpaces(int maxSpaces) {
    this.spaceLimit = maxSpaces;
  }

  /**
   * Makes this table accept messages only from space {@code space}'s threads (the root's view of
   * a link: see {@link #senderSpace}). Call once, before the table is shared.
   */
  public void acceptSendersOnlyFrom(int space) {
    this.senderSpace = space;
  }
  /** What this process writes into a receive point's LOCK: its side of the table. */
  private final int lockValue;

  public Rendezvous(MemorySegment tcbs, MemorySegment rps, long stride, int maxThreads, int maxEndpoints,
      int mrCount, long adaptiveSpinNanos, ChannelTable channels, Sleeper sleeper) {
    this(tcbs, rps, stride, maxThreads, maxEndpoints, mrCount, adaptiveSpinNanos, channels, sleeper, 1);
  }

  public Rendezvous(MemorySegment tcbs, MemorySegment rps, long stride, int maxThreads, int maxEndpoints,
      int mrCount, long adaptiveSpinNanos, ChannelTable channels, Sleeper sleeper, int lockValue) {
    this.lockValue = lockValue;
    this.tcbs = tcbs;
    this.rps = rps;
    this.stride = stride;
    this.maxThreads = maxThreads;
    this.maxEndpoints = maxEndpoints;
    this.mrCount = mrCount;
    this.adaptiveSpinNanos = adaptiveSpinNanos;
    this.channels = channels;
    this.sleeper = sleeper;
  }

  /** The TCB segment of this table (tests and the process side read thread state from it). */
  public MemorySegment tcbs() {
    return tcbs;
  }

  public long tcbOffset(int index) {
    return index * stride;
  }

  static long rpOffset(int rp) {
    return rp * ReceivePointDescriptor.SIZE;
  }

  // --- addressing --------------------------------------------------------------------------

  /**
   * The receive point {@code dest} names, or a negative status: {@code -INVALID_ID} for a
   * malformed or out-of-range id, {@code -STALE_ID} for one that has gone, {@code -NOT_PERMITTED}
   * when no channel joins the spaces.
   */
  public int resolve(int fromSpace, long dest) {
    if (!ThreadId.isWellFormed(dest) || ThreadId.space(dest) >= spaceLimit) {
      return -Status.INVALID_ID;
    }
    final int index = ThreadId.index(dest);
    final int rp;
    if (ThreadId.isEndpoint(dest)) {
      if (index >= maxEndpoints) {
        return -Status.INVALID_ID;
      }
      rp = maxThreads + index;
    } else {
      if (index >= maxThreads) {
        return -Status.INVALID_ID;
      }
      rp = index;
    }
    if (ReceivePointDescriptor.ownerVolatile(rps, rpOffset(rp)) != dest) {
      return -Status.STALE_ID;
    }
    if (!channels.permitted(fromSpace, ThreadId.space(dest))) {
      return -Status.NOT_PERMITTED;
    }
    return rp;
  }

  /**
   * Like {@link #resolve} for the source of a closed receive: whether {@code from} may send to
   * space {@code toSpace}; its receive point, or a negative status.
   */
  public int resolveSource(int toSpace, long from) {
    final int rp = resolve(toSpace, from);
    if (rp == -Status.NOT_PERMITTED && channels.permitted(ThreadId.space(from), toSpace)) {
      return ThreadId.index(from);
    }
    return rp;
  }

  /** Whether receive point {@code rp} still belongs to {@code owner} (not closed, not reused). */
  public boolean ownsPoint(int rp, long owner) {
    return ReceivePointDescriptor.ownerVolatile(rps, rpOffset(rp)) == owner;
  }

  /** Whether the thread or endpoint {@code id} still exists (its receive point is still its own). */
  public boolean alive(long id) {
    final int index = ThreadId.index(id);
    final int rp = ThreadId.isEndpoint(id) ? maxThreads + index : index;
    if (index >= (ThreadId.isEndpoint(id) ? maxEndpoints : maxThreads)) {
      return false;
    }
    return ReceivePointDescriptor.ownerVolatile(rps, rpOffset(rp)) == id;
  }

  // --- send phase ---------------------------------------------------------------------------

  /**
   * Delivers the message in {@code self}'s registers to a receiver waiting at {@code rp}, or
   * queues {@code self} there. Returns OK (delivered; for a call {@code self} is now WAIT_REPLY),
   * {@link #QUEUED} (SENDING; finish with {@link #await}), or a send-phase error.
   */
  public int sendPhase(ThreadEngine self, int rp, long dest, long timeout, boolean isCall) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long tag = getLongPlain(s, me, MR0_OFFSET);
    final int words = MessageTag.words(tag);
    if (words >= mrCount) {
      return Status.send(Status.MSG_TOO_LONG);
    }
    final long rpOff = rpOffset(rp);
    if (ReceivePointDescriptor.lengthAcquire(rps, rpOff) == 0) {
      final int r = claimWaiter(self, rp, rpOff, timeout == Timeout.ZERO ? ANSWER_TIMED : ANSWER_SPIN);
      if (r >= 0) {
        return deliver(self, r, tag, words, isCall);
      }
    }
    return sendSlow(self, rp, rpOff, dest, timeout, isCall, tag, words);
  }

  private int sendSlow(ThreadEngine self, int rp, long rpOff, long dest, long timeout, boolean isCall,
      long tag, int words) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    lock(rpOff);
    if (ReceivePointDescriptor.ownerVolatile(rps, rpOff) != dest) {
      ReceivePointDescriptor.unlockRelease(rps, rpOff);
      return Status.send(Status.STALE_ID);
    }
    ReceivePointDescriptor.addLength(rps, rpOff, 1);
    final int r = claimWaiter(self, rp, rpOff, ANSWER_SKIP); // an ANSWERING receiver sees LENGTH and takes us
    // A POLLING receiver is waiting, too, but takes its senders itself: even a zero-timeout send queues.
    if (r >= 0 || (timeout == Timeout.ZERO && !hasPoller(rpOff))) {
      ReceivePointDescriptor.addLength(rps, rpOff, -1);
      ReceivePointDescriptor.unlockRelease(rps, rpOff);
      return r < 0 ? Status.send(Status.NO_PARTNER) : deliver(self, r, tag, words, isCall);
    }
    setLongPlain(s, me, PARTNER_OFFSET, dest);
    setIntPlain(s, me, WAIT_RP_OFFSET, rp);
    self.waitRp = rp;
    setIntPlain(s, me, FLAGS_OFFSET, isCall ? FLAG_CALL : 0);
    link(rpOff, rp, self.index);
    final boolean queued = casOwnState(self, state(self.epoch, SENDING));
    if (!queued) {
      unlink(rpOff, self.index); // our space ended under us
    }
    ReceivePointDescriptor.unlockRelease(rps, rpOff);
    if (!queued) {
      return Status.send(ownStateLost(self));
    }
    wakePollers(rpOff);
    return timeout == Timeout.ZERO ? QUEUED_AT_POLLER : QUEUED;
  }

  /** Whether a member of the receive point at {@code rpOff} is POLLING (see TcbDescriptor.POLLING). */
  private boolean hasPoller(long rpOff) {
    long w = ReceivePointDescriptor.waitersAcquire(rps, rpOff);
    while (w != 0) {
      final int t = ReceivePointDescriptor.memberAcquire(rps, rpOff, Long.numberOfTrailingZeros(w));
      w &= w - 1;
      if (t >= 0 && t < maxThreads && code(stateAcquire(tcbs, tcbOffset(t))) == POLLING) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wakes the POLLING members of the receive point at {@code rpOff} that sleep: a sender has just
   * queued there (its queueing CAS, a full fence, precedes these loads; a poller's SLEEPING store
   * precedes its LENGTH check). All of them, as each may be busy by the time it looks.
   */
  private void wakePollers(long rpOff) {
    long w = ReceivePointDescriptor.waitersAcquire(rps, rpOff);
    while (w != 0) {
      final int t = ReceivePointDescriptor.memberAcquire(rps, rpOff, Long.numberOfTrailingZeros(w));
      w &= w - 1;
      if (t >= 0 && t < maxThreads) {
        final long to = tcbOffset(t);
        if (code(stateAcquire(tcbs, to)) == POLLING) {
          wakeIfSleeping(t, to);
        }
      }
    }
  }

  /**
   * Claims a member of {@code rp} that is RECEIVING and accepts {@code self}; its index or -1. A
   * member that is ANSWERING is waited for as {@code answer} says: not at all, a few spins, or
   * (a zero-timeout send, which has no queue to fall back on: to it a replyWait in progress is
   * already waiting, as in L4) up to {@link #ANSWER_PATIENCE_NANOS}.
   */
  private int claimWaiter(ThreadEngine self, int rp, long rpOff, int answer) {
    final MemorySegment s = tcbs;
    long w = ReceivePointDescriptor.waitersAcquire(rps, rpOff);
    while (w != 0) {
      final int k = Long.numberOfTrailingZeros(w);
      w &= w - 1;
      final int t = ReceivePointDescriptor.memberAcquire(rps, rpOff, k);
      if (t < 0 || t >= maxThreads) {
        continue;
      }
      final long to = tcbOffset(t);
      long st = stateAcquire(s, to);
      if (code(st) == ANSWERING && answer != ANSWER_SKIP) {
        st = awaitAnswered(to, st, answer == ANSWER_TIMED);
      }
      if (code(st) != RECEIVING || getIntPlain(s, to, WAIT_RP_OFFSET) != rp) {
        continue;
      }
      final long filter = getLongPlain(s, to, PARTNER_OFFSET);
      if (filter != ThreadId.ANY && filter != self.id) {
        continue;
      }
      if (casState(s, to, st, state(epoch(st), CLAIMED))) {
        self.claimedEpoch = epoch(st);
        return t;
      }
    }
    return -1;
  }

  /**
   * Waits for thread {@code to} to leave ANSWERING (it is between the reply and the receive of a
   * replyWait): {@link #ANSWER_SPINS} spins, or, {@code timed}, up to {@link
   * #ANSWER_PATIENCE_NANOS}, yielding the CPU every {@link #YIELD_EVERY} spins (the answering
   * thread may be waiting for this very CPU). Returns its state then, or {@code st} if it is still
   * answering (preempted, stopped, or a peer's scribble), which the caller treats as not receiving.
   *
   * <p>The timed wait counts only time this thread spent waiting: a gap between two of its clock
   * readings counts for at most {@link #ANSWER_STEP_NANOS}, so a pause of the whole JVM (a GC) or of
   * this thread does not use the patience up before the server, paused as well, could go on.
   */
  private long awaitAnswered(long to, long st, boolean timed) {
    long waited = 0;
    long last = timed ? Timeout.now() : 0;
    for (long i = 1; timed || i <= ANSWER_SPINS; i++) {
      final long now = stateAcquire(tcbs, to);
      if (now != st) {
        return now;
      }
      Thread.onSpinWait();
      if (i % YIELD_EVERY == 0) {
        if (timed) {
          final long t = Timeout.now();
          waited += Math.min(t - last, ANSWER_STEP_NANOS);
          last = t;
          if (waited > ANSWER_PATIENCE_NANOS) {
            break;
          }
        }
        Thread.yield(); // it may be waiting for this CPU
      }
    }
    return st;
  }

  /**
   * Completes a claim: copies the message into receiver {@code r} and releases it. OK, or
   * CLOSED if {@code self}'s space ended meanwhile (the receiver still gets the message).
   */
  private int deliver(ThreadEngine self, int r, long tag, int words, boolean isCall) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long to = tcbOffset(r);
    copyMessagePlain(s, me, to, tag, words);
    setLongPlain(s, to, SENDER_OFFSET, self.id);
    if (isCall) {
      setLongPlain(s, to, REPLY_TO_OFFSET, self.id);
      setLongPlain(s, to, REPLY_EPOCH_OFFSET, self.epoch);
      setLongPlain(s, me, PARTNER_OFFSET, getLongPlain(s, to, ID_OFFSET));
    } else {
      setLongPlain(s, to, REPLY_TO_OFFSET, ThreadId.NIL);
    }
    // The caller must be waiting for the reply before the server can see the request.
    final boolean live = !isCall || casOwnState(self, state(self.epoch, WAIT_REPLY));
    setIntPlain(s, to, STATUS_OFFSET, Status.OK);
    // A CAS, not a store: a receiver may have abandoned a claim stranded past its deadline.
    if (!casState(s, to, state(self.claimedEpoch, CLAIMED), state(self.claimedEpoch, DELIVERED))) {
      if (live && isCall) {
        casState(s, me, state(self.epoch, WAIT_REPLY), state(self.epoch, IDLE));
      }
      return Status.send(Status.NO_PARTNER);
    }
    wakeIfSleeping(r, to);
    return live ? Status.OK : Status.receive(ownStateLost(self)); // delivered, but we cannot wait for a reply
  }

  // --- receive phase ------------------------------------------------------------------------

  /**
   * Receives at {@code rp} from {@code filter} ({@link ThreadId#ANY} for an open wait). If
   * {@code published}, {@code self} is already RECEIVING with epoch {@code self.epoch} (replyWait
   * did it). Returns OK (a message or notification is in the registers), {@link #QUEUED}
   * (RECEIVING; finish with {@link #await}), or a receive-phase error.
   */
  public int receivePhase(ThreadEngine self, int rp, int bit, long filter, long timeout, boolean published) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long e = self.epoch;
    final long rpOff = rpOffset(rp);
    if (ReceivePointDescriptor.ownerVolatile(rps, rpOff) != self.waitOwner) { // endpoint closed
      return !published || retract(self, stateAcquire(s, me)) ? Status.receive(Status.STALE_ID) : QUEUED;
    }
    if (published) {
      if (ReceivePointDescriptor.lengthVolatile(rps, rpOff) == 0) {
        return QUEUED;
      }
      if (!casOwnState(self, state(e, IDLE))) {
        return QUEUED; // claimed meanwhile: the delivery is under way
      }
    } else {
      if (self.acceptNotify && takeNotification(self)) {
        return Status.OK;
      }
      setLongPlain(s, me, PARTNER_OFFSET, filter);
      setWaitPoint(self, rp, bit);
      if (ReceivePointDescriptor.lengthAcquire(rps, rpOff) == 0) {
        if (timeout == Timeout.ZERO) {
          return Status.receive(Status.NO_PARTNER);
        }
        if (!publishReceiving(self, rpOff, bit, e)) {
          return Status.receive(ownStateLost(self));
        }
        if (ReceivePointDescriptor.lengthVolatile(rps, rpOff) == 0) {
          return QUEUED;
        }
        if (!casOwnState(self, state(e, IDLE))) {
          return QUEUED;
        }
      }
    }
    return receiveSlow(self, rp, rpOff, bit, filter, timeout);
  }

  /**
   * Takes the first sender queued at {@code rp} into {@code self}, which waits there POLLING (or
   * not at all) and so is never claimed: OK, NO_PARTNER (nobody queued), STALE_ID (the receive
   * point is no longer {@code self.waitOwner}'s), {@link #WRONG_LENGTH}: LENGTH is not 0 but
   * there is no sender to take (under the lock LENGTH counts exactly the SENDING entries, so
   * only a broken peer leaves that: the caller stops trusting the count until it changes), or
   * {@link #LOCK_BUSY}: the lock stayed taken for {@link #LOCK_SPINS} tries (the caller has other
   * tables to serve and comes back; it never waits out a peer's lock).
   */
  public int takeQueued(ThreadEngine self, int rp) {
    final long rpOff = rpOffset(rp);
    if (!tryLockBriefly(rpOff)) {
      return LOCK_BUSY;
    }
    final int taken = takeLocked(self, rpOff, ThreadId.ANY);
    if (taken != NOTHING_TAKEN) {
      return taken;
    }
    final int wrong = ReceivePointDescriptor.lengthVolatile(rps, rpOff);
    ReceivePointDescriptor.unlockRelease(rps, rpOff);
    return wrong == 0 ? Status.receive(Status.NO_PARTNER) : WRONG_LENGTH;
  }

  private int receiveSlow(ThreadEngine self, int rp, long rpOff, int bit, long filter, long timeout) {
    lock(rpOff);
    final int taken = takeLocked(self, rpOff, filter);
    if (taken != NOTHING_TAKEN) {
      return taken;
    }
    if (timeout == Timeout.ZERO) {
      ReceivePointDescriptor.unlockRelease(rps, rpOff);
      return Status.receive(Status.NO_PARTNER);
    }
    final boolean live = publishReceiving(self, rpOff, bit, self.epoch);
    ReceivePointDescriptor.unlockRelease(rps, rpOff);
    return live ? QUEUED : Status.receive(ownStateLost(self));
  }

  /** Internal result of {@link #takeLocked}: no sender to take; the lock is still held. */
  private static final int NOTHING_TAKEN = -5;

  /**
   * With the lock of the receive point at {@code rpOff} held: takes the first queued sender
   * {@code filter} accepts into {@code self}. OK (taken, lock released), STALE_ID (the point is no
   * longer {@code self.waitOwner}'s, lock released), or {@link #NOTHING_TAKEN} (lock still held).
   */
  private int takeLocked(ThreadEngine self, long rpOff, long filter) {
    if (ReceivePointDescriptor.ownerVolatile(rps, rpOff) != self.waitOwner) {
      ReceivePointDescriptor.unlockRelease(rps, rpOff);
      return Status.receive(Status.STALE_ID);
    }
    int t;
    while ((t = takeSender(rpOff, filter)) >= 0) {
      ReceivePointDescriptor.unlockRelease(rps, rpOff);
      if (transferFrom(self, t)) {
        return Status.OK;
      }
      lock(rpOff); // that sender gave up mid-transfer: its message does not count; take the next
    }
    return NOTHING_TAKEN;
  }

  /**
   * IDLE -> RECEIVING by CAS (a full fence), then the waiter bit: the receiver's half of the
   * Dekker pair. False if {@code self}'s space has ended.
   */
  public boolean publishReceiving(ThreadEngine self, long rpOff, int bit, long e) {
    if (!casOwnState(self, state(e, RECEIVING))) {
      return false;
    }
    final long mask = 1L << bit;
    if ((ReceivePointDescriptor.waitersAcquire(rps, rpOff) & mask) == 0) {
      ReceivePointDescriptor.orWaiters(rps, rpOff, mask);
    }
    return true;
  }

  /** Takes the first queued sender that {@code filter} accepts, under the lock; its index or -1. */
  private int takeSender(long rpOff, long filter) {
    final MemorySegment s = tcbs;
    int t = ReceivePointDescriptor.headPlain(rps, rpOff);
    int guard = maxThreads;
    while (t >= 0 && t < maxThreads && guard-- > 0) {
      final long to = tcbOffset(t);
      final int next = getIntPlain(s, to, Q_NEXT_OFFSET);
      final long st = stateAcquire(s, to);
      if (code(st) == SENDING) {
        final long sender = getLongPlain(s, to, ID_OFFSET);
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
   * Completes a take: copies queued sender {@code t}'s message into {@code self} and releases t.
   * False if t abandoned the transfer (stranded past its deadline): the message does not count.
   */
  private boolean transferFrom(ThreadEngine self, int t) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long from = tcbOffset(t);
    final long st = stateAcquire(s, from);
    final long e = epoch(st);
    final long tag = getLongPlain(s, from, MR0_OFFSET);
    final int words = Math.min(MessageTag.words(tag), mrCount - 1);
    final long senderId = getLongPlain(s, from, ID_OFFSET);
    copyMessagePlain(s, from, me, tag, words);
    setLongPlain(s, me, SENDER_OFFSET, senderId);
    if ((getIntPlain(s, from, FLAGS_OFFSET) & FLAG_CALL) != 0) {
      setLongPlain(s, me, REPLY_TO_OFFSET, senderId);
      setLongPlain(s, me, REPLY_EPOCH_OFFSET, e);
      setLongPlain(s, from, PARTNER_OFFSET, self.id);
      if (!casState(s, from, state(e, TAKEN), state(e, WAIT_REPLY))) {
        setLongPlain(s, me, REPLY_TO_OFFSET, ThreadId.NIL);
        return false;
      }
    } else {
      setLongPlain(s, me, REPLY_TO_OFFSET, ThreadId.NIL);
      setIntPlain(s, from, STATUS_OFFSET, Status.OK);
      if (!casState(s, from, state(e, TAKEN), state(e, DONE))) {
        return false;
      }
    }
    wakeIfSleeping(t, from);
    return true;
  }

  /** If a notification {@code self} accepts is pending, takes it into the registers. */
  public boolean takeNotification(ThreadEngine self) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long mask = getLongPlain(s, me, NOTIFY_MASK_OFFSET);
    if ((getLongVolatile(s, me, NOTIFY_BITS_OFFSET) & mask) == 0) {
      return false;
    }
    final long bits = takeNotifyBits(s, me, mask);
    if (bits == 0) {
      return false;
    }
    setLongPlain(s, me, MR0_OFFSET, MessageTag.of(MessageTag.NOTIFICATION_LABEL, 1));
    setLongPlain(s, me, mrOffset(1), bits);
    setLongPlain(s, me, SENDER_OFFSET, ThreadId.NIL);
    setLongPlain(s, me, REPLY_TO_OFFSET, ThreadId.NIL);
    return true;
  }

  // --- reply --------------------------------------------------------------------------------

  /**
   * Claims the caller {@code self} holds the reply capability for and copies the reply into it;
   * the caller's index (finish with {@link #releaseCaller}) or a negative send-phase status.
   * The capability is consumed either way (one-shot).
   */
  public int claimCaller(ThreadEngine self) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long caller = getLongPlain(s, me, REPLY_TO_OFFSET);
    if (caller == ThreadId.NIL) {
      return -Status.send(Status.NO_PARTNER);
    }
    final long tag = getLongPlain(s, me, MR0_OFFSET);
    final int words = MessageTag.words(tag);
    if (words >= mrCount) {
      return -Status.send(Status.MSG_TOO_LONG);
    }
    final long e = getLongPlain(s, me, REPLY_EPOCH_OFFSET);
    setLongPlain(s, me, REPLY_TO_OFFSET, ThreadId.NIL);
    final int c = ThreadId.index(caller);
    if (c >= maxThreads) {
      return -Status.send(Status.INVALID_ID);
    }
    final long co = tcbOffset(c);
    if (!casState(s, co, state(e, WAIT_REPLY), state(e, CLAIMED))) {
      return -Status.send(idVolatile(s, co) == caller && code(stateVolatile(s, co)) != DEAD
          ? Status.NO_PARTNER : Status.STALE_ID);
    }
    copyMessagePlain(s, me, co, tag, words);
    setLongPlain(s, co, SENDER_OFFSET, self.id);
    setIntPlain(s, co, STATUS_OFFSET, Status.OK);
    self.claimedEpoch = e;
    return c;
  }

  /**
   * Publishes the reply copied by {@link #claimCaller}; false if the caller abandoned the claim
   * (stranded past its deadline), so the reply did not arrive. A caller found asleep is woken
   * now, or, {@code deferWake} (a replyWait), recorded in {@code self} for the owner to wake once
   * its receive is under way; its SLEEPING word is read here either way, while the line is still
   * this thread's.
   */
  public boolean releaseCaller(ThreadEngine self, int c, boolean deferWake) {
    final long co = tcbOffset(c);
    if (!casState(tcbs, co, state(self.claimedEpoch, CLAIMED), state(self.claimedEpoch, DELIVERED))) {
      return false;
    }
    if (!deferWake) {
      wakeIfSleeping(c, co);
    } else if (getIntVolatile(tcbs, co, SLEEPING_OFFSET) != 0) {
      self.answeredTable = this;
      self.answeredCaller = c;
    }
    return true;
  }

  // --- waiting ------------------------------------------------------------------------------

  /**
   * Waits until the IPC that {@code self} started with epoch {@code self.epoch} completes, and
   * returns its status. Honours the send-phase deadline while SENDING and the receive timeout
   * once the send phase is over; cancels itself on abort, timeout or peer death. {@code phase}
   * is the phase to report if the thread's own space ends before the send phase is over.
   */
  public int await(ThreadEngine self, long sendDeadline, long receiveTimeout, int phase) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long e = self.epoch;
    final WaitStrategy strategy = self.strategy;
    long receiveDeadline = -1;
    final long spinUntil = strategy == WaitStrategy.ADAPTIVE ? Timeout.now() + adaptiveSpinNanos : 0;
    boolean spinning = strategy != WaitStrategy.BLOCK;
    int spins = 0;
    boolean check = false;
    while (true) {
      final long st = stateAcquire(s, me);
      final int code = code(st);
      if (code == DELIVERED || code == DONE) {
        final int status = getIntPlain(s, me, STATUS_OFFSET);
        return Status.isValid(status) ? status : Status.PROTOCOL_ERROR | phase;
      }
      if (code == DEAD || code == FREE || code > DEAD) {
        // Our own end is known privately; a DEAD (or unknown) state we did not get from the
        // kernel was written by a broken peer.
        return ownStateLost(self) | phase;
      }
      if (code == WAIT_REPLY || code == RECEIVING) {
        phase = Status.RECEIVE_PHASE; // the send phase, if any, is over
      }
      if (code == RECEIVING && self.acceptNotify && notificationPending(me)) {
        if (retract(self, st)) {
          takeNotification(self);
          return Status.OK;
        }
        continue;
      }
      if ((code == WAIT_REPLY || code == RECEIVING || code == CLAIMED
          || (code == IDLE && phase == Status.RECEIVE_PHASE)) && receiveDeadline < 0) {
        receiveDeadline = Timeout.deadline(receiveTimeout); // the receive phase starts now
      }
      if (check || ++spins % CHECK_EVERY == 0) {
        check = false;
        final int status = code == SENDING ? checkSend(self, st, sendDeadline)
            : code == WAIT_REPLY || code == RECEIVING ? checkReceive(self, st, receiveDeadline)
            : code == TAKEN ? checkStranded(self, st, sendDeadline, Status.SEND_PHASE)
            : code == CLAIMED ? checkStranded(self, st, receiveDeadline, Status.RECEIVE_PHASE)
            // IDLE mid-IPC: a dead peer's copy being taken over (it moves on at once) or a
            // peer's scribble; either way the deadline still holds.
            : code == IDLE ? checkStranded(self, st, phase == Status.SEND_PHASE ? sendDeadline : receiveDeadline, phase)
            : -1;
        if (status >= 0) {
          return status;
        }
      }
      if (spinning) {
        if (strategy == WaitStrategy.ADAPTIVE && (spins & 63) == 0 && Timeout.now() > spinUntil) {
          spinning = false; // spun about as long as a wake-up costs: sleep from now on
        } else {
          Thread.onSpinWait();
          if (spins % YIELD_EVERY == 0) {
            Thread.yield();
          }
          continue;
        }
      }
      // Sleep: announce, re-check, park (see Sleeper). CLAIMED and TAKEN end without us.
      setIntVolatile(s, me, SLEEPING_OFFSET, 1);
      if (stateVolatile(s, me) == st && getLongVolatile(s, me, ABORT_EPOCH_OFFSET) != e
          && !(self.acceptNotify && notificationPending(me))) {
        sleeper.park(self.index, code == SENDING ? sendDeadline
            : code == WAIT_REPLY || code == RECEIVING ? receiveDeadline : Long.MAX_VALUE);
      }
      setIntPlain(s, me, SLEEPING_OFFSET, 0);
      check = true;
    }
  }

  public boolean notificationPending(long me) {
    return (getLongVolatile(tcbs, me, NOTIFY_BITS_OFFSET) & getLongPlain(tcbs, me, NOTIFY_MASK_OFFSET)) != 0;
  }

  /** Abort, deadline and liveness checks while RECEIVING or WAIT_REPLY; a status, or -1 to go on. */
  private int checkReceive(ThreadEngine self, long st, long deadline) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final int reason;
    if (getLongVolatile(s, me, ABORT_EPOCH_OFFSET) == epoch(st)) {
      reason = Status.ABORTED;
    } else if (deadline != Long.MAX_VALUE && Timeout.now() >= deadline) {
      reason = Status.TIMEOUT;
    } else if (!partnerAlive(self, st)) {
      // Our own end closes our receive point before it marks our state DEAD: not a peer's death.
      reason = self.ended ? Status.CLOSED : Status.PEER_DEAD;
    } else if (self.openTables != null && self.openTables != self.space.tables()) {
      return retract(self, st) ? RESTART : -1; // a channel came or went: receive over the new set
    } else {
      return -1;
    }
    return retract(self, st) ? Status.receive(reason) : -1;
  }

  private boolean partnerAlive(ThreadEngine self, long st) {
    final long partner = getLongPlain(tcbs, self.tcb, PARTNER_OFFSET);
    if (code(st) == WAIT_REPLY || partner != ThreadId.ANY) {
      return partner == ThreadId.NIL || alive(partner);
    }
    final int rp = self.waitRp;
    return rp < 0 || ReceivePointDescriptor.ownerVolatile(rps, rpOffset(rp)) == self.waitOwner;
  }

  /** Leaves RECEIVING or WAIT_REPLY; false if a partner claimed {@code self} first. */
  private boolean retract(ThreadEngine self, long st) {
    if (!casState(tcbs, self.tcb, st, state(epoch(st), IDLE))) {
      return false;
    }
    if (code(st) == RECEIVING && self.waitRp >= maxThreads) {
      // An endpoint: do not leave a stale hint for its senders. Our own copy of where we wait:
      // the shared fields may have been scribbled on by a peer.
      ReceivePointDescriptor.clearWaiters(rps, rpOffset(self.waitRp), 1L << self.waitBit);
    }
    return true;
  }

  /**
   * Moves {@code self}'s own state from what it last set or saw ({@code self.expect}) to
   * {@code next}; false if something else changed it (its end, or a peer's scribble). The first
   * transition of an IPC also carries the epoch bump of {@link IpcThread#begin}: there is no
   * separate store for it, so a call or replyWait on the fast path writes its own state once.
   */
  public boolean casOwnState(ThreadEngine self, long next) {
    if (casState(tcbs, self.tcb, self.expect, next)) {
      self.expect = next;
      return true;
    }
    return false;
  }

  /**
   * Moves {@code self} from ANSWERING to IDLE if it is still there: its reply failed, or its
   * receive completed without publishing RECEIVING (a queued sender, a notification, an error).
   */
  public void endAnswering(ThreadEngine self) {
    if (self.expect == state(self.epoch, ANSWERING)) {
      casOwnState(self, state(self.epoch, IDLE));
    }
  }

  /**
   * Why {@code self}'s own state changed under it: its end (known privately) or, failing that, a
   * peer writing into shared memory.
   */
  static int ownStateLost(ThreadEngine self) {
    return self.ended ? Status.CLOSED : Status.PROTOCOL_ERROR;
  }

  /** Records where {@code self} waits, in shared memory for partners and privately for itself. */
  public void setWaitPoint(ThreadEngine self, int rp, int bit) {
    // Written only when it changes: a server waiting at the same point again and again leaves
    // the control line shared in its partners' caches.
    if (getIntPlain(tcbs, self.tcb, WAIT_RP_OFFSET) != rp || getIntPlain(tcbs, self.tcb, WAIT_BIT_OFFSET) != bit) {
      setIntPlain(tcbs, self.tcb, WAIT_RP_OFFSET, rp);
      setIntPlain(tcbs, self.tcb, WAIT_BIT_OFFSET, bit);
    }
    self.waitRp = rp;
    self.waitBit = bit;
  }

  /**
   * A copy into or out of {@code self} (CLAIMED, TAKEN) normally ends within microseconds. One
   * still unfinished {@link #STRANDED_GRACE_NANOS} past the phase's deadline means a partner
   * stopped mid-copy, or a peer wrote garbage into our state: give up with TIMEOUT. The partner,
   * if it ever resumes, fails its CAS and learns that the transfer did not happen. Without a
   * deadline the wait goes on, as for any partner that is paused but not dead.
   */
  private int checkStranded(ThreadEngine self, long st, long deadline, int phase) {
    if (deadline == Long.MAX_VALUE || Timeout.now() - deadline < STRANDED_GRACE_NANOS) {
      return -1;
    }
    return casState(tcbs, self.tcb, st, state(epoch(st), IDLE)) ? Status.TIMEOUT | phase : -1;
  }

  /** Abort, deadline and liveness checks while SENDING; a status, or -1 to go on. */
  private int checkSend(ThreadEngine self, long st, long deadline) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final int reason;
    if (getLongVolatile(s, me, ABORT_EPOCH_OFFSET) == epoch(st)) {
      reason = Status.ABORTED;
    } else if (deadline != Long.MAX_VALUE && Timeout.now() >= deadline) {
      reason = Status.TIMEOUT;
    } else if (!alive(getLongPlain(s, me, PARTNER_OFFSET))) {
      reason = Status.PEER_DEAD;
    } else if (!channels.permitted(self.space.number(), ThreadId.space(getLongPlain(s, me, PARTNER_OFFSET)))) {
      reason = Status.NOT_PERMITTED; // the channel was closed while queued: revocation covers pending IPC
    } else {
      return -1;
    }
    final long rpOff = rpOffset(self.waitRp);
    lock(rpOff);
    final boolean cancelled = casState(s, me, st, state(epoch(st), IDLE));
    if (cancelled) {
      unlink(rpOff, self.index);
    }
    ReceivePointDescriptor.unlockRelease(rps, rpOff);
    return cancelled ? Status.send(reason) : -1;
  }

  // --- notifications and aborts --------------------------------------------------------------

  /** ORs {@code bits} into thread {@code target}'s notification word and wakes it if it sleeps. */
  public void notify(int target, long bits) {
    final long to = tcbOffset(target);
    orNotifyBits(tcbs, to, bits);
    if ((bits & getLongVolatile(tcbs, to, NOTIFY_MASK_OFFSET)) != 0) {
      wakeIfSleeping(target, to);
    }
  }

  /** Sets the notification bits port {@code i} accepts. */
  public void setNotificationMask(int i, long mask) {
    setLongVolatile(tcbs, tcbOffset(i), NOTIFY_MASK_OFFSET, mask);
  }

  /** The notification bits port {@code i} accepts. */
  public long notificationMask(int i) {
    return getLongVolatile(tcbs, tcbOffset(i), NOTIFY_MASK_OFFSET);
  }

  /** Requests that thread {@code target}'s current IPC, if any, ends with ABORTED. */
  public void abort(int target) {
    final long to = tcbOffset(target);
    final long st = stateVolatile(tcbs, to);
    final int code = code(st);
    if (code == RECEIVING || code == SENDING || code == WAIT_REPLY || code == CLAIMED || code == TAKEN
        || code == ANSWERING || code == POLLING) {
      setLongVolatile(tcbs, to, ABORT_EPOCH_OFFSET, epoch(st));
      wakeIfSleeping(target, to);
    }
  }

  public void wakeIfSleeping(int index, long to) {
    if (getIntVolatile(tcbs, to, SLEEPING_OFFSET) != 0) {
      sleeper.wake(index);
    }
  }

  /** Wakes every sleeping thread so that it re-checks its partner (after a death). */
  public void wakeAllSleepers() {
    for (int i = 0; i < maxThreads; i++) {
      wakeIfSleeping(i, tcbOffset(i));
    }
  }

  // --- ports: a thread's TCB and receive point in this table ------------------------------

  /** Whether slot {@code i} may take a new thread: no sender is still queued at its point. */
  public boolean portReusable(int i) {
    return ReceivePointDescriptor.lengthVolatile(rps, rpOffset(i)) == 0;
  }

  /** The epoch slot {@code i}'s state word has reached (epochs continue across occupants). */
  public long portEpoch(int i) {
    return epoch(stateVolatile(tcbs, tcbOffset(i)));
  }

  /**
   * Makes slot {@code i} the port of thread {@code id}: IDLE with {@code epoch}, empty queue,
   * member 0 of its own receive point. Publishing OWNER last makes the id addressable.
   */
  public void initPort(int i, long id, long epoch) {
    final MemorySegment s = tcbs;
    final long to = tcbOffset(i);
    final long rpOff = rpOffset(i);
    setLongPlain(s, to, SENDER_OFFSET, ThreadId.NIL);
    setLongPlain(s, to, PARTNER_OFFSET, ThreadId.NIL);
    setLongPlain(s, to, REPLY_TO_OFFSET, ThreadId.NIL);
    setLongPlain(s, to, ABORT_EPOCH_OFFSET, -1);
    setIntPlain(s, to, WAIT_RP_OFFSET, -1);
    setIntPlain(s, to, FLAGS_OFFSET, 0);
    setIntPlain(s, to, Q_NEXT_OFFSET, -1);
    setIntPlain(s, to, Q_PREV_OFFSET, -1);
    setIntPlain(s, to, LINKED_RP_OFFSET, -1);
    setIntPlain(s, to, SLEEPING_OFFSET, 0);
    setLongPlain(s, to, NOTIFY_BITS_OFFSET, 0);
    setLongPlain(s, to, NOTIFY_MASK_OFFSET, -1L);
    setLongVolatile(s, to, ID_OFFSET, id);
    setStateVolatile(s, to, state(epoch, IDLE));
    ReceivePointDescriptor.clearPlain(rps, rpOff);
    ReceivePointDescriptor.setMemberVolatile(rps, rpOff, 0, i);
    ReceivePointDescriptor.orWaiters(rps, rpOff, 1L); // a thread's own point: member 0, always
    ReceivePointDescriptor.setOwnerVolatile(rps, rpOff, id);
  }

  /**
   * Marks the port of slot {@code i} dead: new IPC naming it gets STALE_ID, IPC blocked on it
   * PEER_DEAD. Waits while a partner is mid-copy into or out of it (that partner finishes without
   * blocking), unlinks it from any sender queue, and removes it from {@code endpointRps}.
   */
  public void killPort(int i, int[] endpointRps) {
    final MemorySegment s = tcbs;
    final long to = tcbOffset(i);
    final long rpOff = rpOffset(i);
    lock(rpOff);
    ReceivePointDescriptor.setOwnerVolatile(rps, rpOff, ThreadId.NIL);
    unlock(rpOff);
    int spins = 0;
    while (true) {
      final long st = stateVolatile(s, to);
      final int code = code(st);
      if (code == DEAD) {
        break;
      }
      if (code == CLAIMED || code == TAKEN) {
        if (++spins > 100) {
          Thread.yield();
        } else {
          Thread.onSpinWait();
        }
        continue;
      }
      if (casState(s, to, st, state(epoch(st), DEAD))) {
        break;
      }
    }
    final int linked = getIntVolatile(s, to, LINKED_RP_OFFSET);
    if (linked >= 0 && linked < maxThreads + maxEndpoints) {
      final long linkedOff = rpOffset(linked);
      lock(linkedOff);
      unlink(linkedOff, i);
      unlock(linkedOff);
    }
    for (int rp : endpointRps) {
      leave(rp, i);
    }
    wakeIfSleeping(i, to);
  }

  /** Makes endpoint slot {@code slot} the receive point of endpoint {@code id}. */
  public void openEndpoint(int slot, long id) {
    final long rpOff = rpOffset(maxThreads + slot);
    ReceivePointDescriptor.clearPlain(rps, rpOff);
    ReceivePointDescriptor.setOwnerVolatile(rps, rpOff, id);
  }

  /** Whether endpoint slot {@code slot} may be reused: nobody is queued at it. */
  public boolean endpointReusable(int slot) {
    return ReceivePointDescriptor.lengthVolatile(rps, rpOffset(maxThreads + slot)) == 0;
  }

  /** Closes endpoint slot {@code slot}: its id becomes stale; waiters and queued senders notice. */
  public void closeEndpoint(int slot) {
    final long rpOff = rpOffset(maxThreads + slot);
    lock(rpOff);
    ReceivePointDescriptor.setOwnerVolatile(rps, rpOff, ThreadId.NIL);
    unlock(rpOff);
  }

  /** What port {@code i} (of thread {@code id}) is doing; a consistent snapshot. */
  public IpcState ipcState(int i, long id) {
    final long to = tcbOffset(i);
    while (true) {
      final long st = stateVolatile(tcbs, to);
      final long partner = getLongVolatile(tcbs, to, PARTNER_OFFSET);
      final int rp = getIntVolatile(tcbs, to, WAIT_RP_OFFSET);
      final boolean current = idVolatile(tcbs, to) == id;
      if (stateVolatile(tcbs, to) != st) {
        continue;
      }
      final long endpoint = rp >= maxThreads && rp < maxThreads + maxEndpoints
          ? ReceivePointDescriptor.ownerVolatile(rps, rpOffset(rp)) : ThreadId.NIL;
      final IpcState.Kind kind = !current ? IpcState.Kind.DEAD : switch (code(st)) {
        case RECEIVING, POLLING -> rp < 0 ? IpcState.Kind.WAITING_FOR_NOTIFICATION : IpcState.Kind.RECEIVING;
        case SENDING -> IpcState.Kind.SENDING;
        case WAIT_REPLY -> IpcState.Kind.WAITING_FOR_REPLY;
        case CLAIMED, TAKEN, ANSWERING -> IpcState.Kind.TRANSFERRING;
        case DEAD, FREE -> IpcState.Kind.DEAD;
        default -> IpcState.Kind.IDLE;
      };
      final boolean hasPartner = kind == IpcState.Kind.RECEIVING || kind == IpcState.Kind.SENDING
          || kind == IpcState.Kind.WAITING_FOR_REPLY;
      return new IpcState(kind, hasPartner ? partner : ThreadId.NIL,
          kind == IpcState.Kind.RECEIVING || kind == IpcState.Kind.SENDING ? endpoint : ThreadId.NIL);
    }
  }

  // --- a dead peer process (see Link) ------------------------------------------

  /** Sleeper of this table (for binding Java threads where it needs them). */
  public Sleeper sleeper() {
    return sleeper;
  }

  /** Resets every receive point to empty (a new table). */
  public void clearAll() {
    for (int i = 0; i < maxThreads + maxEndpoints; i++) {
      ReceivePointDescriptor.clearPlain(rps, rpOffset(i));
    }
  }

  /** The id in port {@code i}'s ID field. */
  public long portId(int i) {
    return idVolatile(tcbs, tcbOffset(i));
  }

  /** The owner id of endpoint slot {@code j}, 0 if closed. */
  public long endpointOwner(int j) {
    return ReceivePointDescriptor.ownerVolatile(rps, rpOffset(maxThreads + j));
  }

  /** Releases every lock held by {@code side}, whose process has died. */
  public void breakLocks(int side) {
    for (int i = 0; i < maxThreads + maxEndpoints; i++) {
      ReceivePointDescriptor.breakLock(rps, rpOffset(i), side);
    }
  }

  /**
   * Kills port {@code i} of a dead process: like {@link #killPort} but without waiting for a
   * copy its own (dead) threads left half done.
   */
  public void killPortNow(int i) {
    final long to = tcbOffset(i);
    final long rpOff = rpOffset(i);
    lock(rpOff);
    ReceivePointDescriptor.setOwnerVolatile(rps, rpOff, ThreadId.NIL);
    unlock(rpOff);
    long st;
    do {
      st = stateVolatile(tcbs, to);
    } while (code(st) != DEAD && !casState(tcbs, to, st, state(epoch(st), DEAD)));
    final int linked = getIntVolatile(tcbs, to, LINKED_RP_OFFSET);
    if (linked >= 0 && linked < maxThreads + maxEndpoints) {
      final long linkedOff = rpOffset(linked);
      lock(linkedOff);
      unlink(linkedOff, i);
      unlock(linkedOff);
    }
  }

  /**
   * Completes, with PEER_DEAD, the copies into or out of this side's ports that a thread of dead
   * space {@code space} left half done: CLAIMED ports become DELIVERED, TAKEN ones DONE. A copy
   * whose partner is known to be in the dead space is completed at once; one whose partner is
   * unknown (an open receive) only when {@code force}. Returns whether any remain.
   */
  public boolean rescueStrandedCopies(int space, boolean force) {
    boolean remaining = false;
    for (int i = 0; i < maxThreads; i++) {
      final long to = tcbOffset(i);
      final long st = stateVolatile(tcbs, to);
      final int code = code(st);
      if (code != CLAIMED && code != TAKEN) {
        continue;
      }
      final long id = idVolatile(tcbs, to);
      if (!ThreadId.isWellFormed(id) || ThreadId.space(id) == space) {
        continue;
      }
      final long partner = getLongVolatile(tcbs, to, PARTNER_OFFSET);
      final boolean partnerDead = ThreadId.isWellFormed(partner) && ThreadId.space(partner) == space;
      if (!partnerDead && !force) {
        remaining = true;
        continue;
      }
      final boolean call = (getIntPlain(tcbs, to, FLAGS_OFFSET) & FLAG_CALL) != 0;
      // Take the copy over first (CLAIMED/TAKEN -> IDLE, a state the owner just keeps waiting
      // in), so that a copier that was only slow fails its publishing CAS instead of racing our
      // STATUS; then publish the outcome.
      final long held = state(epoch(st), IDLE);
      if (casState(tcbs, to, st, held)) {
        setIntPlain(tcbs, to, STATUS_OFFSET, code == CLAIMED || call ? Status.receive(Status.PEER_DEAD) : Status.send(Status.PEER_DEAD));
        casState(tcbs, to, held, state(epoch(st), code == CLAIMED ? DELIVERED : DONE));
        wakeIfSleeping(i, to);
      }
    }
    return remaining;
  }

  // --- the sender queue (callers hold the lock) ---------------------------------------------

  /**
   * Takes a receive point's spin lock. Held legitimately for a few list operations, so a lock
   * that stays taken is a peer's doing: a value no side writes is broken at once, and a lock held
   * by the same side for {@link #LOCK_PATIENCE_NANOS} is broken then (a peer stopped or killed
   * inside it, or one that wrote a plausible value). Everything under the lock is validated
   * anyway, so a broken lock can cost a peer its queue entries, never our memory safety.
   */
  public void lock(long rpOff) {
    int spins = 0;
    long since = 0;
    while (!ReceivePointDescriptor.tryLock(rps, rpOff, lockValue)) {
      final int holder = ReceivePointDescriptor.holderOpaque(rps, rpOff);
      if (holder != 0 && holder != Link.SIDE_A && holder != Link.SIDE_B) {
        ReceivePointDescriptor.breakLock(rps, rpOff, holder);
        continue;
      }
      if (++spins > LOCK_SPINS) {
        final long now = System.nanoTime();
        if (since == 0) {
          since = now;
        } else if (now - since > LOCK_PATIENCE_NANOS) {
          ReceivePointDescriptor.breakLock(rps, rpOff, holder);
          since = 0;
        }
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /** Takes a receive point's lock if it comes free within {@link #LOCK_SPINS} tries. */
  private boolean tryLockBriefly(long rpOff) {
    for (int i = 0; i < LOCK_SPINS; i++) {
      if (ReceivePointDescriptor.tryLock(rps, rpOff, lockValue)) {
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }

  public void unlock(long rpOff) {
    ReceivePointDescriptor.unlockRelease(rps, rpOff);
  }

  private void link(long rpOff, int rp, int t) {
    final MemorySegment s = tcbs;
    final long to = tcbOffset(t);
    final int tail = ReceivePointDescriptor.tailPlain(rps, rpOff);
    setIntPlain(s, to, Q_NEXT_OFFSET, -1);
    if (tail >= 0 && tail < maxThreads) {
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
  /**
   * Whether a sender queued at {@code rpOff} may still be taken: its channel to the point's
   * owner has not been closed meanwhile. A sender whose channel was revoked stays queued until it
   * cancels itself with NOT_PERMITTED (checkSend; the revocation wakes it). Only the root's own
   * table is checked: a link's permissions never change, and there a forged sender id is
   * caught after the transfer (see senderSpace).
   */
  private boolean stillPermitted(long sender, long rpOff) {
    return senderSpace >= 0 || channels.permitted(ThreadId.space(sender),
        ThreadId.space(ReceivePointDescriptor.ownerVolatile(rps, rpOff)));
  }

  public void unlink(long rpOff, int t) {
    final MemorySegment s = tcbs;
    final long to = tcbOffset(t);
    if (getIntPlain(s, to, LINKED_RP_OFFSET) < 0) {
      return;
    }
    final int prev = getIntPlain(s, to, Q_PREV_OFFSET);
    final int next = getIntPlain(s, to, Q_NEXT_OFFSET);
    if (prev < -1 || prev >= maxThreads || next < -1 || next >= maxThreads) {
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

  /** Joins thread {@code t} to endpoint point {@code rp}; its member bit, or -1 if all are taken. */
  public int join(int rp, int t) {
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
  public void setMember(int rp, int k, int t) {
    final long rpOff = rpOffset(rp);
    lock(rpOff);
    try {
      ReceivePointDescriptor.setMemberVolatile(rps, rpOff, k, t);
    } finally {
      unlock(rpOff);
    }
  }

  /** Member {@code k} of receive point {@code rp}, -1 if none. */
  public int member(int rp, int k) {
    return ReceivePointDescriptor.memberVolatile(rps, rpOffset(rp), k);
  }

  /** Removes thread {@code t} from endpoint point {@code rp}'s members. */
  public void leave(int rp, int t) {
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
