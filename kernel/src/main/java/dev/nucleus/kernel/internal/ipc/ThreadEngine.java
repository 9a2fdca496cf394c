package dev.nucleus.kernel.internal.ipc;

import static dev.nucleus.kernel.internal.layout.TcbDescriptor.*;

import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.kernel.internal.layout.TcbDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine half of an IPC thread: the owner's private IPC state and the logical operations of
 * L4 (send, receive, wait, call, reply, replyWait, notify) composed from the phases of
 * {@link Rendezvous}. The public {@code IpcThread} handle holds one and delegates to it after its
 * own checks (owner thread, closed handle), so that no engine state is reachable from the API.
 *
 * <p>Results are {@link Status} codes, as the public operations document them; nothing here
 * allocates or takes a lock on the paths where the partner is already waiting.
 *
 * <p>Not thread-safe: every method except {@link #abort()} runs on the owner thread. The fields
 * marked owner-only are read and written by that thread alone; {@link #ended} is written by the
 * kernel (volatile).
 */
public final class ThreadEngine {

  /** The tables of this thread's space and the routes to its partners. */
  final SpaceTables space;
  /**
   * The table this thread does IPC in now, whose port holds its registers: home, or the table of
   * a link to a process space (see {@link #moveTo}). Owner-only.
   */
  Rendezvous rv;
  /** Thread slot: the index of its TCB and of its own receive point in every table. */
  public final int index;
  /** Offset of its TCB in every table (tables share the stride). */
  final long tcb;
  public final long id;
  final WaitStrategy strategy;
  /** {@code rv.tcbs}. Owner-only. */
  private MemorySegment tcbs;
  private final int mrCount;
  private final int spaceNumber;
  /** Set by the kernel when this thread ends (exit, space end, kernel close). */
  volatile boolean ended;

  // Owner-only state (no synchronization: only the owner thread reads or writes these).
  /** Epoch of the current or last IPC; the epoch of every state this IPC sets. */
  long epoch;
  /** This TCB's STATE as this thread last set or saw it: what its next own CAS expects. */
  long expect;
  /** Epoch of the partner TCB won by the last claim. */
  long claimedEpoch;
  /** Whether receives also complete with pending notifications. */
  boolean acceptNotify;
  /** The id that must still own the receive point of the current receive (own id or endpoint id). */
  long waitOwner;
  /** Where this thread waits or is queued, and its member bit there: private copies of WAIT_RP and WAIT_BIT. */
  int waitRp = -1;
  int waitBit;
  private EndpointPort cachedEndpoint;
  private int cachedBit;
  /** The endpoints this thread has joined (the kernel leaves them when the thread ends). */
  final List<EndpointPort> joined = new ArrayList<>(2);
  /** The table of the last message received: where the reply capability (REPLY_TO) is. */
  private Rendezvous replyTable;
  /** The set of tables of an open receive waiting in one table (see EngineCodes.RESTART); else null. */
  Rendezvous[] openTables;
  /** The open receive over several tables, made for the space's current set; null until needed. */
  private PortSet portSet;
  /** The wait of this thread's IPC in one table (see Rendezvous#await); reused by every IPC. */
  final PortWait portWait = new PortWait(this);
  /**
   * A caller answered by replyWait that was asleep, and the table it is in: woken once this
   * thread's receive has published RECEIVING (see {@link #wakeAnsweredCaller}); null when none.
   */
  Rendezvous answeredTable;
  int answeredCaller;

  ThreadEngine(SpaceTables space, int index, long id, long epoch, WaitStrategy strategy) {
    this.space = space;
    this.rv = space.tables()[0];
    this.index = index;
    this.tcb = rv.tcbOffset(index);
    this.id = id;
    this.epoch = epoch;
    this.strategy = strategy;
    this.tcbs = rv.tcbs;
    this.replyTable = rv;
    this.mrCount = rv.mrCount;
    this.spaceNumber = space.number();
  }

  /** Number of message registers, MR0 (the tag) included. */
  public int messageRegisters() {
    return mrCount;
  }

  /** The wait strategy this thread was created with. */
  public WaitStrategy waitStrategy() {
    return strategy;
  }

  // --- the UTCB ---------------------------------------------------------------------------

  /** MR0, the message tag. */
  public long tag() {
    return getLongPlain(tcbs, tcb, MR0_OFFSET);
  }

  /** Sets MR0, the message tag (see {@link MessageTag}). */
  public void setTag(long tag) {
    setLongPlain(tcbs, tcb, MR0_OFFSET, tag);
  }

  /** Message register {@code i} (0 is the tag). */
  public long mr(int i) {
    return getLongPlain(tcbs, tcb, mrOffset(checkRegister(i)));
  }

  /** Sets message register {@code i} (0 is the tag). */
  public void setMr(int i, long value) {
    setLongPlain(tcbs, tcb, mrOffset(checkRegister(i)), value);
  }

  private int checkRegister(int i) {
    if (i < 0 || i >= mrCount) {
      throw new IndexOutOfBoundsException("message register " + i + " outside MR0..MR" + (mrCount - 1));
    }
    return i;
  }

  /** The kernel-stamped id of the sender of the last message received (NIL for a notification). */
  public long sender() {
    return getLongPlain(tcbs, tcb, SENDER_OFFSET);
  }

  /** The pid of the process the last message received came from: 0 for this process. */
  public long senderPid() {
    return replyTable.peerPid();
  }

  /** Whether the last message received was a call that has not been replied to yet. */
  public boolean canReply() {
    return getLongPlain(replyTable.tcbs, tcb, REPLY_TO_OFFSET) != ThreadId.NIL;
  }

  // --- IPC ----------------------------------------------------------------------------------

  /**
   * Sends the message in the registers to thread or endpoint {@code to}. Blocks until a receiver
   * takes it or {@code timeout} expires. Errors (send phase): TIMEOUT, NO_PARTNER (zero timeout,
   * nobody waiting: the message is dropped and the drop reported), INVALID_ID, STALE_ID,
   * NOT_PERMITTED (no channel), MSG_TOO_LONG, PEER_DEAD, ABORTED, INVALID_ARGUMENT, CLOSED.
   */
  public int send(long to, long timeout) {
    if (!Timeout.isValid(timeout)) {
      return Status.send(Status.INVALID_ARGUMENT);
    }
    final int rp = beginSend(to);
    if (rp < 0) {
      return -rp;
    }
    final long deadline = Timeout.deadline(timeout);
    final int status = rv.sendPhase(this, rp, to, timeout, false);
    if (status == EngineCodes.QUEUED) {
      return rv.await(this, deadline, Timeout.NEVER, Status.SEND_PHASE);
    }
    if (status == EngineCodes.QUEUED_AT_POLLER) {
      return noPartnerIfTimedOut(rv.await(this, pollerDeadline(), Timeout.NEVER, Status.SEND_PHASE));
    }
    return status;
  }

  /** How long a zero-timeout send queued at a POLLING receiver waits for it to take the message. */
  private static long pollerDeadline() {
    return Timeout.now() + Rendezvous.POLL_PATIENCE_NANOS;
  }

  /** A zero-timeout send that a POLLING receiver did not take in time was not delivered: NO_PARTNER. */
  private static int noPartnerIfTimedOut(int status) {
    return status == Status.send(Status.TIMEOUT) ? Status.send(Status.NO_PARTNER) : status;
  }

  /**
   * Starts an IPC whose first phase sends to {@code to}: moves to the table that reaches it,
   * with the message, and returns its receive point there, or a negative send-phase status.
   */
  private int beginSend(long to) {
    final Rendezvous t = space.route(ThreadId.space(to));
    if (t != rv) {
      moveTo(t, true);
    }
    final int begun = begin();
    if (begun != Status.OK) {
      return -Status.send(begun);
    }
    final int rp = rv.resolve(spaceNumber, to);
    return rp < 0 ? -Status.send(-rp) : rp;
  }

  /**
   * Calls {@code to}: sends the request in the registers, then waits for the reply, which
   * replaces the registers. A failure says its phase: SEND (the request was not delivered) or
   * RECEIVE (delivered, but no reply: PEER_DEAD, TIMEOUT, ABORTED, CLOSED).
   */
  public int call(long to, long sendTimeout, long receiveTimeout) {
    if (!Timeout.isValid(sendTimeout)) {
      return Status.send(Status.INVALID_ARGUMENT);
    }
    if (!Timeout.isValid(receiveTimeout)) {
      return Status.send(Status.INVALID_ARGUMENT); // found before the send: nothing was delivered
    }
    final int rp = beginSend(to);
    if (rp < 0) {
      return -rp;
    }
    final long deadline = Timeout.deadline(sendTimeout);
    final int status = rv.sendPhase(this, rp, to, sendTimeout, true);
    if (status == Status.OK || status == EngineCodes.QUEUED) {
      // Once delivered (OK), an end of this thread fails the receive phase.
      return rv.await(this, deadline, receiveTimeout, status == Status.OK ? Status.RECEIVE_PHASE : Status.SEND_PHASE);
    }
    if (status == EngineCodes.QUEUED_AT_POLLER) {
      return noPartnerIfTimedOut(rv.await(this, pollerDeadline(), receiveTimeout, Status.SEND_PHASE));
    }
    return status;
  }

  /** {@link #call(long, long, long)} with both timeouts NEVER. */
  public int call(long to) {
    return call(to, Timeout.NEVER, Timeout.NEVER);
  }

  /**
   * Closed receive: waits for a message from thread {@code from} only ({@link ThreadId#ANY}:
   * open). Errors (receive phase): TIMEOUT, NO_PARTNER (zero timeout), INVALID_ID, STALE_ID (from
   * has gone), PEER_DEAD (it died while we waited), NOT_PERMITTED, ABORTED, INVALID_ARGUMENT,
   * CLOSED. A handler may receive from its interrupt's id (the kernel space reaches every space).
   */
  public int receive(long from, long timeout) {
    if (!Timeout.isValid(timeout)) {
      return Status.receive(Status.INVALID_ARGUMENT);
    }
    if (from == ThreadId.ANY) {
      return waitAny(timeout);
    }
    if (ThreadId.isEndpoint(from)) {
      return Status.receive(Status.INVALID_ID);
    }
    final Rendezvous t = space.route(ThreadId.space(from));
    if (t != rv) {
      moveTo(t, false);
    }
    final int begun = begin();
    if (begun != Status.OK) {
      return Status.receive(begun);
    }
    final int rp = rv.resolveSource(spaceNumber, from);
    if (rp < 0) {
      return Status.receive(-rp);
    }
    waitOwner = id;
    final int status = rv.receivePhase(this, index, 0, from, timeout);
    final int result = status == EngineCodes.QUEUED ? rv.await(this, Long.MAX_VALUE, timeout, Status.RECEIVE_PHASE) : status;
    return result == Status.OK ? received() : result;
  }

  /**
   * Open receive at this thread's own id: waits for a message from any thread (L4's
   * {@code L4_Wait}; named so because {@code Object.wait(long)} is final). Same as
   * {@code receive(ThreadId.ANY, timeout)}.
   */
  public int waitAny(long timeout) {
    if (!Timeout.isValid(timeout)) {
      return Status.receive(Status.INVALID_ARGUMENT);
    }
    final int begun = begin();
    if (begun != Status.OK) {
      return Status.receive(begun);
    }
    return receiveOpen(index, 0, id, timeout);
  }

  /**
   * Open receive at {@code endpoint}, which must belong to this thread's space (else
   * NOT_PERMITTED) and be open (else STALE_ID). Up to 64 threads may wait on one endpoint; a
   * message goes to one of them.
   */
  public int receiveAt(EndpointPort endpoint, long timeout) {
    final int bit = beginAt(endpoint, timeout);
    return bit < 0 ? -bit : receiveOpen(endpoint.rp, bit, endpoint.id, timeout);
  }

  /**
   * Starts an IPC whose receive phase waits at {@code endpoint}: this thread's member bit there,
   * or a negative receive-phase status (bad timeout, thread ended, endpoint not ours or closed).
   */
  private int beginAt(EndpointPort endpoint, long timeout) {
    if (!Timeout.isValid(timeout)) {
      return -Status.receive(Status.INVALID_ARGUMENT);
    }
    final int begun = begin();
    if (begun != Status.OK) {
      return -Status.receive(begun);
    }
    final int bit = memberBit(endpoint);
    return bit < 0 ? -Status.receive(-bit) : bit;
  }

  /**
   * The open receive at point {@code rp} (-1: notifications only), owned by {@code owner}, after
   * {@link #begin()}; in a replyWait, after the reply, with this thread ANSWERING. In a space
   * with one table, one receive phase there; with several, a {@link PortSet} over all of them.
   * Either starts again over the new set when the space's tables change meanwhile.
   */
  private int receiveOpen(int rp, int bit, long owner, long relativeOrAbsolute) {
    waitOwner = owner;
    final long timeout = Timeout.absolute(relativeOrAbsolute); // a restart must not extend it
    final Rendezvous[] set = space.tables();
    if (set.length == 1 && set[0] == rv) {
      openTables = set;
      final int result = receiveHere(rp, bit, timeout);
      openTables = null;
      if (result != EngineCodes.RESTART) {
        return result == Status.OK ? received() : result;
      }
    }
    return receiveOpenSlow(rp, bit, timeout);
  }

  /** The single-table open receive in {@link #rv}; the own state may be ANSWERING. */
  private int receiveHere(int rp, int bit, long timeout) {
    final int status;
    if (rp < 0) {
      setLongPlain(tcbs, tcb, PARTNER_OFFSET, ThreadId.NIL);
      rv.setWaitPoint(this, -1, 0);
      // Table row IDLE (DELIVERED, DONE, ANSWERING) -> RECEIVING, by the owner (TcbDescriptor).
      status = rv.casOwnState(this, state(epoch, RECEIVING)) ? EngineCodes.QUEUED : Status.receive(Rendezvous.ownStateLost(this));
    } else {
      status = rv.receivePhase(this, rp, bit, ThreadId.ANY, timeout);
    }
    wakeAnsweredCaller(); // RECEIVING is published, or the receive is over
    final int result = status == EngineCodes.QUEUED ? rv.await(this, Long.MAX_VALUE, timeout, Status.RECEIVE_PHASE) : status;
    rv.endAnswering(this); // a receive that completed without publishing RECEIVING
    return result;
  }

  /** {@link #receiveOpen} over a set of tables that is not just the current one, or has changed. */
  private int receiveOpenSlow(int rp, int bit, long timeout) {
    wakeAnsweredCaller(); // before any table change; the receive over several tables may take a while
    while (true) {
      resync(); // after a restart the port is IDLE again
      final Rendezvous[] set = space.tables();
      final int result;
      if (set.length == 1) {
        if (set[0] != rv) {
          rv.endAnswering(this);
          moveTo(set[0], false);
          resync();
        }
        openTables = set;
        result = receiveHere(rp, bit, timeout);
        openTables = null;
      } else {
        PortSet ports = portSet;
        if (ports == null || ports.tables != set) {
          ports = portSet = new PortSet(this, set);
        }
        // Claimable where this thread did IPC last: the table of its reply, or of the last message.
        int claimable = 0;
        for (int i = 0; i < set.length; i++) {
          if (set[i] == rv) {
            claimable = i;
          }
        }
        result = ports.receive(rp, bit, Timeout.deadline(timeout), timeout == Timeout.ZERO, claimable);
        if (result != EngineCodes.RESTART && ports.servedThisTime()) {
          moveTo(ports.served(), false);
          expect = ports.servedState();
          epoch = epoch(expect);
        } else {
          resync();
        }
      }
      if (result != EngineCodes.RESTART) {
        return result == Status.OK ? received() : result;
      }
    }
  }

  /**
   * Wakes the caller that this thread's replyWait answered, if that caller was asleep. The wake
   * waits until the receive of the replyWait has published RECEIVING (or completed without it):
   * a caller woken earlier would often call again while this thread is still ANSWERING, and where
   * both share one CPU it would spin there, holding the CPU this thread needs to get on, until it
   * gave up and queued. Nothing blocks between the reply and this wake.
   */
  private void wakeAnsweredCaller() {
    final Rendezvous table = answeredTable;
    if (table != null) {
      answeredTable = null;
      table.wakeIfSleeping(answeredCaller, table.tcbOffset(answeredCaller));
    }
  }

  /**
   * Replies to the last call received, with the message in the registers. Never blocks: if the
   * caller is no longer waiting (it timed out, was aborted, or was answered) the reply fails
   * with NO_PARTNER, or STALE_ID if the caller's thread has gone. Without a call to answer:
   * NO_PARTNER. The reply capability is used up by any attempt that gets as far as the caller;
   * a reply rejected for MSG_TOO_LONG keeps it, so that a corrected reply can follow.
   */
  public int reply() {
    if (!isCurrent()) {
      return Status.send(Status.CLOSED);
    }
    if (replyTable != rv) {
      moveTo(replyTable, true);
    }
    final int c = rv.claimCaller(this);
    if (c < 0) {
      return -c;
    }
    return rv.releaseCaller(this, c, false) ? Status.OK : Status.send(Status.NO_PARTNER);
  }

  /** Replies to the last call (if any) and waits at this thread's own id. */
  public int replyWait(long timeout) {
    if (!Timeout.isValid(timeout)) {
      return Status.receive(Status.INVALID_ARGUMENT);
    }
    final int begun = begin();
    if (begun != Status.OK) {
      return Status.receive(begun);
    }
    return replyWaitAt(index, 0, id, timeout);
  }

  /**
   * Replies to the last call and waits at {@code endpoint}, as one operation: the server is
   * receiving again before the caller resumes. If there is no call to answer, only waits. If the
   * reply fails, returns that send-phase status at once without waiting, so the server is never
   * stuck on a dead or impatient client.
   */
  public int replyWaitAt(EndpointPort endpoint, long timeout) {
    final int bit = beginAt(endpoint, timeout);
    return bit < 0 ? -bit : replyWaitAt(endpoint.rp, bit, endpoint.id, timeout);
  }

  private int replyWaitAt(int rp, int bit, long owner, long timeout) {
    if (getLongPlain(replyTable.tcbs, tcb, REPLY_TO_OFFSET) == ThreadId.NIL) {
      return receiveOpen(rp, bit, owner, timeout);
    }
    if (replyTable != rv) {
      moveTo(replyTable, true);
      resync();
    }
    // ANSWERING first: a caller released by this reply that calls again finds this thread about
    // to receive, and waits for it rather than queueing (see TcbDescriptor.ANSWERING).
    // Table row IDLE (DELIVERED, DONE) -> ANSWERING, by the owner: its IPC's first CAS.
    if (!rv.casOwnState(this, TcbDescriptor.state(epoch, TcbDescriptor.ANSWERING))) {
      return Status.receive(Rendezvous.ownStateLost(this));
    }
    final int c = rv.claimCaller(this);
    if (c < 0) {
      rv.endAnswering(this);
      return -c;
    }
    // False only if the caller gave up a stranded reply: serve on. A sleeping caller is woken
    // when the receive below is under way, not now (see wakeAnsweredCaller).
    rv.releaseCaller(this, c, true);
    return receiveOpen(rp, bit, owner, timeout);
  }

  // --- notifications ------------------------------------------------------------------------

  /**
   * ORs {@code bits} into thread {@code to}'s notification word. Never blocks. If {@code to} is
   * waiting for notifications (or receiving with notifications accepted) and a bit it accepts is
   * set, it wakes. Errors (send phase): INVALID_ID (also for endpoints), STALE_ID, NOT_PERMITTED,
   * CLOSED. Thread-safe with respect to the receiver; must be called by this thread's owner.
   */
  public int notify(long to, long bits) {
    if (!isCurrent()) {
      return Status.send(Status.CLOSED);
    }
    if (ThreadId.isEndpoint(to)) {
      return Status.send(Status.INVALID_ID);
    }
    final Rendezvous t = space.route(ThreadId.space(to));
    final int rp = t.resolve(spaceNumber, to);
    if (rp < 0) {
      return Status.send(-rp);
    }
    t.notify(rp, bits);
    return Status.OK;
  }

  /** Takes and returns the pending notification bits this thread accepts (0 if none). Never blocks. */
  public long pollNotifications() {
    long bits = 0;
    for (Rendezvous t : space.tables()) { // notifiers in each table OR into this thread's port there
      bits |= TcbDescriptor.takeNotifyBits(t.tcbs, tcb, getLongPlain(t.tcbs, tcb, NOTIFY_MASK_OFFSET));
    }
    return bits;
  }

  /**
   * Waits until a notification this thread accepts is pending, takes it, and returns OK with the
   * bits in MR1 and the tag labelled {@link MessageTag#NOTIFICATION_LABEL}. Errors (receive
   * phase): TIMEOUT, NO_PARTNER (zero timeout, none pending), ABORTED, CLOSED.
   */
  public int waitNotifications(long timeout) {
    if (!Timeout.isValid(timeout)) {
      return Status.receive(Status.INVALID_ARGUMENT);
    }
    final int begun = begin();
    if (begun != Status.OK) {
      return Status.receive(begun);
    }
    if (takePendingNotification()) {
      return Status.OK;
    }
    if (timeout == Timeout.ZERO) {
      return Status.receive(Status.NO_PARTNER);
    }
    final boolean accepted = acceptNotify;
    acceptNotify = true;
    try {
      return receiveOpen(-1, 0, ThreadId.NIL, timeout);
    } finally {
      acceptNotify = accepted;
    }
  }

  /** Takes a pending accepted notification from any table into the registers; whether there was one. */
  private boolean takePendingNotification() {
    for (Rendezvous t : space.tables()) {
      if (t.takeNotification(this)) {
        if (t != rv) {
          moveTo(t, false);
          resync();
        }
        received();
        return true;
      }
    }
    return false;
  }

  /**
   * Sets which notification bits this thread accepts (all by default). Masked bits stay pending,
   * do not wake the thread, and are delivered once unmasked.
   */
  public void setNotificationMask(long mask) {
    synchronized (space.managementLock()) { // not while a channel table is being added with a copy of the mask
      for (Rendezvous t : space.tables()) {
        t.setNotificationMask(index, mask);
      }
    }
  }

  /** The accepted notification bits. */
  public long notificationMask() {
    return space.tables()[0].notificationMask(index);
  }

  /**
   * Whether {@link #waitAny}, {@link #receiveAt}, {@link #receive} and {@link #replyWait} also complete with a pending
   * accepted notification (seL4's bound notification). When both a notification and a sender
   * are pending, the notification is delivered first; the sender stays queued.
   */
  public void acceptNotifications(boolean accept) {
    this.acceptNotify = accept;
  }

  // --- control ------------------------------------------------------------------------------

  /**
   * Aborts this thread's IPC in progress, if any: it returns ABORTED, in the phase it was in.
   * No effect, and nothing remembered, if the thread is not in an IPC. Thread-safe; callable
   * from any thread.
   */
  public void abort() {
    // The IPC in progress is in one table, or an open receive in all of them. Every state is read
    // before any abort is marked: the first mark may end the IPC at once, and the thread's next
    // IPC, begun in a table not read yet, must not be taken for it.
    final Rendezvous[] tables = space.tables();
    final long[] states = new long[tables.length];
    for (int i = 0; i < tables.length; i++) {
      states[i] = tables[i].portState(index);
    }
    for (int i = 0; i < tables.length; i++) {
      tables[i].abort(index, states[i]);
    }
  }

  // --- internals ------------------------------------------------------------------------------

  /** Whether this thread still lives (not exited, space not ended). */
  private boolean isCurrent() {
    return !ended;
  }

  /**
   * Starts an IPC: a new epoch, taken effect by the IPC's first own-state transition (no store
   * here). Returns 0, or CLOSED if this thread has ended (known privately, never from shared
   * memory).
   */
  private int begin() {
    if (ended) {
      return Status.CLOSED;
    }
    final long st = stateAcquire(tcbs, tcb);
    if (code(st) == DEAD) {
      // Ended between the check above and this read (the kernel sets ended, then DEAD): this IPC
      // must not start from DEAD, which only the kernel leaves (the SPIN model's finding 1).
      return Rendezvous.ownStateLost(this);
    }
    epoch = epoch(st) + 1;
    expect = st; // the first transition of this IPC moves from here (see Rendezvous.casOwnState)
    return Status.OK;
  }

  /** Takes the state of the port in {@link #rv} as it is (after moving there mid-IPC). */
  private void resync() {
    final long st = stateAcquire(tcbs, tcb);
    if (code(st) == IDLE || code(st) == DELIVERED || code(st) == DONE) {
      epoch = epoch(st) + 1;
    } else {
      epoch = epoch(st);
    }
    expect = st;
  }

  /**
   * Makes {@code t} the table this thread does IPC in. {@code carry}: the message in the
   * registers (the tag and its words) comes along, for a send or a reply from there.
   */
  private void moveTo(Rendezvous t, boolean carry) {
    if (carry) {
      final long tag = getLongPlain(tcbs, tcb, MR0_OFFSET);
      TcbDescriptor.copyRegistersPlain(tcbs, t.tcbs, tcb, tag, Math.min(MessageTag.words(tag), mrCount - 1));
    }
    rv = t;
    tcbs = t.tcbs;
  }

  /**
   * After a message (or notification) arrived in {@link #rv}: the reply capability is this
   * message's, so an older one in another table is dropped (replies are one-shot, for the last
   * call received). Returns OK, or PROTOCOL_ERROR if the message claims a sender that cannot
   * send in this table (a peer process forging an id; see {@link Rendezvous#senderSpace}): then
   * the message and its reply capability are dropped.
   */
  private int received() {
    final Rendezvous t = rv;
    if (replyTable != t) {
      setLongPlain(replyTable.tcbs, tcb, REPLY_TO_OFFSET, ThreadId.NIL);
      replyTable = t;
    }
    final int from = t.senderSpace;
    if (from >= 0) {
      final long sender = getLongPlain(tcbs, tcb, SENDER_OFFSET);
      if (sender != ThreadId.NIL && (!ThreadId.isWellFormed(sender) || ThreadId.space(sender) != from)) {
        setLongPlain(tcbs, tcb, REPLY_TO_OFFSET, ThreadId.NIL);
        return Status.receive(Status.PROTOCOL_ERROR);
      }
    }
    return Status.OK;
  }

  private int memberBit(EndpointPort endpoint) {
    if (endpoint == cachedEndpoint && endpoint.isOpen()) {
      return cachedBit;
    }
    if (endpoint.space != space) {
      return -Status.NOT_PERMITTED;
    }
    if (!endpoint.isOpen()) {
      return -Status.STALE_ID;
    }
    final int bit = space.join(endpoint.rp, index);
    if (bit < 0) {
      return -Status.NOT_PERMITTED; // all 64 member slots taken
    }
    joined.add(endpoint);
    cachedEndpoint = endpoint;
    cachedBit = bit;
    return bit;
  }


}
