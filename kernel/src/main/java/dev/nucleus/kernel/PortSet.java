package dev.nucleus.kernel;

import static dev.nucleus.kernel.TcbDescriptor.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The open receive of a thread whose space has ports in several tables: its home table and one
 * table per channel to a process space. A message may come from any of them, so the thread waits
 * in all at once.
 *
 * <pre>
 * Implementation overview
 *
 *   publish: in every table, CAS own state -> POLLING|e_i (its own epoch there); WAITERS |= bit
 *   poll:    in every table, in turn: a pending notification (if accepted) or a queued sender
 *            (LENGTH != 0) -> take it (Rendezvous.takeQueued), retract POLLING everywhere, done
 *   sleep:   SLEEPING := 1 in every table; re-check; futex_waitv on all the SLEEPING words;
 *            SLEEPING := 0 everywhere
 *   sender:  finds no RECEIVING member (POLLING is never claimed), queues as usual, and wakes the
 *            sleeping POLLING members of the receive point (Rendezvous.wakePollers)
 * </pre>
 *
 * Only the receiver moves a message out of a queue, so two senders in two tables can never both
 * deliver to it: there is nothing to undo, and a queued sender that is not taken stays queued for
 * the next receive. The cost is the sender-first path for every message (a lock, a queue link and
 * a wake-up instead of one CAS), paid only by spaces with process channels and only for open
 * receives; calls, sends and closed receives run in one table on the usual fast path.
 *
 * <p>Trust: the home table is written by this process only; a channel table also by its peer
 * process. A port of ours there whose state changes under us (a broken or hostile peer; our own
 * end is known privately) is left out for the rest of the receive, and a lock held there is
 * never waited out, so one bad process cannot stop a server from serving the others.
 *
 * <p>Owned by one {@link IpcThread} and used only by its owner thread. Made for one set of tables;
 * the thread makes a new one when its space's set changes, which ends a receive in progress with
 * {@link Rendezvous#RESTART}.
 */
final class PortSet {

  /** Spins between checks of deadline, abort, liveness and the table set. */
  private static final int CHECK_EVERY = 128;
  /** Spins between yields (see Rendezvous.YIELD_EVERY). */
  private static final int YIELD_EVERY = 32;
  /** Longest single sleep: the bound on how late a sleeper sees a change nobody woke it for. */
  private static final long MAX_SLICE_NANOS = 50_000_000L;
  /** Sleep slice where futex_waitv is missing and only the first table's word can be waited on. */
  private static final long FALLBACK_SLICE_NANOS = 1_000_000L;

  private final IpcThread self;
  final Rendezvous[] tables;
  /** The epoch of this receive's POLLING state in each table. */
  private final long[] epochs;
  /** Tables left out of this receive: our port there changed under us (a peer's doing). */
  private final boolean[] excluded;
  private final MemorySegment waitv;
  private final MemorySegment timespec;
  /**
   * Per table, a LENGTH found under the lock with no sender to take (0: none), which only a broken
   * peer leaves (see Rendezvous.takeQueued). Until LENGTH changes, that table does not count as
   * having senders: a wrong count must not keep this thread polling under the lock, never asleep.
   */
  private final int[] fruitless;
  /** Where the next poll starts: the table after the last one served, so that none starves. */
  private int next;

  PortSet(IpcThread self, Rendezvous[] tables) {
    // Space.addChannelTable keeps tables.length <= Futex.WAITV_MAX.
    this.self = self;
    this.tables = tables;
    this.epochs = new long[tables.length];
    this.fruitless = new int[tables.length];
    this.excluded = new boolean[tables.length];
    final Arena arena = Arena.ofAuto();
    this.waitv = arena.allocate(Futex.WAITV_SIZE * tables.length, 8);
    this.timespec = Futex.newTimespec(arena);
    for (int i = 0; i < tables.length; i++) {
      Futex.setWaitv(waitv, i, tables[i].tcbs.address() + self.tcb + SLEEPING_OFFSET, 1);
    }
  }

  /**
   * Waits in every table at receive point {@code rp} (member bit {@code bit}; -1: notifications
   * only), owned by {@code self.waitOwner}. Returns OK with the message (or notification) in the
   * registers of the table it came in, which {@code served} reports; {@link Rendezvous#RESTART};
   * or a receive-phase error: TIMEOUT, NO_PARTNER (zero timeout), ABORTED, STALE_ID (the endpoint
   * closed), CLOSED (this thread ended).
   */
  int receive(int rp, int bit, long deadline, boolean zero) {
    final long tcb = self.tcb;
    final int k = tables.length;
    for (int i = 0; i < k; i++) {
      final Rendezvous t = tables[i];
      excluded[i] = false;
      if (self.ended) {
        retract(i);
        return Status.receive(Status.CLOSED);
      }
      // Between IPCs our port is IDLE, DELIVERED or DONE; anything else in a channel table is a
      // peer's scribble, which we simply replace (we own the port).
      final long st = stateAcquire(t.tcbs, tcb);
      epochs[i] = epoch(st) + 1;
      setLong(t.tcbs, tcb, PARTNER_OFFSET, ThreadId.ANY);
      t.setWaitPoint(self, rp, bit);
      if (!casState(t.tcbs, tcb, st, state(epochs[i], POLLING))) {
        if (i == 0) {
          retract(i);
          return Status.receive(Rendezvous.ownStateLost(self));
        }
        excluded[i] = true; // changed under us: a peer's doing
        continue;
      }
      if (rp >= 0) {
        final long rpOff = Rendezvous.rpOffset(rp);
        if ((ReceivePointDescriptor.waitersAcquire(t.rps, rpOff) & (1L << bit)) == 0) {
          ReceivePointDescriptor.orWaiters(t.rps, rpOff, 1L << bit);
        }
      }
    }
    final WaitStrategy strategy = self.strategy;
    final long spinUntil = strategy == WaitStrategy.ADAPTIVE ? Timeout.now() + tables[0].adaptiveSpinNanos : 0;
    boolean spinning = strategy != WaitStrategy.BLOCK;
    int spins = 0;
    boolean check = false;
    while (true) {
      final int status = poll(rp);
      if (status >= 0) {
        return status;
      }
      if (zero) {
        return retract(k) ? Status.receive(Status.NO_PARTNER) : Status.receive(Rendezvous.ownStateLost(self));
      }
      if (check || ++spins % CHECK_EVERY == 0) {
        check = false;
        final int stop = checks(rp, deadline);
        if (stop >= 0) {
          return stop;
        }
      }
      if (spinning) {
        if (strategy == WaitStrategy.ADAPTIVE && (spins & 63) == 0 && Timeout.now() > spinUntil) {
          spinning = false;
        } else {
          Thread.onSpinWait();
          if (spins % YIELD_EVERY == 0) {
            Thread.yield();
          }
          continue;
        }
      }
      sleep(rp, deadline);
      check = true;
    }
  }

  /** The table the last successful {@link #receive} took its message from. */
  Rendezvous served() {
    return tables[Math.floorMod(next - 1, tables.length)];
  }

  /** The epoch of the last receive in {@code t}'s port (its state there is IDLE with it now). */
  long epochIn(Rendezvous t) {
    for (int i = 0; i < tables.length; i++) {
      if (tables[i] == t) {
        return epochs[i];
      }
    }
    throw new IllegalArgumentException("not a table of this set");
  }

  /** One round over the tables: OK if a notification or a sender was taken, else -1 (or an error). */
  private int poll(int rp) {
    final long tcb = self.tcb;
    final int k = tables.length;
    for (int n = 0; n < k; n++) {
      final int i = (next + n) % k;
      if (excluded[i]) {
        continue;
      }
      final Rendezvous t = tables[i];
      if (self.acceptNotify && t.notificationPending(tcb)) {
        if (!retract(k)) {
          return Status.receive(Rendezvous.ownStateLost(self));
        }
        if (t.takeNotification(self)) {
          next = i + 1;
          return Status.OK;
        }
        return Rendezvous.RESTART; // taken meanwhile by nobody else: cannot happen; publish again
      }
      if (rp >= 0 && hasSenders(i, t, rp)) {
        final int status = t.takeQueued(self, rp);
        if (status == Status.OK) {
          next = i + 1;
          return retract(k) ? Status.OK : Status.receive(Rendezvous.ownStateLost(self));
        }
        if (status == Rendezvous.LOCK_BUSY) {
          continue; // held by a partner (or a peer that keeps it): serve the others, come back
        }
        if (status == Rendezvous.WRONG_LENGTH) {
          // A count a broken peer left: ignore it until it changes.
          fruitless[i] = ReceivePointDescriptor.lengthAcquire(t.rps, Rendezvous.rpOffset(rp));
        } else if (status != Status.receive(Status.NO_PARTNER)) {
          retract(k);
          return status; // STALE_ID: the endpoint closed
        }
      }
    }
    return -1;
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

  /** Abort, deadline, liveness and table-set checks: a status, {@link Rendezvous#RESTART}, or -1. */
  private int checks(int rp, long deadline) {
    final long tcb = self.tcb;
    final int k = tables.length;
    for (int i = 0; i < k; i++) {
      if (excluded[i]) {
        continue;
      }
      final MemorySegment s = tables[i].tcbs;
      if (stateVolatile(s, tcb) != state(epochs[i], POLLING)) {
        if (i == 0 || self.ended) {
          retract(k);
          return Status.receive(Rendezvous.ownStateLost(self));
        }
        excluded[i] = true; // a peer wrote our port in its channel: leave that table out
        continue;
      }
      if (getLongVolatile(s, tcb, ABORT_EPOCH_OFFSET) == epochs[i]) {
        return stop(Status.receive(Status.ABORTED));
      }
    }
    if (rp >= 0 && !tables[0].ownsPoint(rp, self.waitOwner)) {
      return stop(Status.receive(Status.STALE_ID));
    }
    // Look at every queue again now and then: a count can also stay the same while its senders
    // change (one killed and unlinked, another queued), and a stale doubt must not strand them.
    java.util.Arrays.fill(fruitless, 0);
    if (deadline != Long.MAX_VALUE && Timeout.now() >= deadline) {
      return stop(Status.receive(Status.TIMEOUT));
    }
    if (self.space.tables() != tables) {
      return stop(Rendezvous.RESTART);
    }
    return -1;
  }

  private int stop(int status) {
    return retract(tables.length) ? status : Status.receive(Rendezvous.ownStateLost(self));
  }

  /**
   * Sleeps on the SLEEPING words of all the tables at once, after announcing it in each and
   * re-checking everything a waker publishes first (see Sleeper).
   */
  private void sleep(int rp, long deadline) {
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
      quiet = stateVolatile(t.tcbs, tcb) == state(epochs[i], POLLING)
          && getLongVolatile(t.tcbs, tcb, ABORT_EPOCH_OFFSET) != epochs[i]
          && (rp < 0 || !hasSenders(i, t, rp))
          && !(self.acceptNotify && t.notificationPending(tcb));
    }
    if (quiet) {
      final long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - Timeout.now();
      if (left > 0) {
        if (Futex.WAITV_AVAILABLE) {
          Futex.awaitAny(waitv, k, Math.min(left, MAX_SLICE_NANOS), timespec);
        } else {
          Futex.await(tables[0].tcbs.address() + tcb + SLEEPING_OFFSET, 1, Math.min(left, FALLBACK_SLICE_NANOS), timespec);
        }
      }
    }
    for (Rendezvous t : tables) {
      setInt(t.tcbs, tcb, SLEEPING_OFFSET, 0);
    }
  }

  /**
   * Leaves POLLING in the first {@code count} tables (POLLING|e -> IDLE|e) and clears the
   * waiter bit; false if a port's state had changed (this thread ended).
   */
  private boolean retract(int count) {
    final long tcb = self.tcb;
    final int rp = self.waitRp;
    boolean all = true;
    for (int i = 0; i < count; i++) {
      if (excluded[i]) {
        continue;
      }
      final Rendezvous t = tables[i];
      if (!casState(t.tcbs, tcb, state(epochs[i], POLLING), state(epochs[i], IDLE)) && (i == 0 || self.ended)) {
        all = false; // our end; in a channel table, a peer's scribble changes nothing for us
      }
      if (rp >= t.maxThreads) { // an endpoint: no stale hint for its senders
        ReceivePointDescriptor.clearWaiters(t.rps, Rendezvous.rpOffset(rp), 1L << self.waitBit);
      }
    }
    return all;
  }
}
