package dev.nucleus.kernel.internal.ipc;

import static dev.nucleus.kernel.internal.ipc.EngineCodes.RESTART;
import static dev.nucleus.kernel.internal.ipc.EngineCodes.WAITING;
import static dev.nucleus.kernel.internal.layout.TcbDescriptor.*;

import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The wait of an IPC in progress in one table: from the moment a phase of {@link Rendezvous}
 * returns {@link EngineCodes#QUEUED} (or a call was delivered) until the IPC completes. One per
 * thread, reused by every IPC it makes; the {@link WaitLoop} decides when to look, check and
 * sleep, this class what to look at.
 *
 * <pre>
 * Implementation overview
 *
 *   poll:  acquire-load the own STATE (epoch e of this IPC):
 *            DELIVERED, DONE     the partner completed it: STATUS is the outcome
 *            DEAD, FREE, other   own end (CLOSED) or a peer's scribble (PROTOCOL_ERROR); ANSWERING
 *                                and POLLING are never this thread's state while it waits here
 *            RECEIVING           and a notification accepted and pending: retract, take it
 *            WAIT_REPLY, RECEIVING, CLAIMED (or IDLE after the send phase): the receive phase has
 *                                begun; its deadline runs from the first such look
 *   check: by state: SENDING: abort, send deadline, destination alive, channel still open; then
 *          cancel under the queue's lock. RECEIVING, WAIT_REPLY: abort, receive deadline, partner
 *          (or the receive point) alive, the space's tables unchanged; then retract. CLAIMED,
 *          TAKEN, IDLE mid-IPC: a copy stranded STRANDED_GRACE_NANOS past the deadline is given
 *          up.
 *   sleep: SLEEPING := 1; if STATE, ABORT_EPOCH and the notification bits are unchanged, park
 *          until the deadline of the current phase; SLEEPING := 0
 * </pre>
 *
 * Every way out of a waiting state is a CAS from the state observed, so a partner's CAS that
 * races with it wins or loses whole: a retract that fails means a partner claimed this thread,
 * and its delivery follows. Each CAS names its row of TcbDescriptor's table.
 *
 * <p>Owned by one {@link ThreadEngine} and used only by its owner thread. The fields hold the
 * wait in progress; they are written at the start of each wait and read only by this thread.
 */
final class PortWait extends WaitLoop {

  /**
   * How long past its deadline a thread waits for a copy into or out of it to finish: a copy
   * takes microseconds, so one unfinished this long means a stopped partner (or a peer's
   * scribble). Also used by the several-table wait ({@link PortSet}).
   */
  static final long STRANDED_GRACE_NANOS = 100_000_000L;

  private final ThreadEngine self;
  /** The table this IPC waits in, and its TCB segment. */
  private Rendezvous table;
  private MemorySegment tcbs;
  /** The epoch of this IPC. */
  private long epoch;
  private long sendDeadline;
  private long receiveTimeout;
  /** The receive phase's deadline once it has begun; -1 before. */
  private long receiveDeadline;
  /** The phase to report if the own space ends; RECEIVE once the send phase is over. */
  private int phase;
  /** The own state the last poll saw, which check and sleep act on. */
  private long observed;

  PortWait(ThreadEngine self) {
    this.self = self;
  }

  /** See {@link Rendezvous#await}. */
  int await(Rendezvous table, long sendDeadline, long receiveTimeout, int phase) {
    this.table = table;
    this.tcbs = table.tcbs;
    this.epoch = self.epoch;
    this.sendDeadline = sendDeadline;
    this.receiveTimeout = receiveTimeout;
    this.receiveDeadline = -1;
    this.phase = phase;
    return run(self.strategy, table.adaptiveSpinNanos);
  }

  @Override
  int poll() {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
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
        return Rendezvous.ownStateLost(self) | phase;
      }
      if (code == WAIT_REPLY || code == RECEIVING) {
        phase = Status.RECEIVE_PHASE; // the send phase, if any, is over
      }
      if (code == RECEIVING && self.acceptNotify && table.notificationPending(me)) {
        if (retract(st)) {
          table.takeNotification(self);
          return Status.OK;
        }
        continue; // claimed meanwhile: its delivery comes first
      }
      if ((code == WAIT_REPLY || code == RECEIVING || code == CLAIMED
          || (code == IDLE && phase == Status.RECEIVE_PHASE)) && receiveDeadline < 0) {
        receiveDeadline = Timeout.deadline(receiveTimeout); // the receive phase starts now
      }
      observed = st;
      return WAITING;
    }
  }

  @Override
  int check() {
    final long st = observed;
    final int code = code(st);
    if (code == SENDING) {
      return checkSend(st);
    }
    if (code == WAIT_REPLY || code == RECEIVING) {
      return checkReceive(st);
    }
    if (code == TAKEN) {
      return checkStranded(st, sendDeadline, Status.SEND_PHASE);
    }
    if (code == CLAIMED) {
      return checkStranded(st, receiveDeadline, Status.RECEIVE_PHASE);
    }
    if (code == IDLE) {
      // IDLE mid-IPC: a dead peer's copy being taken over (it moves on at once) or a peer's
      // scribble; either way the deadline still holds.
      return checkStranded(st, phase == Status.SEND_PHASE ? sendDeadline : receiveDeadline, phase);
    }
    return WAITING;
  }

  @Override
  void sleep() {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long st = observed;
    final int code = code(st);
    // Announce, re-check, park (see Sleeper). CLAIMED and TAKEN end without us. The re-check
    // reads the partner's OWNER too: the end of a partner stores OWNER := NIL (volatile) and then
    // wakes every sleeper, so this store of SLEEPING and that load form a Dekker pair, and a
    // partner's death is seen at once, not at the next slice (docs/model.md, finding 2).
    setIntVolatile(s, me, SLEEPING_OFFSET, 1);
    if (stateVolatile(s, me) == st && getLongVolatile(s, me, ABORT_EPOCH_OFFSET) != epoch
        && !(self.acceptNotify && table.notificationPending(me)) && partnerStillThere(st)) {
      table.sleeper().park(self.index, code == SENDING ? sendDeadline
          : code == WAIT_REPLY || code == RECEIVING ? receiveDeadline : Long.MAX_VALUE);
    }
    setIntPlain(s, me, SLEEPING_OFFSET, 0);
  }

  /** Whether the partner this wait depends on still owns its point (true where there is none to lose). */
  private boolean partnerStillThere(long st) {
    final int code = code(st);
    if (code == SENDING) {
      return table.alive(getLongPlain(tcbs, self.tcb, PARTNER_OFFSET));
    }
    return code != WAIT_REPLY && code != RECEIVING || partnerAlive(st);
  }

  /** Abort, deadline and liveness checks while SENDING; a status, or WAITING to go on. */
  private int checkSend(long st) {
    final MemorySegment s = tcbs;
    final long me = self.tcb;
    final long partner = getLongPlain(s, me, PARTNER_OFFSET);
    final int reason;
    if (getLongVolatile(s, me, ABORT_EPOCH_OFFSET) == epoch(st)) {
      reason = Status.ABORTED;
    } else if (sendDeadline != Long.MAX_VALUE && Timeout.now() >= sendDeadline) {
      reason = Status.TIMEOUT;
    } else if (!table.alive(partner)) {
      reason = Status.PEER_DEAD;
    } else if (!table.channels.permitted(self.space.number(), ThreadId.space(partner))) {
      // The channel was closed while queued: revocation covers pending IPC. But the end of the
      // partner's space also closes its channels, after it has killed its ports: a closed channel
      // (an acquire load) whose partner is gone now is that end, and the sender gets PEER_DEAD,
      // whichever of the two this thread saw first.
      reason = table.alive(partner) ? Status.NOT_PERMITTED : Status.PEER_DEAD;
    } else {
      return WAITING;
    }
    final SenderQueue queue = table.queue;
    final long rpOff = Rendezvous.rpOffset(self.waitRp);
    queue.lock(rpOff);
    // Table row SENDING -> IDLE, by the owner holding the same LOCK: cancel.
    final boolean cancelled = casState(s, me, st, state(epoch(st), IDLE));
    if (cancelled) {
      queue.unlink(rpOff, self.index);
    }
    queue.unlock(rpOff);
    return cancelled ? Status.send(reason) : WAITING;
  }

  /** Abort, deadline and liveness checks while RECEIVING or WAIT_REPLY; a status, or WAITING to go on. */
  private int checkReceive(long st) {
    final long me = self.tcb;
    final int reason;
    if (getLongVolatile(tcbs, me, ABORT_EPOCH_OFFSET) == epoch(st)) {
      reason = Status.ABORTED;
    } else if (receiveDeadline != Long.MAX_VALUE && Timeout.now() >= receiveDeadline) {
      reason = Status.TIMEOUT;
    } else if (!partnerAlive(st)) {
      // Our own end closes our receive point before it marks our state DEAD: not a peer's death.
      reason = self.ended ? Status.CLOSED : Status.PEER_DEAD;
    } else if (self.openTables != null && self.openTables != self.space.tables()) {
      return retract(st) ? RESTART : WAITING; // a link came or went: receive over the new set
    } else {
      return WAITING;
    }
    return retract(st) ? Status.receive(reason) : WAITING;
  }

  private boolean partnerAlive(long st) {
    final long partner = getLongPlain(tcbs, self.tcb, PARTNER_OFFSET);
    if (code(st) == WAIT_REPLY || partner != ThreadId.ANY) {
      return partner == ThreadId.NIL || table.alive(partner);
    }
    final int rp = self.waitRp;
    return rp < 0 || table.ownsPoint(rp, self.waitOwner);
  }

  /** Leaves RECEIVING or WAIT_REPLY; false if a partner claimed this thread first. */
  private boolean retract(long st) {
    // Table rows RECEIVING -> IDLE and WAIT_REPLY -> IDLE, by the owner.
    if (!casState(tcbs, self.tcb, st, state(epoch(st), IDLE))) {
      return false;
    }
    if (code(st) == RECEIVING && self.waitRp >= table.maxThreads) {
      // An endpoint: do not leave a stale hint for its senders. Our own copy of where we wait:
      // the shared fields may have been scribbled on by a peer.
      ReceivePointDescriptor.clearWaiters(table.rps, Rendezvous.rpOffset(self.waitRp), 1L << self.waitBit);
    }
    return true;
  }

  /**
   * A copy into or out of this thread (CLAIMED, TAKEN) normally ends within microseconds. One
   * still unfinished {@link #STRANDED_GRACE_NANOS} past the phase's deadline means a partner
   * stopped mid-copy, or a peer wrote garbage into our state: give up with TIMEOUT. The partner,
   * if it ever resumes, fails its CAS and learns that the transfer did not happen. Without a
   * deadline the wait goes on, as for any partner that is paused but not dead.
   */
  private int checkStranded(long st, long deadline, int failedPhase) {
    if (deadline == Long.MAX_VALUE || Timeout.now() - deadline < STRANDED_GRACE_NANOS) {
      return WAITING;
    }
    // Table rows CLAIMED -> IDLE and TAKEN -> IDLE, by the owner past the phase deadline (and
    // IDLE -> IDLE, a no-op that ends a wait a peer's scribble left in IDLE).
    return casState(tcbs, self.tcb, st, state(epoch(st), IDLE)) ? Status.TIMEOUT | failedPhase : WAITING;
  }
}
