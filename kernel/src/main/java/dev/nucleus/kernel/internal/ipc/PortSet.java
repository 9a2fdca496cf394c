package dev.nucleus.kernel.internal.ipc;

import static dev.nucleus.kernel.internal.ipc.EngineCodes.LOCK_BUSY;
import static dev.nucleus.kernel.internal.ipc.EngineCodes.RESTART;
import static dev.nucleus.kernel.internal.ipc.EngineCodes.WAITING;
import static dev.nucleus.kernel.internal.ipc.EngineCodes.WRONG_LENGTH;
import static dev.nucleus.kernel.internal.layout.TcbDescriptor.*;

import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.os.Futex;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The open receive of a thread whose space has ports in several tables: its home table and one
 * table per link to a process space. A message may come from any of them, so the thread waits
 * in all at once.
 *
 * <pre>
 * Implementation overview
 *
 *   publish: in the primary table (the one it did IPC in last): RECEIVING, claimable as usual;
 *            in every other table: POLLING, which senders never claim; WAITERS |= bit in each
 *   claim:   a sender in the primary table claims and delivers as in a single table (5.2)
 *   poll:    a notification, or a queued sender (LENGTH != 0) in any table: first make the
 *            primary unclaimable (CAS RECEIVING -> POLLING; if that fails, a sender claimed us:
 *            take its delivery instead), then take it (Rendezvous.takeQueued); if there was
 *            nothing to take after all, make the primary claimable again
 *   check:   abort (in any table), deadline, the endpoint still open, the space's set of tables
 *            unchanged (else RESTART), our port in each other table still POLLING, a claim of
 *            the primary stranded past the deadline (given up, as PortWait does)
 *   sleep:   SLEEPING := 1 in every table; re-check; futex_waitv on all the SLEEPING words;
 *            SLEEPING := 0 everywhere
 *   sender:  finds no RECEIVING member outside the primary, queues as usual, and wakes the
 *            sleeping POLLING members of the receive point (Rendezvous.wakePollers)
 *
 * The states of this thread's port in each table: RECEIVING (the primary, claimable), POLLING
 * (the others, and the primary while it takes from another table), CLAIMED then DELIVERED (the
 * primary, when a sender delivers there), IDLE (retracted). Every move among them is the owner's
 * CAS, except the claim (RECEIVING -> CLAIMED, by a sender) and the delivery (CLAIMED ->
 * DELIVERED, by the claimer); each names its row of TcbDescriptor's table.
 *
 * When to poll, check and sleep is the {@link WaitLoop}'s, shared with the wait in one table.
 * </pre>
 *
 * At most one table is claimable at any moment, and the receiver takes from the others only
 * while it is not: two senders can never both deliver to it, and a queued sender that is not
 * taken stays queued for the next receive. A server that keeps being called from one table (a
 * root server with one busy client process) thus stays on the usual fast path, paying two CAS
 * on its own ports in the other tables per receive; a message from another table costs a queue,
 * a lock and a wake-up, and makes that table the primary of the next receive.
 *
 * <p>Trust: the home table is written by this process only; a link's table also by its peer
 * process. A port of ours there whose state changes under us (a broken or hostile peer; our own
 * end is known privately) is left out for the rest of the receive, and a lock held there is
 * never waited out, so one bad process cannot stop a server from serving the others.
 *
 * <p>Owned by one {@link ThreadEngine} and used only by its owner thread. Made for one set of tables;
 * the thread makes a new one when its space's set changes, which ends a receive in progress with
 * {@link EngineCodes#RESTART}.
 */
public final class PortSet extends WaitLoop {

  /** Longest single sleep: the bound on how late a sleeper sees a change nobody woke it for. */
  public static final long MAX_SLICE_NANOS = 50_000_000L;
  /**
   * The sleep slice in use: {@link #MAX_SLICE_NANOS}, except in tests that lengthen it to show
   * that every wake-up a correct partner owes actually comes (the slice would hide a missing one).
   */
  public static volatile long sliceNanos = MAX_SLICE_NANOS;
  /** Sleep slice where futex_waitv is missing and only the first table's word can be waited on. */
  private static final long FALLBACK_SLICE_NANOS = 1_000_000L;

  private final ThreadEngine self;
  final Rendezvous[] tables;
  /** The epoch of this receive's state in each table. */
  private final long[] epochs;
  /** Tables left out of this receive: our port there changed under us (a peer's doing). */
  private final boolean[] excluded;
  /**
   * Per table, a LENGTH found under the lock with no sender to take (0: none), which only a broken
   * peer leaves (see Rendezvous.takeQueued). Until LENGTH changes, that table does not count as
   * having senders: a wrong count must not keep this thread polling under the lock, never asleep.
   */
  private final int[] fruitless;
  private final MemorySegment waitv;
  private final MemorySegment timespec;
  /** The claimable table of this receive, -1 none; and what we set there: RECEIVING or POLLING. */
  private int primary;
  private int primaryCode;
  /** Where the message of the last successful receive is, and the state that port is left in. */
  private int servedIndex;
  private long servedState;
  private boolean servedThisTime;
  /** Where the next poll starts: the table after the last one served, so that none starves. */
  private int next;
  /** The receive in progress: its receive point (-1: notifications only), deadline, and whether its timeout is zero. */
  private int rp;
  private long deadline;
  private boolean zero;

  PortSet(ThreadEngine self, Rendezvous[] tables) {
    // Space.addChannelTable keeps tables.length <= Futex.WAITV_MAX.
    this.self = self;
    this.tables = tables;
    this.epochs = new long[tables.length];
    this.excluded = new boolean[tables.length];
    this.fruitless = new int[tables.length];
    final Arena arena = Arena.ofAuto();
    this.waitv = arena.allocate(Futex.WAITV_SIZE * tables.length, 8);
    this.timespec = Futex.newTimespec(arena);
    for (int i = 0; i < tables.length; i++) {
      Futex.setWaitv(waitv, i, tables[i].tcbs.address() + self.tcb + SLEEPING_OFFSET, 1);
    }
  }

  /**
   * Waits in every table at receive point {@code rp} (member bit {@code bit}; -1: notifications
   * only), owned by {@code self.waitOwner}, claimable in table {@code claimable} (-1: in none).
   * Returns OK with the message (or notification) in the registers of the table it came in
   * ({@link #served}, {@link #servedState}); {@link EngineCodes#RESTART}; or a receive-phase
   * error: TIMEOUT, NO_PARTNER (zero timeout), ABORTED, PEER_DEAD (the endpoint closed meanwhile), CLOSED
   * (this thread ended), or a status a partner delivered (PEER_DEAD for a copy a dead peer left).
   */
  int receive(int rp, int bit, long deadline, boolean zero, int claimable) {
    final int k = tables.length;
    primary = rp >= 0 ? claimable : -1;
    servedThisTime = false;
    Arrays.fill(excluded, true); // until published
    // The primary first: in a replyWait the caller may be waiting for it to call again (it found
    // this thread ANSWERING), and need not wait for the other tables too. A claim that comes in
    // meanwhile is simply found by the first poll.
    for (int n = 0; n < k; n++) {
      final int i = primary < 0 ? n : (primary + n) % k;
      if (!publish(i, rp, bit)) {
        retract(-1);
        return Status.receive(Rendezvous.ownStateLost(self));
      }
    }
    this.rp = rp;
    this.deadline = deadline;
    this.zero = zero;
    return run(self.strategy, tables[0].adaptiveSpinNanos);
  }

  /** One round; with a zero timeout, the only one: NO_PARTNER unless a sender claimed the primary. */
  @Override
  int poll() {
    final int status = pollTables();
    if (status != WAITING || !zero) {
      return status;
    }
    return stop(Status.receive(Status.NO_PARTNER));
  }

  /** Whether the last {@link #receive} took a message (or a status a claimer delivered). */
  boolean servedThisTime() {
    return servedThisTime;
  }

  /** The table the last successful {@link #receive} took its message from. */
  Rendezvous served() {
    return tables[servedIndex];
  }

  /** The state the last successful {@link #receive} left the served port in (IDLE or DELIVERED). */
  long servedState() {
    return servedState;
  }

  /**
   * Publishes this receive in table {@code i}: RECEIVING there if it is the primary, else
   * POLLING. False if this thread has ended (or its home port changed: the same thing).
   */
  private boolean publish(int i, int rp, int bit) {
    final Rendezvous t = tables[i];
    final long tcb = self.tcb;
    if (self.ended) {
      return false;
    }
    // Between IPCs our port is IDLE, DELIVERED or DONE (ANSWERING in a replyWait's reply table);
    // anything else in a channel table is a peer's scribble, which we simply replace.
    final long st = stateAcquire(t.tcbs, tcb);
    epochs[i] = epoch(st) + 1;
    setLongPlain(t.tcbs, tcb, PARTNER_OFFSET, ThreadId.ANY);
    t.setWaitPoint(self, rp, bit);
    final int code = i == primary ? RECEIVING : POLLING;
    // Table rows IDLE (DELIVERED, DONE) -> RECEIVING or POLLING, and ANSWERING -> RECEIVING (the
    // primary is the table of the reply), epoch + 1, by the owner: its first CAS in table i.
    if (!casState(t.tcbs, tcb, st, state(epochs[i], code))) {
      if (i == 0) {
        return false;
      }
      exclude(i); // changed under us: a peer's doing
      return true;
    }
    excluded[i] = false;
    if (i == primary) {
      primaryCode = RECEIVING;
    }
    if (rp >= 0) {
      final long rpOff = Rendezvous.rpOffset(rp);
      if ((ReceivePointDescriptor.waitersAcquire(t.rps, rpOff) & (1L << bit)) == 0) {
        ReceivePointDescriptor.orWaiters(t.rps, rpOff, 1L << bit); // a full fence: then LENGTH is polled
      }
    }
    return true;
  }

  /**
   * One round: a delivery to the primary, else a notification or a queued sender in any table.
   * OK (or the status a claimer delivered) when a message is in, else {@link EngineCodes#WAITING}
   * (or an error).
   */
  private int pollTables() {
    final long tcb = self.tcb;
    if (primary >= 0) {
      final int p = primary;
      final long st = stateAcquire(tables[p].tcbs, tcb);
      if (st == state(epochs[p], DELIVERED)) {
        final int status = getIntPlain(tables[p].tcbs, tcb, STATUS_OFFSET);
        retract(p);
        served(p, st);
        return Status.isValid(status) ? status : Status.receive(Status.PROTOCOL_ERROR);
      }
      if (st == state(epochs[p], CLAIMED)) {
        return WAITING; // a sender is copying its message in: nothing else may be taken now
      }
      if (st != state(epochs[p], primaryCode)) {
        if (p == 0 || self.ended) {
          retract(-1);
          return Status.receive(Rendezvous.ownStateLost(self));
        }
        exclude(p);
      }
    }
    final int k = tables.length;
    for (int n = 0; n < k; n++) {
      final int i = (next + n) % k;
      if (excluded[i]) {
        continue;
      }
      final Rendezvous t = tables[i];
      if (self.acceptNotify && t.notificationPending(tcb)) {
        if (!unclaimable()) {
          return WAITING; // claimed: the delivery comes first
        }
        if (!retract(-1)) {
          return Status.receive(Rendezvous.ownStateLost(self));
        }
        if (!t.takeNotification(self)) {
          return RESTART; // cannot happen (only we take our bits): publish again
        }
        served(i, state(epochs[i], IDLE));
        return Status.OK;
      }
      if (rp >= 0 && hasSenders(i, t, rp)) {
        if (!unclaimable()) {
          return WAITING;
        }
        final int status = t.takeQueued(self, rp);
        if (status == Status.OK) {
          served(i, state(epochs[i], IDLE));
          return retract(-1) ? Status.OK : Status.receive(Rendezvous.ownStateLost(self));
        }
        if (!claimable()) {
          retract(-1);
          return Status.receive(Rendezvous.ownStateLost(self));
        }
        if (status == LOCK_BUSY) {
          continue; // held by a partner (or a peer that keeps it): serve the others, come back
        }
        if (status == WRONG_LENGTH) {
          // A count a broken peer left: ignore it until it changes.
          fruitless[i] = ReceivePointDescriptor.lengthAcquire(t.rps, Rendezvous.rpOffset(rp));
        } else if (status != Status.receive(Status.NO_PARTNER)) {
          return stop(status == Status.receive(Status.STALE_ID) ? closedUnderUs() : status);
        }
      }
    }
    return WAITING;
  }

  /**
   * The result of a receive whose point closed while it waited (it was open when the receive
   * published itself): PEER_DEAD, as for a receive in one table (PortWait), or CLOSED if the
   * point closed because this thread ended.
   */
  private int closedUnderUs() {
    return Status.receive(self.ended ? Status.CLOSED : Status.PEER_DEAD);
  }

  private void served(int i, long st) {
    servedThisTime = true;
    servedIndex = i;
    servedState = st;
    next = i + 1;
  }

  /** Makes the primary unclaimable (RECEIVING -> POLLING); false if a sender claimed it first. */
  private boolean unclaimable() {
    final int p = primary;
    if (p < 0 || primaryCode == POLLING) {
      return true;
    }
    // Table row RECEIVING -> POLLING, by the owner in the primary table of a receive over several.
    if (casState(tables[p].tcbs, self.tcb, state(epochs[p], RECEIVING), state(epochs[p], POLLING))) {
      primaryCode = POLLING;
      return true;
    }
    final int code = code(stateAcquire(tables[p].tcbs, self.tcb));
    if (code == CLAIMED || code == DELIVERED) {
      return false;
    }
    if (p == 0 || self.ended) {
      return true; // our end: the next poll reports it
    }
    exclude(p);
    return true;
  }

  /**
   * Makes the primary claimable again (POLLING -> RECEIVING) after a take that found nothing.
   * The WAITERS bit is still set and the next poll reads LENGTH again (the Dekker pair of 5.3).
   * False if this thread ended.
   */
  private boolean claimable() {
    final int p = primary;
    if (p < 0 || primaryCode == RECEIVING) {
      return true;
    }
    // Table row POLLING -> RECEIVING, by the owner: its primary claimable again.
    if (casState(tables[p].tcbs, self.tcb, state(epochs[p], POLLING), state(epochs[p], RECEIVING))) {
      primaryCode = RECEIVING;
      return true;
    }
    if (p == 0 || self.ended) {
      return false;
    }
    exclude(p);
    return true;
  }

  private void exclude(int i) {
    excluded[i] = true;
    if (i == primary) {
      primary = -1;
    }
  }

  /** Whether table {@code t} (number {@code i}) may hold a sender for us: LENGTH is neither 0 nor the count of a fruitless take. */
  private boolean hasSenders(int i, Rendezvous t, int rp) {
    final int length = ReceivePointDescriptor.lengthAcquire(t.rps, Rendezvous.rpOffset(rp));
    if (length == 0) {
      fruitless[i] = 0;
      return false;
    }
    return length != fruitless[i];
  }

  /**
   * Abort, deadline, liveness and table-set checks: a status, {@link EngineCodes#RESTART}, or
   * {@link EngineCodes#WAITING}.
   */
  @Override
  int check() {
    final long tcb = self.tcb;
    final int k = tables.length;
    for (int i = 0; i < k; i++) {
      if (excluded[i]) {
        continue;
      }
      final MemorySegment s = tables[i].tcbs;
      if (i == primary) {
        final long st = stateVolatile(s, tcb);
        // Table row CLAIMED -> POLLING (in a primary table), by the owner past the deadline.
        if (st == state(epochs[i], CLAIMED) && deadline != Long.MAX_VALUE
            && Timeout.now() - deadline >= PortWait.STRANDED_GRACE_NANOS
            && casState(s, tcb, st, state(epochs[i], POLLING))) {
          primaryCode = POLLING; // a copy stranded past the deadline: given up (see PortWait.checkStranded)
          return stop(Status.receive(Status.TIMEOUT));
        }
      } else if (stateVolatile(s, tcb) != state(epochs[i], POLLING)) {
        if (i == 0 || self.ended) {
          retract(-1);
          return Status.receive(Rendezvous.ownStateLost(self));
        }
        exclude(i); // a peer wrote our port in its channel: leave that table out
        continue;
      }
      if (getLongVolatile(s, tcb, ABORT_EPOCH_OFFSET) == epochs[i]) {
        return stop(Status.receive(Status.ABORTED));
      }
    }
    if (rp >= 0 && !tables[0].ownsPoint(rp, self.waitOwner)) {
      return stop(closedUnderUs());
    }
    // Look at every queue again now and then: a count can also stay the same while its senders
    // change (one killed and unlinked, another queued), and a stale doubt must not strand them.
    Arrays.fill(fruitless, 0);
    if (deadline != Long.MAX_VALUE && Timeout.now() >= deadline) {
      return stop(Status.receive(Status.TIMEOUT));
    }
    if (self.space.tables() != tables) {
      return stop(RESTART);
    }
    return WAITING;
  }

  /**
   * Ends the receive with {@code status}, unless a sender claimed the primary first: then
   * {@link EngineCodes#WAITING}, and its delivery completes the receive (a claim is never undone).
   */
  private int stop(int status) {
    if (!unclaimable()) {
      return WAITING;
    }
    return retract(-1) ? status : Status.receive(Rendezvous.ownStateLost(self));
  }

  /**
   * Sleeps on the SLEEPING words of all the tables at once, after announcing it in each and
   * re-checking everything a waker publishes first (see Sleeper).
   */
  @Override
  void sleep() {
    final long tcb = self.tcb;
    final int k = tables.length;
    for (Rendezvous t : tables) {
      setIntVolatile(t.tcbs, tcb, SLEEPING_OFFSET, 1);
    }
    boolean quiet = true;
    for (int i = 0; i < k && quiet; i++) {
      if (excluded[i]) {
        continue;
      }
      final Rendezvous t = tables[i];
      final int code = i == primary ? primaryCode : POLLING;
      quiet = stateVolatile(t.tcbs, tcb) == state(epochs[i], code)
          && getLongVolatile(t.tcbs, tcb, ABORT_EPOCH_OFFSET) != epochs[i]
          && (rp < 0 || !hasSenders(i, t, rp))
          && !(self.acceptNotify && t.notificationPending(tcb));
    }
    if (quiet) {
      final long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - Timeout.now();
      if (left > 0) {
        if (Futex.WAITV_AVAILABLE) {
          Futex.awaitAny(waitv, k, Math.min(left, sliceNanos), timespec);
        } else {
          Futex.await(tables[0].tcbs.address() + tcb + SLEEPING_OFFSET, 1, Math.min(left, FALLBACK_SLICE_NANOS), timespec);
        }
      }
    }
    for (Rendezvous t : tables) {
      setIntPlain(t.tcbs, tcb, SLEEPING_OFFSET, 0);
    }
  }

  /**
   * Leaves this receive in every table it is published in (state -> IDLE, waiter bit cleared),
   * except table {@code keep} (-1: none), whose delivery completed it. The primary must be
   * unclaimable (or delivered) by now. False if a port's state had changed (this thread ended).
   */
  private boolean retract(int keep) {
    final long tcb = self.tcb;
    final int rp = self.waitRp;
    boolean all = true;
    for (int i = 0; i < tables.length; i++) {
      if (i == keep || excluded[i]) {
        continue;
      }
      final Rendezvous t = tables[i];
      final int code = i == primary ? primaryCode : POLLING;
      // Table rows POLLING -> IDLE and RECEIVING -> IDLE, by the owner: retract.
      if (!casState(t.tcbs, tcb, state(epochs[i], code), state(epochs[i], IDLE)) && (i == 0 || self.ended)) {
        all = false; // our end; in a channel table, a peer's scribble changes nothing for us
      }
      excluded[i] = true; // no longer published there
      if (rp >= t.maxThreads) { // an endpoint: no stale hint for its senders
        ReceivePointDescriptor.clearWaiters(t.rps, Rendezvous.rpOffset(rp), 1L << self.waitBit);
      }
    }
    return all;
  }
}
