package dev.nucleus.kernel.internal.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Layout of a thread control block (TCB): the IPC state of one thread and its UTCB (message
 * registers), in shared memory. A table of them, {@link #stride(int)} bytes apart, lives in one
 * segment; a thread's record starts at {@code index * stride}.
 *
 * <pre>
 *  line 0: the rendezvous line. Everything a null or one-word IPC reads or writes in a partner's
 *  TCB is here, so that the hand-off costs one cache-line transfer each way.
 *   0  STATE       long  {@code epoch << 8 | code}; owner publishes, partners CAS
 *   8  SENDER      long  stamped sender id of the last delivered message
 *  16  MR0 = tag   long
 *  24  MR1         long
 *  32  PARTNER     long  send destination / receive source (ANY for open) / reply partner
 *  40  REPLY_TO    long  caller id of the call being served (the one-shot reply capability); 0 none
 *  48  REPLY_EPOCH long  epoch of that call; the reply must find the caller still in it
 *  56  STATUS      int   completion status, written by the partner before DELIVERED/DONE
 *  60  SLEEPING    int   1 while the owner is, or is about to be, asleep (the futex word)
 *  line 1: control, written rarely
 *  64  ABORT_EPOCH long  an abort request for the IPC with this epoch
 *  72  ID          long  the id of the thread in this slot
 *  80  WAIT_RP     int   receive point waited on (RECEIVING) or queued at (SENDING)
 *  84  WAIT_BIT    int   the owner's bit in that receive point's WAITERS mask
 *  88  FLAGS       int   FLAG_CALL: the queued send is a call
 *  92  Q_NEXT      int   next TCB in the sender queue, -1 none
 *  96  Q_PREV      int   previous TCB in the sender queue, -1 none
 * 100  LINKED_RP   int   receive point whose queue links this TCB, -1 none
 *  line 2: notifications, written by any notifier
 * 128  NOTIFY_BITS long  pending notification bits (ORed in by notify)
 * 136  NOTIFY_MASK long  bits the owner accepts; others stay pending
 *  line 3..: the remaining message registers
 * 192  MR2 .. MR(n-1)
 * </pre>
 *
 * STATE is {@code epoch << 8 | code}. Each IPC of the owner has its own epoch, one more than that
 * of the state it begins in, and a partner changes STATE only by a compare-and-set from the exact
 * word it observed, so an observation made during an earlier IPC never succeeds. Within one IPC a
 * word may recur (RECEIVING, IDLE, RECEIVING again after a retract; RECEIVING, POLLING, RECEIVING
 * in a primary table): a claim from the first RECEIVING that succeeds against the second is valid,
 * since both belong to the same receive, with the same WAIT_RP and PARTNER. Epochs continue across
 * a slot's occupants, because a reply is addressed by index and epoch alone. The owner publishes
 * state with release or volatile stores; others read it with acquire loads and change it only by
 * CAS. Everything a partner writes into the record (SENDER, MRs, STATUS, PARTNER) is written before
 * the releasing store of STATE and read after the acquiring load of it.
 *
 * <p>Who may move a TCB out of each state: the same table as docs/protocol.md, section 4.1. The
 * kernel is whichever thread ends a thread (its own close, the end of its space, the kernel's
 * close); the survivor is the process whose peer died, on the thread that noticed.
 *
 * <pre>
 * | state | who moves it out | to | why |
 * |---|---|---|---|
 * | FREE | the kernel, by plain stores, when it gives the slot to its first thread | IDLE, epoch 1 | initPort: a new port |
 * | IDLE | the owner, by the first CAS of an IPC | SENDING, WAIT_REPLY, RECEIVING, ANSWERING or POLLING, epoch + 1 | casOwnState: only the owner starts IPC on its port, and that CAS is the epoch bump |
 * | IDLE | the owner, later in the same IPC | RECEIVING, same epoch | it retracted to look at the sender queue and publishes again under the lock (5.3 step 4) |
 * | IDLE | a survivor, only from the IDLE it set itself a moment before | DELIVERED or DONE, same epoch | the second half of a rescue (see CLAIMED and TAKEN) |
 * | IDLE | the kernel | DEAD, same epoch | killPort, killPortNow |
 * | RECEIVING | a sender it accepts: WAIT_RP is the point the sender sends to, PARTNER is ANY or the sender's id | CLAIMED, same epoch | the claim: one CAS wins, and the winner alone writes the message (claimWaiter) |
 * | RECEIVING | the owner | IDLE, same epoch | retract: timeout, abort, partner gone, a notification to take, LENGTH found non-zero, its tables changed |
 * | RECEIVING | the owner, in the primary table of a receive over several tables | POLLING, same epoch | unclaimable while it takes a queued sender or notification from another table (5.7) |
 * | RECEIVING | the kernel | DEAD, same epoch | killPort, killPortNow |
 * | CLAIMED | the claimer: the sender that claimed it, or the replier | DELIVERED, same epoch | after writing the message, SENDER, REPLY_TO, REPLY_EPOCH and STATUS (deliver, releaseCaller) |
 * | CLAIMED | the owner, 100 ms past the phase deadline | IDLE (POLLING in a primary table), same epoch | gives up a copy stranded by a stopped claimer, whose later CAS then fails (checkStranded) |
 * | CLAIMED | a survivor, when the claimer's process died | IDLE, then DELIVERED with STATUS PEER_DEAD | completes the copy a dead process left half done (rescueStrandedCopies) |
 * | CLAIMED | the survivor, when the owner's process died | DEAD, same epoch | killPortNow: nobody is left to wait for. killPort waits until the copy ends, at most 100 ms (below) |
 * | CLAIMED | the kernel, ending the owner, when the copy is still in flight 100 ms after it began to wait | DEAD, same epoch | killPort: a stranded copy (a stopped claimer, or a peer that wrote CLAIMED); the late claimer's CAS fails |
 * | DELIVERED | the owner, by the first CAS of its next IPC | as IDLE, epoch + 1 | the owner consumes its result |
 * | DELIVERED | the kernel | DEAD, same epoch | killPort, killPortNow |
 * | SENDING | a receiver at WAIT_RP (its owner or a member), holding that point's LOCK, whose filter accepts the sender's ID, while a channel still joins the two spaces | TAKEN, same epoch | the take; under the lock, so a receiver and the cancelling owner never both win (takeSender) |
 * | SENDING | the owner, holding the same LOCK | IDLE, same epoch | cancel: timeout, abort, destination gone, channel revoked (checkSend) |
 * | SENDING | the kernel | DEAD, same epoch | then it unlinks the entry; until then LENGTH still counts it |
 * | TAKEN | the taker | WAIT_REPLY (FLAGS has CALL) or DONE (after STATUS = OK), same epoch | after copying the message out (transferFrom) |
 * | TAKEN | the owner, 100 ms past its send deadline | IDLE, same epoch | gives up a stranded transfer; the taker's CAS fails and it takes the next sender |
 * | TAKEN | a survivor, when the taker's process died | IDLE, then DONE with STATUS PEER_DEAD | rescueStrandedCopies (RECEIVE phase for a call, SEND phase for a send) |
 * | TAKEN | the survivor, when the owner's process died | DEAD, same epoch | killPortNow |
 * | TAKEN | the kernel, ending the owner, when the copy is still in flight 100 ms after it began to wait | DEAD, same epoch | killPort: a stranded transfer, as for CLAIMED |
 * | WAIT_REPLY | the holder of the reply capability: REPLY_TO is this thread's ID and REPLY_EPOCH this epoch | CLAIMED, same epoch | the reply (claimCaller); one-shot, the replier clears its REPLY_TO first |
 * | WAIT_REPLY | the owner | IDLE, same epoch | timeout, abort, replier gone; or its delivery's last CAS failed (deliver) |
 * | WAIT_REPLY | the kernel | DEAD, same epoch | killPort, killPortNow |
 * | DONE | the owner, by the first CAS of its next IPC | as IDLE, epoch + 1 | the owner consumes its result |
 * | DONE | the kernel | DEAD, same epoch | killPort, killPortNow |
 * | DEAD | nobody; the kernel stores a new port when it reuses the slot (no sender queued at it, the old Java thread gone) | IDLE, epoch + 1 | initPort, at the slot's next version |
 * | ANSWERING | the owner only | RECEIVING (same epoch; epoch + 1 when it publishes in several tables), or IDLE | its receive is published, or its reply failed, or the receive ended without publishing (endAnswering) |
 * | ANSWERING | never a sender | none | a sender waits for RECEIVING: 1024 spins, up to 20 ms for a zero-timeout send, not at all while it holds the lock (the ANSWER modes of claimWaiter) |
 * | ANSWERING | the kernel | DEAD, same epoch | killPort, killPortNow |
 * | POLLING | the owner only | RECEIVING (its primary, claimable again) or IDLE (retract) | never claimed: senders queue and wake it, and it takes them itself (PortSet) |
 * | POLLING | the kernel | DEAD, same epoch | killPort, killPortNow |
 * </pre>
 */
public final class TcbDescriptor {

  // State codes (low 8 bits of STATE).
  public static final int FREE = 0;
  public static final int IDLE = 1;
  /** Waiting on WAIT_RP for a sender matching PARTNER. Senders claim it by CAS. */
  public static final int RECEIVING = 2;
  /** A partner won the claim and is writing the message into this TCB. */
  public static final int CLAIMED = 3;
  /** A message (or a reply) has been written; STATUS holds the outcome. */
  public static final int DELIVERED = 4;
  /** Queued at WAIT_RP with a message in its own registers. Receivers take it by CAS. */
  public static final int SENDING = 5;
  /** A receiver won the take and is copying this TCB's registers. */
  public static final int TAKEN = 6;
  /** The call's request was delivered; waiting for a reply from PARTNER. Repliers claim it by CAS. */
  public static final int WAIT_REPLY = 7;
  /** A queued send completed; STATUS holds the outcome. */
  public static final int DONE = 8;
  /** The thread has exited or its space ended. Terminal until the slot is reused. */
  public static final int DEAD = 9;
  /**
   * Inside replyWait, between its reply and its receive: the thread is answering a caller and
   * receives within a few instructions. A sender that finds it so waits briefly for RECEIVING
   * (see Rendezvous#claimWaiter), which keeps replyWait atomic for its callers, as in L4.
   */
  public static final int ANSWERING = 10;
  /**
   * Waiting at WAIT_RP in this table and in the other tables of its space at once (an open
   * receive of a thread whose space has channels to process spaces). Senders never claim it: they
   * queue at WAIT_RP and wake it; the owner takes queued senders itself (see PortSet).
   */
  public static final int POLLING = 11;

  /** FLAGS bit: the queued send is a call (the taker leaves the sender in WAIT_REPLY). */
  public static final int FLAG_CALL = 1;

  /** Bytes per cache line: the unit every offset below is counted in. */
  public static final long LINE = 64;

  // Line 0: the rendezvous line.
  public static final long STATE_OFFSET = 0;
  public static final long SENDER_OFFSET = STATE_OFFSET + 8;
  public static final long MR0_OFFSET = SENDER_OFFSET + 8;
  /** MR0 and MR1 share the rendezvous line with the state. */
  public static final int MRS_IN_LINE_0 = 2;
  public static final long PARTNER_OFFSET = MR0_OFFSET + MRS_IN_LINE_0 * 8L;
  public static final long REPLY_TO_OFFSET = PARTNER_OFFSET + 8;
  public static final long REPLY_EPOCH_OFFSET = REPLY_TO_OFFSET + 8;
  public static final long STATUS_OFFSET = REPLY_EPOCH_OFFSET + 8;
  public static final long SLEEPING_OFFSET = STATUS_OFFSET + 4;
  /** End of line 0's fields: at most {@link #LINE} (see {@link #checkLines}). */
  public static final long LINE_0_END = SLEEPING_OFFSET + 4;
  // Line 1: control.
  public static final long ABORT_EPOCH_OFFSET = LINE;
  public static final long ID_OFFSET = ABORT_EPOCH_OFFSET + 8;
  public static final long WAIT_RP_OFFSET = ID_OFFSET + 8;
  public static final long WAIT_BIT_OFFSET = WAIT_RP_OFFSET + 4;
  public static final long FLAGS_OFFSET = WAIT_BIT_OFFSET + 4;
  public static final long Q_NEXT_OFFSET = FLAGS_OFFSET + 4;
  public static final long Q_PREV_OFFSET = Q_NEXT_OFFSET + 4;
  public static final long LINKED_RP_OFFSET = Q_PREV_OFFSET + 4;
  public static final long LINE_1_END = LINKED_RP_OFFSET + 4;
  // Line 2: notifications.
  public static final long NOTIFY_BITS_OFFSET = 2 * LINE;
  public static final long NOTIFY_MASK_OFFSET = NOTIFY_BITS_OFFSET + 8;
  public static final long LINE_2_END = NOTIFY_MASK_OFFSET + 8;
  // Line 3 on: MR2 and up.
  public static final long MR2_OFFSET = 3 * LINE;

  static {
    checkLines();
  }

  public static final int MIN_MESSAGE_REGISTERS = 8;
  public static final int MAX_MESSAGE_REGISTERS = 64;

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private TcbDescriptor() {}

  /**
   * Checks that each line's fields end within that line: the hot fields of line 0 (everything a
   * null or one-word IPC touches in a partner's TCB) in its first {@link #LINE} bytes, and no
   * field across a line boundary. Run when the class initialises; tests call it too.
   *
   * @throws IllegalStateException naming the line that overflows
   */
  public static void checkLines() {
    checkLine(0, STATE_OFFSET, LINE_0_END);
    checkLine(1, ABORT_EPOCH_OFFSET, LINE_1_END);
    checkLine(2, NOTIFY_BITS_OFFSET, LINE_2_END);
    if (MR2_OFFSET % LINE != 0 || MR2_OFFSET < LINE_2_END) {
      throw new IllegalStateException("MR2 must start a line after line 2, at " + MR2_OFFSET);
    }
  }

  private static void checkLine(int line, long first, long end) {
    if (first != line * LINE || end > (line + 1) * LINE) {
      throw new IllegalStateException("TCB line " + line + " holds bytes " + first + ".." + end
          + ", outside " + line * LINE + ".." + (line + 1) * LINE);
    }
  }

  /** Bytes per TCB for {@code mrCount} message registers (MR0 included), a multiple of 64. */
  public static long stride(int mrCount) {
    checkMessageRegisters(mrCount);
    final long end = MR2_OFFSET + Math.max(0, mrCount - MRS_IN_LINE_0) * 8L;
    return (end + LINE - 1) & -LINE;
  }

  public static void checkMessageRegisters(int mrCount) {
    if (mrCount < MIN_MESSAGE_REGISTERS || mrCount > MAX_MESSAGE_REGISTERS) {
      throw new IllegalArgumentException(
          "message registers must be in [" + MIN_MESSAGE_REGISTERS + ", " + MAX_MESSAGE_REGISTERS + "], got " + mrCount);
    }
  }

  /** Offset of MR{@code i} within a TCB. */
  public static long mrOffset(int i) {
    return i < MRS_IN_LINE_0 ? MR0_OFFSET + i * 8L : MR2_OFFSET + (i - MRS_IN_LINE_0) * 8L;
  }

  public static long state(long epoch, int code) {
    return (epoch << 8) | code;
  }

  public static int code(long state) {
    return (int) (state & 0xFF);
  }

  public static long epoch(long state) {
    return state >>> 8;
  }

  // --- accessors -------------------------------------------------------------------------------
  //
  // Each name says its memory mode: Plain, Opaque, Acquire, Release or Volatile as in VarHandle.
  // The read-modify-write ones (cas*, or*, take*) are atomic with volatile semantics (a full
  // fence). A release or volatile store is read with an acquire or volatile load; a plain access
  // is ordered only by such a pair around it (see the class comment).

  public static long stateAcquire(MemorySegment s, long tcb) {
    return (long) LONG.getAcquire(s, tcb + STATE_OFFSET);
  }

  public static long stateVolatile(MemorySegment s, long tcb) {
    return (long) LONG.getVolatile(s, tcb + STATE_OFFSET);
  }

  /** Publishes a state and orders it before later loads (the waker's store-load barrier). */
  public static void setStateVolatile(MemorySegment s, long tcb, long v) {
    LONG.setVolatile(s, tcb + STATE_OFFSET, v);
  }

  /** Compare-and-set of STATE (volatile semantics): the only way anyone but the creator changes it. */
  public static boolean casState(MemorySegment s, long tcb, long expected, long v) {
    return LONG.compareAndSet(s, tcb + STATE_OFFSET, expected, v);
  }

  public static long getLongPlain(MemorySegment s, long tcb, long field) {
    return (long) LONG.get(s, tcb + field);
  }

  public static void setLongPlain(MemorySegment s, long tcb, long field, long v) {
    LONG.set(s, tcb + field, v);
  }

  public static long getLongVolatile(MemorySegment s, long tcb, long field) {
    return (long) LONG.getVolatile(s, tcb + field);
  }

  public static void setLongVolatile(MemorySegment s, long tcb, long field, long v) {
    LONG.setVolatile(s, tcb + field, v);
  }

  public static int getIntPlain(MemorySegment s, long tcb, long field) {
    return (int) INT.get(s, tcb + field);
  }

  public static void setIntPlain(MemorySegment s, long tcb, long field, int v) {
    INT.set(s, tcb + field, v);
  }

  public static int getIntVolatile(MemorySegment s, long tcb, long field) {
    return (int) INT.getVolatile(s, tcb + field);
  }

  public static void setIntVolatile(MemorySegment s, long tcb, long field, int v) {
    INT.setVolatile(s, tcb + field, v);
  }

  public static long idVolatile(MemorySegment s, long tcb) {
    return (long) LONG.getVolatile(s, tcb + ID_OFFSET);
  }

  /** ORs {@code bits} into NOTIFY_BITS (atomic, volatile); returns the bits before. */
  public static long orNotifyBits(MemorySegment s, long tcb, long bits) {
    return (long) LONG.getAndBitwiseOr(s, tcb + NOTIFY_BITS_OFFSET, bits);
  }

  /** Clears the bits of {@code mask} in NOTIFY_BITS (atomic, volatile); returns those that were set. */
  public static long takeNotifyBits(MemorySegment s, long tcb, long mask) {
    return (long) LONG.getAndBitwiseAnd(s, tcb + NOTIFY_BITS_OFFSET, ~mask) & mask;
  }

  /**
   * Copies the tag and {@code words} message registers of TCB {@code tcb} from one table to
   * another, with plain accesses (a thread changing the table it does IPC in; see ThreadEngine).
   */
  public static void copyRegistersPlain(MemorySegment from, MemorySegment to, long tcb, long tag, int words) {
    LONG.set(to, tcb + MR0_OFFSET, tag);
    final int inLine = Math.min(words, MRS_IN_LINE_0 - 1);
    for (int i = 1; i <= inLine; i++) {
      final long off = tcb + MR0_OFFSET + i * 8L;
      LONG.set(to, off, (long) LONG.get(from, off));
    }
    if (words >= MRS_IN_LINE_0) {
      MemorySegment.copy(from, tcb + MR2_OFFSET, to, tcb + MR2_OFFSET, (words - (MRS_IN_LINE_0 - 1)) * 8L);
    }
  }

  /**
   * Copies the tag and {@code words} message registers from one TCB to another, in order, with
   * plain accesses: the copier publishes them with its CAS of the receiving TCB's STATE.
   */
  public static void copyMessagePlain(MemorySegment s, long from, long to, long tag, int words) {
    LONG.set(s, to + MR0_OFFSET, tag);
    final int inLine = Math.min(words, MRS_IN_LINE_0 - 1);
    for (int i = 1; i <= inLine; i++) {
      final long off = MR0_OFFSET + i * 8L;
      LONG.set(s, to + off, (long) LONG.get(s, from + off));
    }
    if (words >= MRS_IN_LINE_0) {
      MemorySegment.copy(s, from + MR2_OFFSET, s, to + MR2_OFFSET, (words - (MRS_IN_LINE_0 - 1)) * 8L);
    }
  }
}
