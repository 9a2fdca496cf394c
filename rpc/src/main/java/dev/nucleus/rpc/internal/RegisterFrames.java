package dev.nucleus.rpc.internal;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.MalformedFrameException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * How the kernel transport lays a call into message registers: a few header words, then the
 * frame's bytes, eight per register, little-endian (the frame's own byte order). The layout
 * (protocol.md, "LRPC over IPC"):
 *
 * <pre>
 *   request  MR0  tag: label {@link #CALL}, words = {@link #CALL_HEADER} + frame words
 *            MR1  method id (u32) | service id (u32) &lt;&lt; 32
 *            MR2  frame length in bytes (u32) | flags (u16) &lt;&lt; 32: bit 0 one-way, bit 1 in a region
 *                 | the caller's call lane (u16) &lt;&lt; 48: its index in the export's table + 1, 0 for
 *                 none (a call only)
 *            MR3  nanoseconds left before the deadline (i64), or -1 for none
 *            MR4.. the frame; or, in a region (flag bit 1), MR4 = the region's handle
 *                 (SharedRegion), MR5 = its token (the u64 at its offset 0), the frame at offset
 *                 64; flag bit 2: the region is the caller's kept argument stack. A one-way
 *                 request in a region is sent as a call, answered OK once the server has copied
 *                 it out of the region. Flag bit 3 (with bit 1, a call): MR6 = the bytes of the
 *                 region the caller offers for the reply, from {@link #resultOffset}
 *   reply    MR0  tag: label {@link #REPLY}, words = {@link #REPLY_HEADER} + frame words
 *            MR1  outcome (u32) | frame length in bytes (u32) &lt;&lt; 32
 *            MR2.. the frame
 *   reply    MR0  tag: label {@link #REPLY_IN_REGION}, words = {@link #REPLY_HEADER}: a reply too
 *   in the        large for the registers, written where the request offered (flag bit 3)
 *   region   MR1  outcome (u32) | frame length in bytes (u32) &lt;&lt; 32, length &lt;= the bytes offered
 *   queue    MR0  tag: label {@link #QUEUE_OPEN}, words = {@link #QUEUE_OPEN_WORDS} (a call)
 *   open     MR1  service id (u32) | slot count of the queue (u32) &lt;&lt; 32
 *            MR2  the handle of the SharedRegion that holds the queue (OnewayRegionDescriptor)
 *            answered with a reply as above: OK and a frame of one i64, the id of the thread that
 *            takes the queue's messages; or the outcome that refused it
 *   lane     MR0  tag: label {@link #LANE_OPEN}, words = {@link #LANE_OPEN_WORDS} (a call)
 *   open     MR1  service id (u32) | lane layout version (u32) &lt;&lt; 32
 *            MR2  the handle of the SharedRegion that holds the lane (CallLaneDescriptor)
 *            answered OK and a frame of one i32, the lane's index in the export's table; or the
 *            outcome that refused it
 * </pre>
 *
 * The bytes of the last register beyond the frame's length are zero: a frame never carries
 * what an earlier call left in the stack. Stateless and thread-safe.
 */
public final class RegisterFrames {

  /** The label of a request. */
  public static final int CALL = 0x4C52;
  /** The label of a reply. */
  public static final int REPLY = 0x4C53;
  /**
   * The label of a reply whose frame the server wrote into the request's region, at
   * {@link #resultOffset}, because the registers could not carry it (docs/rpc-wire.md, section 5).
   */
  public static final int REPLY_IN_REGION = 0x4C55;
  /**
   * The label of a request to open a one-way queue from the calling thread to the export
   * (docs/rpc-wire.md, section 9).
   */
  public static final int QUEUE_OPEN = 0x4C54;
  /** Words after MR0 of a QUEUE_OPEN request: ids and slot count, region handle. */
  public static final int QUEUE_OPEN_WORDS = 2;
  /**
   * The label of a request to open a call lane from the calling thread to the export
   * (docs/rpc-wire.md, section 10).
   */
  public static final int LANE_OPEN = 0x4C56;
  /** Words after MR0 of a LANE_OPEN request: service id and layout version, region handle. */
  public static final int LANE_OPEN_WORDS = 2;
  /** The version of the lane layout ({@link CallLaneDescriptor}) a LANE_OPEN carries. */
  public static final int LANE_VERSION = 1;
  /**
   * Where MR2 of a call carries the caller's call lane, as its index in the export's table plus 1
   * (16 bits; 0: none): the server thread that answers the call may attend that lane afterwards.
   */
  public static final int LANE_SHIFT = 48;
  /** MR2's bits of the caller's call lane. */
  public static final long LANE_MASK = 0xFFFFL << LANE_SHIFT;
  /** Registers before a request's frame: ids, length and flags, deadline. */
  public static final int CALL_HEADER = 3;
  /** Registers before a reply's frame: outcome and length. */
  public static final int REPLY_HEADER = 1;
  /** Flag of MR2: the caller waits for no reply. */
  public static final long ONEWAY = 1L << 32;
  /** Flag of MR2: the frame is in a shared region, whose handle is MR4 and token MR5. */
  public static final long IN_REGION = 1L << 33;
  /** Flag of MR2, with IN_REGION: the region is the caller's argument stack, kept between calls. */
  public static final long KEPT = 1L << 34;
  /**
   * Flag of MR2, with IN_REGION, on a call: the caller offers MR6 bytes of the region, from
   * {@link #resultOffset}, for a reply too large for the registers.
   */
  public static final long RESULT_SPACE = 1L << 35;
  /** Where a region's frame starts (its token is at offset 0). */
  public static final long REGION_FRAME_OFFSET = 64;
  /** The most bytes a caller may offer for a reply: far beyond any memory it could have (1 TiB). */
  public static final long MAX_RESULT_SPACE = 1L << 40;

  /**
   * Where, in a region whose request frame is {@code requestLength} bytes, the space offered for
   * the reply begins: the first 64-byte line after the request, so that writing the reply never
   * touches the arguments, which the server reads in place while it serves the call.
   *
   * @param requestLength the request frame's length in bytes, at most 2^32 - 1
   * @return the offset from the region's start
   */
  public static long resultOffset(long requestLength) {
    return REGION_FRAME_OFFSET + ((requestLength + 63) & ~63L);
  }

  private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

  private RegisterFrames() {}

  /**
   * The most bytes of a frame {@code t}'s registers carry after a header of {@code header} words.
   *
   * @param registers the thread's message registers, MR0 included
   * @param header the header words after MR0
   * @return the capacity in bytes, a multiple of 8
   */
  public static int capacity(int registers, int header) {
    return (registers - 1 - header) * 8;
  }

  /**
   * Copies the bytes {@code frame} holds (from 0 to its position) into {@code t}'s registers from
   * MR{@code first}; returns how many registers that took.
   */
  public static int write(Frame frame, IpcThread t, int first) {
    final long length = frame.position();
    final MemorySegment s = frame.segment();
    final int whole = (int) (length >>> 3);
    for (int i = 0; i < whole; i++) {
      t.setMr(first + i, s.get(WORD, i * 8L));
    }
    final int tail = (int) (length & 7);
    if (tail == 0) {
      return whole;
    }
    long last = 0;
    for (int b = 0; b < tail; b++) {
      last |= (s.get(ValueLayout.JAVA_BYTE, whole * 8L + b) & 0xFFL) << (8 * b);
    }
    t.setMr(first + whole, last);
    return whole + 1;
  }

  /**
   * Copies {@code length} bytes from {@code t}'s registers from MR{@code first} into
   * {@code frame}'s segment and readies it for reading; the message must hold them.
   *
   * @throws MalformedFrameException if the message's tag does not carry {@code length} bytes
   *     after MR{@code first}, or the frame's segment cannot hold them
   */
  public static void read(IpcThread t, int first, long length, Frame frame) {
    final int words = MessageTag.words(t.tag());
    final long carried = (long) Math.max(0, words - (first - 1)) * 8;
    if (length < 0 || length > carried) {
      throw new MalformedFrameException("frame length " + length + " but the message carries " + carried
          + " bytes after MR" + (first - 1), 0);
    }
    final MemorySegment s = frame.segment();
    if (length > s.byteSize()) {
      throw new MalformedFrameException("frame length " + length + " exceeds the stack's " + s.byteSize()
          + " bytes", 0);
    }
    final int full = (int) (length >>> 3);
    for (int i = 0; i < full; i++) {
      s.set(WORD, i * 8L, t.mr(first + i));
    }
    final int tail = (int) (length & 7);
    if (tail != 0) {
      final long last = t.mr(first + full);
      for (int b = 0; b < tail; b++) {
        s.set(ValueLayout.JAVA_BYTE, full * 8L + b, (byte) (last >>> (8 * b)));
      }
    }
    frame.wrap(length);
  }
}
