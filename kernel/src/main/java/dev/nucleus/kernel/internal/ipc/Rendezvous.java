package dev.nucleus.kernel.internal.ipc;

import static dev.nucleus.kernel.internal.ipc.EngineCodes.LOCK_BUSY;
import static dev.nucleus.kernel.internal.ipc.EngineCodes.NOTHING_TAKEN;
import static dev.nucleus.kernel.internal.ipc.EngineCodes.QUEUED;
import static dev.nucleus.kernel.internal.ipc.EngineCodes.QUEUED_AT_POLLER;
import static dev.nucleus.kernel.internal.ipc.EngineCodes.WRONG_LENGTH;
import static dev.nucleus.kernel.internal.layout.TcbDescriptor.*;

import dev.nucleus.kernel.IpcState;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.os.Sleeper;
import java.lang.foreign.MemorySegment;

/**
 * One port table (the kernel's home table, or a link's table) and the IPC primitive over it: a
 * synchronous, unbuffered rendezvous over TCBs and receive points in shared memory. Every IPC
 * operation of {@link ThreadEngine} is a composition of the phases here: {@link #sendPhase},
 * {@link #receivePhase} and the reply ({@link #claimCaller} + {@link #releaseCaller}), then
 * {@link #await}. This class holds the guards and the fast path, and the one slow path (the
 * sender queue) each falls to; it is also the facade of the table's other jobs, each in a file of
 * its own: the wait ({@link PortWait} over the {@link WaitLoop}), the sender queue and its lock
 * ({@link SenderQueue}), and the ports' lifecycle ({@link PortLifecycle}).
 *
 * <pre>
 * Implementation overview
 *
 * Copy once, into the memory the receiver reads (Liedtke '93): whoever completes the rendezvous
 * copies the message from the sender's registers straight into the receiver's registers.
 *
 *   receiver first (the fast path, lock-free):
 *     R: CAS state -> RECEIVING|e; WAITERS |= bit; if LENGTH != 0: retract (-> IDLE), go slow
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
 *          other write). How long a sender waits for an ANSWERING receiver is its answer mode:
 *            ANSWER_SPIN   a sender that can still queue: ANSWER_SPINS spins, then it queues
 *            ANSWER_TIMED  a zero-timeout send, which cannot queue: up to ANSWER_PATIENCE_NANOS
 *            ANSWER_SKIP   a sender holding the lock: not at all; the receiver sees LENGTH
 *   several tables (PortSet): a thread whose space has links to process spaces waits in all its
 *          tables at once, RECEIVING (claimable) in one and POLLING in the others. Senders never
 *          claim a POLLING thread: they queue, and wake it (wakePollers); it takes them itself
 *          (takeQueued). A zero-timeout send that finds only a poller queues too, for at most
 *          POLL_PATIENCE_NANOS (QUEUED_AT_POLLER). When the space's set of tables changes, an
 *          open receive in progress ends with RESTART and starts again over the new set.
 *
 * The states (TcbDescriptor): FREE (a slot never given a thread), IDLE, RECEIVING, CLAIMED,
 * DELIVERED, SENDING, TAKEN, WAIT_REPLY, DONE, DEAD, ANSWERING, POLLING. Each CAS on a state word
 * names its row of TcbDescriptor's table "who may move a TCB out of each state", as "Table row
 * FROM -> TO, by WHO".
 *
 * Invariants
 *   - The owner starts every IPC on its port: the first CAS out of IDLE, DELIVERED or DONE,
 *     which carries the epoch bump, is its own (casOwnState). Others move a port out of those
 *     states only to end it or to finish a copy: the kernel to DEAD (PortLifecycle.killPort,
 *     killPortNow), and the survivor of a dead peer process from the IDLE it set itself
 *     a moment before (PortLifecycle.rescueStrandedCopies).
 *   - Partners change a TCB's state only by CAS from a state they observed in the current IPC,
 *     so an observation from an earlier IPC can never succeed.
 *   - CLAIMED and TAKEN are transient: the thread that won the CAS finishes the copy without
 *     blocking and publishes the terminal state by CAS (a waiter may abandon a copy stranded
 *     past its deadline; the late publisher's CAS then fails and it learns so).
 *   - A thread is linked in at most one sender queue, only while SENDING (or DEAD, until the
 *     kernel or a receiver's walk unlinks it; see SenderQueue).
 *     Cancelling a queued send takes the lock and CASes SENDING -> IDLE, so a receiver and a
 *     canceller never both win.
 *   - Under the lock, no RECEIVING member matches a queued sender (see ReceivePointDescriptor),
 *     which makes blocked senders FIFO.
 *   - At most one table of a thread is claimable at a time (RECEIVING); in the others it is
 *     POLLING, so two senders can never both deliver to it.
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
 * <p>Results: statuses, "an index or a negated status", or the internal codes of
 * {@link EngineCodes}, in ranges that cannot meet.
 *
 * <p>Not thread-safe per TCB: each IPC operation runs on the thread that owns the TCB; the
 * rendezvous itself is safe against any number of concurrent partners. The lifecycle methods
 * are the kernel's (see {@link PortLifecycle}).
 */
public final class Rendezvous {

  /**
   * Spins a sender waits for an ANSWERING receiver to receive (tens of microseconds) before it
   * queues instead.
   */
  private static final int ANSWER_SPINS = 1 << 10;
  /** How long a zero-timeout send waits for an ANSWERING receiver (preempted, at worst). */
  private static final long ANSWER_PATIENCE_NANOS = 20_000_000L;
  /** The most one gap between clock readings counts toward that patience (see awaitAnswered). */
  private static final long ANSWER_STEP_NANOS = 1_000_000L;
  /** Answer mode of claimWaiter: an ANSWERING member counts as not receiving (the sender holds the lock). */
  private static final int ANSWER_SKIP = 0;
  /** Answer mode: wait {@link #ANSWER_SPINS} spins for it (a sender that can still queue). */
  private static final int ANSWER_SPIN = 1;
  /** Answer mode: wait up to {@link #ANSWER_PATIENCE_NANOS} for it (a zero-timeout send). */
  private static final int ANSWER_TIMED = 2;
  /** How long a zero-timeout send waits for a POLLING receiver to take it. */
  static final long POLL_PATIENCE_NANOS = ANSWER_PATIENCE_NANOS;

  final MemorySegment tcbs;
  final MemorySegment rps;
  final long stride;
  final int maxThreads;
  final int maxEndpoints;
  final int mrCount;
  final long adaptiveSpinNanos;
  final ChannelTable channels;
  /** Which rows have memory behind them: all of the home table's, the reserved ones of a link's. */
  final Rows rows;
  private final Sleeper sleeper;
  /** The sender queues of this table and their locks: the slow path. */
  final SenderQueue queue;
  /** Init, kill and rescue of this table's ports: the kernel's side. */
  private final PortLifecycle ports;
  /**
   * The only space whose threads can send to this process's threads through this table, or -1
   * for any. In the root's view of a link's table, the process space: the root's own threads
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

  public Rendezvous(MemorySegment tcbs, MemorySegment rps, long stride, int maxThreads, int maxEndpoints,
      int mrCount, long adaptiveSpinNanos, ChannelTable channels, Sleeper sleeper) {
    this(tcbs, rps, stride, maxThreads, maxEndpoints, mrCount, adaptiveSpinNanos, channels, sleeper, 1,
        Rows.all(maxThreads + maxEndpoints));
  }

  /**
   * {@code lockValue}: what this process writes into a receive point's LOCK, its side of the
   * table; {@code rows}: which rows (receive points, with their TCBs) may be touched.
   */
  public Rendezvous(MemorySegment tcbs, MemorySegment rps, long stride, int maxThreads, int maxEndpoints,
      int mrCount, long adaptiveSpinNanos, ChannelTable channels, Sleeper sleeper, int lockValue, Rows rows) {
    this.tcbs = tcbs;
    this.rps = rps;
    this.stride = stride;
    this.maxThreads = maxThreads;
    this.maxEndpoints = maxEndpoints;
    this.mrCount = mrCount;
    this.adaptiveSpinNanos = adaptiveSpinNanos;
    this.channels = channels;
    this.sleeper = sleeper;
    this.rows = rows;
    this.queue = new SenderQueue(tcbs, rps, stride, maxThreads, channels, lockValue, rows);
    this.ports = new PortLifecycle(this, queue);
  }

  /**
   * The pid of the process on the other side of this table (a link's), 0 for the kernel's home
   * table or while unknown: what {@link ThreadEngine#senderPid} reports for a message received
   * here.
   */
  private volatile long peerPid;

  /** The pid of the process on the other side of this table, 0 if none. */
  public long peerPid() {
    return peerPid;
  }

  /** Records the pid of the process on the other side of this table. */
  public void peerPid(long pid) {
    this.peerPid = pid;
  }

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
    queue.revocable = false; // a link's permission never changes
  }

  /** The TCB segment of this table (tests and the process side read thread state from it). */
  public MemorySegment tcbs() {
    return tcbs;
  }

  public long tcbOffset(int index) {
    return index * stride;
  }

  /** Whether {@code t}, an index read from shared memory, names a thread row this table has. */
  boolean isThreadRow(int t) {
    return t >= 0 && t < maxThreads && rows.has(t);
  }

  static long rpOffset(int rp) {
    return rp * ReceivePointDescriptor.SIZE;
  }

  /**
   * How many senders are queued at receive point {@code rp} of this table: its LENGTH, read
   * without the lock (acquire), as the fast paths read it. A hint: it may change at once, and a
   * link's table is memory a process can write.
   */
  public int queuedAt(int rp) {
    return ReceivePointDescriptor.lengthAcquire(rps, rpOffset(rp));
  }

  /** Sleeper of this table (for binding Java threads where it needs them). */
  public Sleeper sleeper() {
    return sleeper;
  }

  // --- addressing: the guards every IPC passes first ---------------------------------------

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
    if (!rows.has(rp) || ReceivePointDescriptor.ownerVolatile(rps, rpOffset(rp)) != dest) {
      return -Status.STALE_ID; // no row here: a thread of a space this link does not join
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
  boolean ownsPoint(int rp, long owner) {
    return ReceivePointDescriptor.ownerVolatile(rps, rpOffset(rp)) == owner;
  }

  /** Whether the thread or endpoint {@code id} still exists (its receive point is still its own). */
  public boolean alive(long id) {
    final int index = ThreadId.index(id);
    final int rp = ThreadId.isEndpoint(id) ? maxThreads + index : index;
    if (index >= (ThreadId.isEndpoint(id) ? maxEndpoints : maxThreads) || !rows.has(rp)) {
      return false;
    }
    return ReceivePointDescriptor.ownerVolatile(rps, rpOffset(rp)) == id;
  }

  // --- send phase ---------------------------------------------------------------------------

  /**
   * Delivers the message in {@code self}'s registers to a receiver waiting at {@code rp}, or
   * queues {@code self} there. Returns OK (delivered; for a call {@code self} is now WAIT_REPLY),
   * {@link EngineCodes#QUEUED} (SENDING; finish with {@link #await}),
   * {@link EngineCodes#QUEUED_AT_POLLER}, or a send-phase error.
   */
  int sendPhase(ThreadEngine self, int rp, long dest, long timeout, boolean isCall) {
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

  /** The send's slow path: under the lock, claim a receiver after all, or queue. */
  private int sendSlow(ThreadEngine self, int rp, long rpOff, long dest, long timeout, boolean isCall,
      long tag, int words) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    if (!queue.lockWithin(rpOff, timeout)) { // the lock stayed busy to the deadline: nothing was queued
      return Status.send(Status.TIMEOUT);
    }
    if (ReceivePointDescriptor.ownerVolatile(rps, rpOff) != dest) {
      queue.unlock(rpOff);
      return Status.send(Status.STALE_ID);
    }
    ReceivePointDescriptor.addLength(rps, rpOff, 1);
    final int r = claimWaiter(self, rp, rpOff, ANSWER_SKIP); // an ANSWERING receiver sees LENGTH and takes us
    // A POLLING receiver is waiting, too, but takes its senders itself: even a zero-timeout send queues.
    if (r >= 0 || (timeout == Timeout.ZERO && !hasPoller(rpOff))) {
      ReceivePointDescriptor.addLength(rps, rpOff, -1);
      queue.unlock(rpOff);
      return r < 0 ? Status.send(Status.NO_PARTNER) : deliver(self, r, tag, words, isCall);
    }
    setLongPlain(s, me, PARTNER_OFFSET, dest);
    setIntPlain(s, me, WAIT_RP_OFFSET, rp);
    self.waitRp = rp;
    setIntPlain(s, me, FLAGS_OFFSET, isCall ? FLAG_CALL : 0);
    queue.link(rpOff, rp, self.index);
    // Table row IDLE (DELIVERED, DONE) -> SENDING, by the owner: its IPC's first CAS.
    final boolean queued = casOwnState(self, state(self.epoch, SENDING));
    if (!queued) {
      queue.unlink(rpOff, self.index); // our space ended under us
    }
    queue.unlock(rpOff);
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
      if (isThreadRow(t) && code(stateAcquire(tcbs, tcbOffset(t))) == POLLING) {
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
      if (isThreadRow(t)) {
        final long to = tcbOffset(t);
        if (code(stateAcquire(tcbs, to)) == POLLING) {
          wakeIfSleeping(t, to);
        }
      }
    }
  }

  /**
   * Claims a member of {@code rp} that is RECEIVING and accepts {@code self}; its index or -1. A
   * member that is ANSWERING is waited for as {@code answer} (an answer mode) says: not at all, a
   * few spins, or (a zero-timeout send, which has no queue to fall back on: to it a replyWait in
   * progress is already waiting, as in L4) up to {@link #ANSWER_PATIENCE_NANOS}.
   */
  private int claimWaiter(ThreadEngine self, int rp, long rpOff, int answer) {
    final MemorySegment s = tcbs;
    long w = ReceivePointDescriptor.waitersAcquire(rps, rpOff);
    while (w != 0) {
      final int k = Long.numberOfTrailingZeros(w);
      w &= w - 1;
      final int t = ReceivePointDescriptor.memberAcquire(rps, rpOff, k);
      if (!isThreadRow(t)) {
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
      // Table row RECEIVING -> CLAIMED, by a sender it accepts: the claim.
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
   * #ANSWER_PATIENCE_NANOS}, yielding the CPU every {@link WaitLoop#YIELD_EVERY} spins (the
   * answering thread may be waiting for this very CPU). Returns its state then, or {@code st} if
   * it is still answering (preempted, stopped, or a peer's scribble), which the caller treats as
   * not receiving.
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
      if (i % WaitLoop.YIELD_EVERY == 0) {
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
    // Table row IDLE (DELIVERED, DONE) -> WAIT_REPLY, by the owner: its IPC's first CAS.
    final boolean live = !isCall || casOwnState(self, state(self.epoch, WAIT_REPLY));
    setIntPlain(s, to, STATUS_OFFSET, Status.OK);
    // Table row CLAIMED -> DELIVERED, by the claimer. A CAS, not a store: a receiver may have
    // abandoned a claim stranded past its deadline.
    if (!casState(s, to, state(self.claimedEpoch, CLAIMED), state(self.claimedEpoch, DELIVERED))) {
      if (live && isCall) {
        // Table row WAIT_REPLY -> IDLE, by the owner: its delivery's last CAS failed.
        casState(s, me, state(self.epoch, WAIT_REPLY), state(self.epoch, IDLE));
      }
      return Status.send(Status.NO_PARTNER);
    }
    wakeIfSleeping(r, to);
    return live ? Status.OK : Status.receive(ownStateLost(self)); // delivered, but we cannot wait for a reply
  }

  // --- receive phase ------------------------------------------------------------------------

  /**
   * Receives at {@code rp} from {@code filter} ({@link ThreadId#ANY} for an open wait). Returns
   * OK (a message or notification is in the registers), {@link EngineCodes#QUEUED} (RECEIVING;
   * finish with {@link #await}), or a receive-phase error.
   */
  int receivePhase(ThreadEngine self, int rp, int bit, long filter, long timeout) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long e = self.epoch;
    final long rpOff = rpOffset(rp);
    if (ReceivePointDescriptor.ownerVolatile(rps, rpOff) != self.waitOwner) { // endpoint closed
      return Status.receive(Status.STALE_ID);
    }
    if (self.acceptNotify && takeNotification(self)) {
      return Status.OK;
    }
    setLongPlain(s, me, PARTNER_OFFSET, filter);
    setWaitPoint(self, rp, bit);
    if (ReceivePointDescriptor.lengthAcquire(rps, rpOff) == 0) {
      if (timeout == Timeout.ZERO) {
        return Status.receive(Status.NO_PARTNER);
      }
      if (!publishReceiving(self, rpOff, bit)) {
        return Status.receive(ownStateLost(self));
      }
      if (ReceivePointDescriptor.lengthVolatile(rps, rpOff) == 0) {
        return QUEUED;
      }
      // Table row RECEIVING -> IDLE, by the owner: LENGTH found non-zero. Fails only if a
      // sender claimed us meanwhile, and then its delivery is under way.
      if (!casOwnState(self, state(e, IDLE))) {
        return QUEUED;
      }
    }
    return receiveSlow(self, rp, rpOff, bit, filter, timeout);
  }

  /** The receive's slow path: under the lock, take a queued sender, or publish RECEIVING. */
  private int receiveSlow(ThreadEngine self, int rp, long rpOff, int bit, long filter, long timeout) {
    if (!queue.lockWithin(rpOff, timeout)) { // busy to the deadline (a peer keeping it): still IDLE
      return Status.receive(Status.TIMEOUT);
    }
    final int taken = takeLocked(self, rpOff, filter);
    if (taken != NOTHING_TAKEN) {
      return taken;
    }
    if (timeout == Timeout.ZERO) {
      queue.unlock(rpOff);
      return Status.receive(Status.NO_PARTNER);
    }
    final boolean live = publishReceiving(self, rpOff, bit);
    queue.unlock(rpOff);
    return live ? QUEUED : Status.receive(ownStateLost(self));
  }

  /**
   * Takes the first sender queued at {@code rp} into {@code self}, which waits there POLLING (or
   * not at all) and so is never claimed: OK, NO_PARTNER (nobody queued), STALE_ID (the receive
   * point is no longer {@code self.waitOwner}'s), {@link EngineCodes#WRONG_LENGTH}: LENGTH is not
   * 0 but there is no sender to take (under the lock LENGTH counts exactly the SENDING entries, so
   * only a broken peer leaves that: the caller stops trusting the count until it changes), or
   * {@link EngineCodes#LOCK_BUSY}: the lock stayed taken for a few tries (the caller has other
   * tables to serve and comes back; it never waits out a peer's lock).
   */
  int takeQueued(ThreadEngine self, int rp) {
    final long rpOff = rpOffset(rp);
    if (!queue.tryLockBriefly(rpOff)) {
      return LOCK_BUSY;
    }
    final int taken = takeLocked(self, rpOff, ThreadId.ANY);
    if (taken != NOTHING_TAKEN) {
      return taken;
    }
    final int wrong = ReceivePointDescriptor.lengthVolatile(rps, rpOff);
    queue.unlock(rpOff);
    return wrong == 0 ? Status.receive(Status.NO_PARTNER) : WRONG_LENGTH;
  }

  /**
   * With the lock of the receive point at {@code rpOff} held: takes the first queued sender
   * {@code filter} accepts into {@code self}. OK (taken, lock released), STALE_ID (the point is no
   * longer {@code self.waitOwner}'s, lock released), or {@link EngineCodes#NOTHING_TAKEN} (lock
   * still held).
   */
  private int takeLocked(ThreadEngine self, long rpOff, long filter) {
    if (ReceivePointDescriptor.ownerVolatile(rps, rpOff) != self.waitOwner) {
      queue.unlock(rpOff);
      return Status.receive(Status.STALE_ID);
    }
    int t = queue.takeSender(rpOff, filter);
    while (t >= 0) {
      queue.unlock(rpOff);
      if (transferFrom(self, t)) {
        return Status.OK;
      }
      queue.lock(rpOff); // that sender gave up mid-transfer: its message does not count; take the next
      t = queue.takeSender(rpOff, filter);
    }
    return NOTHING_TAKEN;
  }

  /**
   * RECEIVING, with this IPC's epoch, by CAS (a full fence), then the waiter bit: the receiver's
   * half of the Dekker pair. False if {@code self}'s space has ended.
   */
  private boolean publishReceiving(ThreadEngine self, long rpOff, int bit) {
    // Table row IDLE (DELIVERED, DONE) -> RECEIVING, by the owner: its IPC's first CAS; or
    // IDLE -> RECEIVING, its receive published again under the lock after a retract; or
    // ANSWERING -> RECEIVING, the receive of its replyWait.
    if (!casOwnState(self, state(self.epoch, RECEIVING))) {
      return false;
    }
    final long mask = 1L << bit;
    if ((ReceivePointDescriptor.waitersAcquire(rps, rpOff) & mask) == 0) {
      ReceivePointDescriptor.orWaiters(rps, rpOff, mask);
    }
    return true;
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
      // Table row TAKEN -> WAIT_REPLY, by the taker.
      if (!casState(s, from, state(e, TAKEN), state(e, WAIT_REPLY))) {
        setLongPlain(s, me, REPLY_TO_OFFSET, ThreadId.NIL);
        return false;
      }
    } else {
      setLongPlain(s, me, REPLY_TO_OFFSET, ThreadId.NIL);
      setIntPlain(s, from, STATUS_OFFSET, Status.OK);
      // Table row TAKEN -> DONE, by the taker.
      if (!casState(s, from, state(e, TAKEN), state(e, DONE))) {
        return false;
      }
    }
    wakeIfSleeping(t, from);
    return true;
  }

  // --- reply --------------------------------------------------------------------------------

  /**
   * Claims the caller {@code self} holds the reply capability for and copies the reply into it;
   * the caller's index (finish with {@link #releaseCaller}) or a negative send-phase status.
   * The capability is consumed either way (one-shot).
   */
  int claimCaller(ThreadEngine self) {
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
    if (c >= maxThreads || !rows.has(c)) {
      return -Status.send(Status.INVALID_ID);
    }
    final long co = tcbOffset(c);
    // Table row WAIT_REPLY -> CLAIMED, by the holder of the reply capability: the reply.
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
  boolean releaseCaller(ThreadEngine self, int c, boolean deferWake) {
    final long co = tcbOffset(c);
    // Table row CLAIMED -> DELIVERED, by the claimer (the replier).
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

  // --- the owner's own state ------------------------------------------------------------------

  /**
   * Waits until the IPC that {@code self} started with epoch {@code self.epoch} completes, and
   * returns its status (see {@link PortWait}). Honours the send-phase deadline while SENDING and
   * the receive timeout once the send phase is over; cancels itself on abort, timeout or peer
   * death. {@code phase} is the phase to report if the thread's own space ends before the send
   * phase is over.
   */
  int await(ThreadEngine self, long sendDeadline, long receiveTimeout, int phase) {
    return self.portWait.await(this, sendDeadline, receiveTimeout, phase);
  }

  /**
   * Moves {@code self}'s own state from what it last set or saw ({@code self.expect}) to
   * {@code next}; false if something else changed it (its end, or a peer's scribble). The first
   * transition of an IPC also carries the epoch bump of ThreadEngine's begin: there is no
   * separate store for it, so a call or replyWait on the fast path writes its own state once.
   * Callers name the table row of each use.
   */
  boolean casOwnState(ThreadEngine self, long next) {
    // Only the kernel, reusing the slot, moves a port out of DEAD; an owner that expects DEAD has
    // ended (or a peer wrote it): its transition fails, and the IPC ends with ownStateLost.
    if (code(self.expect) != DEAD && casState(tcbs, self.tcb, self.expect, next)) {
      self.expect = next;
      return true;
    }
    return false;
  }

  /**
   * Moves {@code self} from ANSWERING to IDLE if it is still there: its reply failed, or its
   * receive completed without publishing RECEIVING (a queued sender, a notification, an error).
   */
  void endAnswering(ThreadEngine self) {
    if (self.expect == state(self.epoch, ANSWERING)) {
      // Table row ANSWERING -> IDLE, by the owner.
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
  void setWaitPoint(ThreadEngine self, int rp, int bit) {
    // Written only when it changes: a server waiting at the same point again and again leaves
    // the control line shared in its partners' caches.
    if (getIntPlain(tcbs, self.tcb, WAIT_RP_OFFSET) != rp || getIntPlain(tcbs, self.tcb, WAIT_BIT_OFFSET) != bit) {
      setIntPlain(tcbs, self.tcb, WAIT_RP_OFFSET, rp);
      setIntPlain(tcbs, self.tcb, WAIT_BIT_OFFSET, bit);
    }
    self.waitRp = rp;
    self.waitBit = bit;
  }

  // --- notifications and aborts --------------------------------------------------------------

  /** If a notification {@code self} accepts is pending, takes it into the registers. */
  boolean takeNotification(ThreadEngine self) {
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

  /** Whether a notification the owner of the TCB at {@code me} accepts is pending. */
  boolean notificationPending(long me) {
    return (getLongVolatile(tcbs, me, NOTIFY_BITS_OFFSET) & getLongPlain(tcbs, me, NOTIFY_MASK_OFFSET)) != 0;
  }

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

  /** The state word of thread {@code target}'s port here (for {@link #abort}). */
  public long portState(int target) {
    return stateVolatile(tcbs, tcbOffset(target));
  }

  /**
   * Requests that the IPC thread {@code target} was doing here when its state word read
   * {@code st} ends with ABORTED: marks that IPC's epoch, so an IPC the thread has begun since is
   * untouched. Nothing if {@code st} is no IPC in progress.
   */
  public void abort(int target, long st) {
    final int code = code(st);
    if (code == RECEIVING || code == SENDING || code == WAIT_REPLY || code == CLAIMED || code == TAKEN
        || code == ANSWERING || code == POLLING) {
      final long to = tcbOffset(target);
      setLongVolatile(tcbs, to, ABORT_EPOCH_OFFSET, epoch(st));
      wakeIfSleeping(target, to);
    }
  }

  /** Wakes thread {@code index} (its TCB at {@code to}) if it announced that it sleeps. */
  public void wakeIfSleeping(int index, long to) {
    if (getIntVolatile(tcbs, to, SLEEPING_OFFSET) != 0) {
      sleeper.wake(index);
    }
  }

  // --- facade: the ports' lifecycle (PortLifecycle) and endpoint members (SenderQueue) --------

  /**
   * Gives thread slot {@code i} a row in this table if it has none yet (a link's creator
   * reserves its memory). Call for every table before {@link #initPort} in any of them, so that
   * a failure leaves no port behind. Caller holds the management lock.
   *
   * @throws IllegalStateException if the row's memory cannot be had (the link's directory is full)
   */
  public void reserveThreadRow(int i) {
    rows.ensure(i);
  }

  /** As {@link #reserveThreadRow}, for endpoint slot {@code slot}. */
  public void reserveEndpointRow(int slot) {
    rows.ensure(maxThreads + slot);
  }

  /** See {@link PortLifecycle#portReusable}. */
  public boolean portReusable(int i) {
    return ports.portReusable(i);
  }

  /** See {@link PortLifecycle#portEpoch}. */
  public long portEpoch(int i) {
    return ports.portEpoch(i);
  }

  /** See {@link PortLifecycle#portId}. */
  public long portId(int i) {
    return ports.portId(i);
  }

  /** See {@link PortLifecycle#initPort}. */
  public void initPort(int i, long id, long epoch) {
    ports.initPort(i, id, epoch);
  }

  /** See {@link PortLifecycle#killPort}. */
  public void killPort(int i, int[] endpointRps) {
    ports.killPort(i, endpointRps);
  }

  /** See {@link PortLifecycle#killPortNow}. */
  public void killPortNow(int i) {
    ports.killPortNow(i);
  }

  /** See {@link PortLifecycle#openEndpoint}. */
  public void openEndpoint(int slot, long id) {
    ports.openEndpoint(slot, id);
  }

  /** See {@link PortLifecycle#endpointReusable}. */
  public boolean endpointReusable(int slot) {
    return ports.endpointReusable(slot);
  }

  /** See {@link PortLifecycle#closeEndpoint}. */
  public void closeEndpoint(int slot) {
    ports.closeEndpoint(slot);
  }

  /** See {@link PortLifecycle#endpointOwner}. */
  public long endpointOwner(int j) {
    return ports.endpointOwner(j);
  }

  /** See {@link PortLifecycle#clearAll}. */
  public void clearAll() {
    ports.clearAll();
  }

  /** See {@link PortLifecycle#wakeAllSleepers}. */
  public void wakeAllSleepers() {
    ports.wakeAllSleepers();
  }

  /** See {@link PortLifecycle#breakLocks}. */
  public void breakLocks(int side) {
    ports.breakLocks(side);
  }

  /** See {@link PortLifecycle#rescueStrandedCopies}. */
  public boolean rescueStrandedCopies(int space, boolean force) {
    return ports.rescueStrandedCopies(space, force);
  }

  /** See {@link PortLifecycle#ipcState}. */
  public IpcState ipcState(int i, long id) {
    return ports.ipcState(i, id);
  }

  /** See {@link SenderQueue#join}. */
  public int join(int rp, int t) {
    return queue.join(rp, t);
  }

  /** See {@link SenderQueue#setMember}. */
  public void setMember(int rp, int k, int t) {
    queue.setMember(rp, k, t);
  }

  /** See {@link SenderQueue#member}. */
  public int member(int rp, int k) {
    return queue.member(rp, k);
  }
}
