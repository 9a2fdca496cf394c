package dev.nucleus.rpc.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Layout of a call lane (docs/rpc-wire.md, section 10): the region one client thread shares with
 * one export, through which its two-way calls bypass the kernel while a server thread attends
 * the lane. Four lines, each written by one side, so that a call moves two of them: the request
 * line to the server and the reply line back.
 *
 * <pre>
 *  region, SIZE bytes (a SharedRegion made by the client, sealed against shrinking)
 *  offset  field            type  written by
 *  +------------------------------------------------------------------------------------------+
 *  |    0  POSTED           u64   client (CAS), server (CAS): the sequence number of the last  |
 *  |                              request posted (bits 0..61) | VACANT (bit 62) | CLOSED (63) |
 *  |    8  METHOD_ID        u32   client: the method of the request                            |
 *  |   12  SERVICE_ID       u32   client: the service it was compiled against                  |
 *  |   16  NANOS_LEFT       i64   client: nanoseconds left before its deadline, -1 for none    |
 *  |   24  REQUEST_LENGTH   u32   client: the request frame's bytes, at most REQUEST_CAPACITY  |
 *  |                              (OFFERED_REQUEST_CAPACITY with RESULT_SPACE)                 |
 *  |   28  REQUEST_FLAGS    u32   client: RESULT_SPACE (bit 0), RESULT_KEPT (bit 1)            |
 *  |   32  REQUEST_FRAME    ...   client: the frame, REQUEST_CAPACITY bytes (to 512); or, with |
 *  |                              RESULT_SPACE, the offer of space for a large reply:          |
 *  |   32  RESULT_HANDLE    u64   the handle of the SharedRegion offered                       |
 *  |   40  RESULT_TOKEN     u64   its token (the u64 at its offset 0)                          |
 *  |   48  RESULT_BYTES     u64   the bytes offered, from the region's offset 64               |
 *  |   56  OFFERED_FRAME    ...   the frame, OFFERED_REQUEST_CAPACITY bytes (to 512)           |
 *  +------------------------------------------------------------------------------------------+
 *  |  512  REPLIED          u64   server: the sequence number of the last request answered     |
 *  |  520  OUTCOME          u32   server: the answer's Outcome                                 |
 *  |  524  REPLY_LENGTH     u32   server: the reply frame's bytes; above REPLY_CAPACITY, the   |
 *  |                              frame is in the space the request offered, not here          |
 *  |  528  REPLY_FRAME      ...   server: the frame, REPLY_CAPACITY bytes (to 1024)            |
 *  +------------------------------------------------------------------------------------------+
 *  | 1024  ATTENDANT        u64   server: the id of the server thread that attends the lane    |
 *  | 1032  TAKEN            u64   server: the sequence number of the last request it took      |
 *  +------------------------------------------------------------------------------------------+
 *  | 1088  CLIENT_SLEEPING  u32   client (CASed 1 to 0 by the server): 1 while the client is,  |
 *  |                              or is about to be, asleep waiting for REPLIED; a futex word  |
 *  +------------------------------------------------------------------------------------------+
 *  1152  SIZE
 * </pre>
 *
 * <b>Who may change POSTED.</b> With VACANT set, no server thread attends the lane: a server
 * thread takes it by CAS from {@code s | VACANT} to {@code s}. While no flag is set and the
 * client has its last request's reply ({@code REPLIED == s}), the client may post request
 * {@code s + 1} by CAS from {@code s} to {@code s + 1}, after writing it; the attending thread
 * leaves by CAS from {@code s} to {@code s | VACANT}. Both CAS the same word from the same value,
 * so exactly one wins: a request is either delivered to a server thread that will serve it, or
 * not posted at all and the client takes the kernel path. The client closes the lane by setting
 * CLOSED (CAS); a server thread that sees it lets the lane go.
 *
 * <p><b>Reply.</b> The server writes OUTCOME, REPLY_LENGTH and the frame, then REPLIED (volatile),
 * then reads CLIENT_SLEEPING (volatile) and wakes the client if it is 1 and its CAS to 0 succeeds:
 * the lazy wake-up of docs/queue-wire.md, section 5, as the client stores CLIENT_SLEEPING = 1
 * (volatile) and re-reads REPLIED (volatile) before it sleeps.
 *
 * <p><b>TAKEN.</b> Before it acts on request {@code s} the server stores TAKEN = s: a client that
 * finds the attendant dead learns from it whether its request was taken (the server may have
 * acted: receive phase) or not (send phase: not delivered). It is in a line of its own so that
 * storing it costs the server no transfer.
 *
 * <p>Neither side trusts the other: the server validates every field of a request before use and
 * copies the frame out before it reads it; the client takes REPLIED only as equal to its own
 * sequence number or not, and validates OUTCOME and REPLY_LENGTH.
 *
 * <p>Memory modes: each accessor's name says its mode as in {@link VarHandle}. Stateless and
 * thread-safe.
 */
public final class CallLaneDescriptor {

  /** A cache line. */
  public static final int LINE = 64;

  /** POSTED: the request line's first word. */
  public static final long POSTED_OFFSET = 0;
  /** METHOD_ID: u32. */
  public static final long METHOD_ID_OFFSET = 8;
  /** SERVICE_ID: u32. */
  public static final long SERVICE_ID_OFFSET = 12;
  /** NANOS_LEFT: i64, -1 for no deadline. */
  public static final long NANOS_LEFT_OFFSET = 16;
  /** REQUEST_LENGTH: u32. */
  public static final long REQUEST_LENGTH_OFFSET = 24;
  /** REQUEST_FLAGS: u32, 0. */
  public static final long REQUEST_FLAGS_OFFSET = 28;
  /** REQUEST_FRAME: the request's bytes, when the request offers no space for the reply. */
  public static final long REQUEST_FRAME_OFFSET = 32;
  /** RESULT_HANDLE: u64, with RESULT_SPACE. */
  public static final long RESULT_HANDLE_OFFSET = 32;
  /** RESULT_TOKEN: u64, with RESULT_SPACE. */
  public static final long RESULT_TOKEN_OFFSET = 40;
  /** RESULT_BYTES: u64, with RESULT_SPACE. */
  public static final long RESULT_BYTES_OFFSET = 48;
  /** OFFERED_FRAME: the request's bytes, when the request offers space for the reply. */
  public static final long OFFERED_FRAME_OFFSET = 56;
  /** REQUEST_FLAGS: the request offers space for a reply too large for the lane (RESULT_HANDLE ..). */
  public static final int RESULT_SPACE = 1;
  /** REQUEST_FLAGS, with RESULT_SPACE: the region offered is the caller's kept argument stack. */
  public static final int RESULT_KEPT = 2;
  /** Where the reply line starts. */
  public static final long REPLY_LINE = 512;
  /** The most bytes a request frame on a lane has: what 64 message registers carry. */
  public static final int REQUEST_CAPACITY = (int) (REPLY_LINE - REQUEST_FRAME_OFFSET);
  /** The most bytes a request frame that offers space for the reply has: as in the registers. */
  public static final int OFFERED_REQUEST_CAPACITY = (int) (REPLY_LINE - OFFERED_FRAME_OFFSET);

  /** REPLIED: the reply line's first word. */
  public static final long REPLIED_OFFSET = REPLY_LINE;
  /** OUTCOME: u32. */
  public static final long OUTCOME_OFFSET = REPLY_LINE + 8;
  /** REPLY_LENGTH: u32. */
  public static final long REPLY_LENGTH_OFFSET = REPLY_LINE + 12;
  /** REPLY_FRAME: the reply's bytes. */
  public static final long REPLY_FRAME_OFFSET = REPLY_LINE + 16;
  /** Where the server's line starts. */
  public static final long SERVER_LINE = 1024;
  /** The most bytes a reply frame on a lane has: what 64 message registers carry. */
  public static final int REPLY_CAPACITY = (int) (SERVER_LINE - REPLY_FRAME_OFFSET);

  /** ATTENDANT: u64, a thread id. */
  public static final long ATTENDANT_OFFSET = SERVER_LINE;
  /** TAKEN: u64. */
  public static final long TAKEN_OFFSET = SERVER_LINE + 8;
  /** CLIENT_SLEEPING: u32, the futex word, in a line of its own. */
  public static final long CLIENT_SLEEPING_OFFSET = SERVER_LINE + LINE;
  /** Bytes of a lane. */
  public static final long SIZE = CLIENT_SLEEPING_OFFSET + LINE;

  /** POSTED's flag: no server thread attends the lane. */
  public static final long VACANT = 1L << 62;
  /** POSTED's flag: the client has let the lane go. */
  public static final long CLOSED = 1L << 63;
  /** POSTED's sequence number. */
  public static final long SEQUENCE_MASK = VACANT - 1;

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private CallLaneDescriptor() {}

  /** Formats a fresh lane: POSTED = VACANT (sequence 0, nobody attends), everything else 0. */
  public static void format(MemorySegment lane) {
    lane.asSlice(0, SIZE).fill((byte) 0);
    LONG.setVolatile(lane, POSTED_OFFSET, VACANT);
  }

  /** POSTED, acquire: what the server polls, and what the client looks at before it posts. */
  public static long postedAcquire(MemorySegment lane) {
    return (long) LONG.getAcquire(lane, POSTED_OFFSET);
  }

  /** CAS of POSTED: a post, a leave, a take, or a close. */
  public static boolean casPosted(MemorySegment lane, long expected, long value) {
    return LONG.compareAndSet(lane, POSTED_OFFSET, expected, value);
  }

  /** REPLIED, acquire: the client's look. */
  public static long repliedAcquire(MemorySegment lane) {
    return (long) LONG.getAcquire(lane, REPLIED_OFFSET);
  }

  /** REPLIED, volatile: the client's re-check after it announced that it sleeps. */
  public static long repliedVolatile(MemorySegment lane) {
    return (long) LONG.getVolatile(lane, REPLIED_OFFSET);
  }

  /** REPLIED, volatile: the server's half of the wake-up. */
  public static void setRepliedVolatile(MemorySegment lane, long sequence) {
    LONG.setVolatile(lane, REPLIED_OFFSET, sequence);
  }

  /** ATTENDANT, release: stored by the thread whose CAS took the lane, before it answers the call that made it. */
  public static void setAttendant(MemorySegment lane, long thread) {
    LONG.setRelease(lane, ATTENDANT_OFFSET, thread);
  }

  /** ATTENDANT, acquire: the client's look on its slow path. */
  public static long attendantAcquire(MemorySegment lane) {
    return (long) LONG.getAcquire(lane, ATTENDANT_OFFSET);
  }

  /**
   * TAKEN := {@code sequence}, ordered before every store the server makes after it (so before
   * any effect of serving the request).
   */
  public static void setTaken(MemorySegment lane, long sequence) {
    LONG.setRelease(lane, TAKEN_OFFSET, sequence);
    VarHandle.storeStoreFence();
  }

  /** TAKEN, acquire: the client's look once the attendant is dead. */
  public static long takenAcquire(MemorySegment lane) {
    return (long) LONG.getAcquire(lane, TAKEN_OFFSET);
  }

  /** CLIENT_SLEEPING, volatile store (the client announces or ends its sleep). */
  public static void setClientSleepingVolatile(MemorySegment lane, int value) {
    INT.setVolatile(lane, CLIENT_SLEEPING_OFFSET, value);
  }

  /** CLIENT_SLEEPING, volatile load (the server's half of the wake-up). */
  public static int clientSleepingVolatile(MemorySegment lane) {
    return (int) INT.getVolatile(lane, CLIENT_SLEEPING_OFFSET);
  }

  /** CAS of CLIENT_SLEEPING from 1 to 0: true if this side is the one to wake the client. */
  public static boolean casClientSleeping(MemorySegment lane) {
    return INT.compareAndSet(lane, CLIENT_SLEEPING_OFFSET, 1, 0);
  }
}
