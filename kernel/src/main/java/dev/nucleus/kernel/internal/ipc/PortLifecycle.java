package dev.nucleus.kernel.internal.ipc;

import static dev.nucleus.kernel.internal.layout.TcbDescriptor.*;

import dev.nucleus.kernel.IpcState;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The life of the ports of one table, outside IPC: a thread's port (its TCB and its own receive
 * point) is initialised when the thread starts and killed when it ends; an endpoint's receive
 * point is opened and closed; a slot is reused only when nobody is queued at it; and when the
 * peer process of a link dies, its locks are broken, its ports killed, and the copies it left
 * half done are completed. Also the IPC state query, which reads a port without changing it.
 *
 * <pre>
 * Implementation overview
 *
 *   init:   plain stores of every field, then STATE := IDLE(epoch) (volatile), then the receive
 *           point: cleared, member 0 = the thread, WAITERS bit 0, and OWNER := id (volatile) last:
 *           from that store on the id is addressable (resolve compares OWNER with the id)
 *   kill:   OWNER := NIL under the point's lock (new IPC naming it: STALE_ID); then STATE := DEAD
 *           by CAS from whatever it is, waiting while a partner is mid-copy (CLAIMED, TAKEN: that
 *           partner finishes without blocking); then unlink it from a queue it was in, leave its
 *           endpoints, wake it. Partners blocked on it see PEER_DEAD at their next check.
 *   kill now (a dead process's port): the same without the wait; nobody will finish the copy.
 *   rescue (a dead process's half-done copy into or out of one of our ports): CAS CLAIMED or
 *           TAKEN -> IDLE first, so that a copier that was only slow fails its own publishing CAS
 *           instead of racing our STATUS; then STATUS := PEER_DEAD and CAS IDLE -> DELIVERED or
 *           DONE; then wake the owner.
 * </pre>
 *
 * Each CAS here names its row of TcbDescriptor's table "who may move a TCB out of each state":
 * the kernel's and the survivor's rows. These are the only places where anyone but the owner or
 * its IPC partner moves a TCB's state.
 *
 * <p>Thread-safe: called by the kernel's management code (under its management lock) and by the
 * thread that handles a peer process's death. Every change that can race with an IPC thread or
 * with another caller here is a CAS, or is made under the receive point's lock; initPort,
 * openEndpoint and clearAll write ports that nobody can address yet (OWNER is published last).
 */
final class PortLifecycle {

  private final Rendezvous table;
  private final SenderQueue queue;
  private final MemorySegment tcbs;
  private final MemorySegment rps;
  private final int maxThreads;
  private final int maxEndpoints;
  private final Rows rows;

  PortLifecycle(Rendezvous table, SenderQueue queue) {
    this.table = table;
    this.queue = queue;
    this.tcbs = table.tcbs;
    this.rps = table.rps;
    this.maxThreads = table.maxThreads;
    this.maxEndpoints = table.maxEndpoints;
    this.rows = table.rows;
  }

  private long tcbOffset(int i) {
    return table.tcbOffset(i);
  }

  private static long rpOffset(int rp) {
    return Rendezvous.rpOffset(rp);
  }

  // --- a thread's port ------------------------------------------------------------------------

  /** Whether slot {@code i} may take a new thread: no sender is still queued at its point. */
  boolean portReusable(int i) {
    return !rows.has(i) || ReceivePointDescriptor.lengthVolatile(rps, rpOffset(i)) == 0;
  }

  /** The epoch slot {@code i}'s state word has reached (epochs continue across occupants). */
  long portEpoch(int i) {
    return rows.has(i) ? epoch(stateVolatile(tcbs, tcbOffset(i))) : 0;
  }

  /** The id in port {@code i}'s ID field. */
  long portId(int i) {
    return rows.has(i) ? idVolatile(tcbs, tcbOffset(i)) : ThreadId.NIL;
  }

  /**
   * Makes slot {@code i} the port of thread {@code id}: IDLE with {@code epoch}, empty queue,
   * member 0 of its own receive point. Publishing OWNER last makes the id addressable.
   */
  void initPort(int i, long id, long epoch) {
    rows.ensure(i); // a no-op after reserveThreadRow
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
    // Table rows FREE -> IDLE and DEAD -> IDLE, by the kernel: a store, nobody else can move it.
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
   *
   * <p>The wait for a copy is bounded: a copy still in flight {@link PortWait#STRANDED_GRACE_NANOS}
   * after the wait began is stranded (a peer process stopped mid-copy, or one that wrote CLAIMED
   * or TAKEN into this row), and the port goes DEAD under it, as an owner gives up a stranded
   * copy (PortWait.checkStranded): the late copier's CAS then fails and it learns so. Unbounded,
   * a hostile peer could hang the close of any thread with a port in its link.
   */
  void killPort(int i, int[] endpointRps) {
    final MemorySegment s = tcbs;
    final long to = tcbOffset(i);
    closePoint(rpOffset(i));
    int spins = 0;
    long since = 0;
    while (true) {
      final long st = stateVolatile(s, to);
      final int code = code(st);
      if (code == DEAD) {
        break;
      }
      if ((code == CLAIMED || code == TAKEN) && !copyStranded(since)) {
        if (++spins > 100) {
          since = since == 0 ? System.nanoTime() : since;
          Thread.yield();
        } else {
          Thread.onSpinWait();
        }
        continue;
      }
      // Table rows "any state but CLAIMED, TAKEN -> DEAD, by the kernel", and CLAIMED, TAKEN -> DEAD
      // "by the kernel, ending the owner", once the copy is stranded.
      if (casState(s, to, st, state(epoch(st), DEAD))) {
        break;
      }
    }
    queue.unlinkDead(i, maxThreads + maxEndpoints);
    for (int rp : endpointRps) {
      queue.leave(rp, i);
    }
    table.wakeIfSleeping(i, to);
  }

  /** Whether a copy waited for since {@code since} (0: not yet timed) has outlived the grace. */
  private static boolean copyStranded(long since) {
    return since != 0 && System.nanoTime() - since > PortWait.STRANDED_GRACE_NANOS;
  }

  /**
   * Kills port {@code i} of a dead process: like {@link #killPort} but without waiting for a
   * copy its own (dead) threads left half done.
   */
  void killPortNow(int i) {
    final long to = tcbOffset(i);
    closePoint(rpOffset(i));
    long st;
    do {
      st = stateVolatile(tcbs, to);
      // Table rows "-> DEAD, by the kernel", and CLAIMED, TAKEN -> DEAD "by the survivor, when
      // the owner's process died".
    } while (code(st) != DEAD && !casState(tcbs, to, st, state(epoch(st), DEAD)));
    queue.unlinkDead(i, maxThreads + maxEndpoints);
  }

  /** OWNER := NIL under the point's lock: its id is stale from now on, for senders and waiters alike. */
  private void closePoint(long rpOff) {
    queue.lock(rpOff);
    ReceivePointDescriptor.setOwnerVolatile(rps, rpOff, ThreadId.NIL);
    queue.unlock(rpOff);
  }

  // --- endpoints ------------------------------------------------------------------------------

  /** Makes endpoint slot {@code slot} the receive point of endpoint {@code id}. */
  void openEndpoint(int slot, long id) {
    rows.ensure(maxThreads + slot); // a no-op after reserveEndpointRow
    final long rpOff = rpOffset(maxThreads + slot);
    ReceivePointDescriptor.clearPlain(rps, rpOff);
    ReceivePointDescriptor.setOwnerVolatile(rps, rpOff, id);
  }

  /** Whether endpoint slot {@code slot} may be reused: nobody is queued at it. */
  boolean endpointReusable(int slot) {
    return !rows.has(maxThreads + slot) || ReceivePointDescriptor.lengthVolatile(rps, rpOffset(maxThreads + slot)) == 0;
  }

  /** Closes endpoint slot {@code slot}: its id becomes stale; waiters and queued senders notice. */
  void closeEndpoint(int slot) {
    closePoint(rpOffset(maxThreads + slot));
  }

  /** The owner id of endpoint slot {@code j}, 0 if closed. */
  long endpointOwner(int j) {
    return rows.has(maxThreads + j) ? ReceivePointDescriptor.ownerVolatile(rps, rpOffset(maxThreads + j)) : ThreadId.NIL;
  }

  // --- the whole table ------------------------------------------------------------------------

  /** Resets every receive point this table has to empty (a new table, before it is shared). */
  void clearAll() {
    for (int i = 0; i < maxThreads + maxEndpoints; i++) {
      if (rows.has(i)) {
        ReceivePointDescriptor.clearPlain(rps, rpOffset(i));
      }
    }
  }

  /** Wakes every sleeping thread so that it re-checks its partner (after a death). */
  void wakeAllSleepers() {
    for (int i = 0; i < maxThreads; i++) {
      if (rows.has(i)) {
        table.wakeIfSleeping(i, tcbOffset(i));
      }
    }
  }

  // --- a dead peer process (see Link.markSpaceDead) -------------------------------------------

  /** Releases every lock held by {@code side}, whose process has died. */
  void breakLocks(int side) {
    for (int i = 0; i < maxThreads + maxEndpoints; i++) {
      if (rows.has(i)) {
        ReceivePointDescriptor.breakLock(rps, rpOffset(i), side);
      }
    }
  }

  /**
   * Completes, with PEER_DEAD, the copies into or out of this side's ports that a thread of dead
   * space {@code space} left half done: CLAIMED ports become DELIVERED, TAKEN ones DONE. A copy
   * whose partner is known to be in the dead space is completed at once; one whose partner is
   * unknown (an open receive) only when {@code force}. Returns whether any remain.
   */
  boolean rescueStrandedCopies(int space, boolean force) {
    boolean remaining = false;
    for (int i = 0; i < maxThreads; i++) {
      if (!rows.has(i)) {
        continue;
      }
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
      // Table rows CLAIMED, TAKEN -> IDLE, by a survivor when the copier's process died.
      if (casState(tcbs, to, st, held)) {
        setIntPlain(tcbs, to, STATUS_OFFSET, code == CLAIMED || call ? Status.receive(Status.PEER_DEAD) : Status.send(Status.PEER_DEAD));
        // Table row IDLE -> DELIVERED or DONE, by a survivor, from the IDLE it has just set.
        casState(tcbs, to, held, state(epoch(st), code == CLAIMED ? DELIVERED : DONE));
        table.wakeIfSleeping(i, to);
      }
    }
    return remaining;
  }

  // --- the state query ------------------------------------------------------------------------

  /** What port {@code i} (of thread {@code id}) is doing; a consistent snapshot. */
  IpcState ipcState(int i, long id) {
    if (!rows.has(i)) {
      return new IpcState(IpcState.Kind.DEAD, ThreadId.NIL, ThreadId.NIL); // no port here
    }
    final long to = tcbOffset(i);
    while (true) {
      final long st = stateVolatile(tcbs, to);
      final long partner = getLongVolatile(tcbs, to, PARTNER_OFFSET);
      final int rp = getIntVolatile(tcbs, to, WAIT_RP_OFFSET);
      final boolean current = idVolatile(tcbs, to) == id;
      if (stateVolatile(tcbs, to) != st) {
        continue;
      }
      final long endpoint = rp >= maxThreads && rp < maxThreads + maxEndpoints && rows.has(rp)
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
}
