package dev.nucleus.async.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Layout of a queue: the memory the two ends of a one-way queue share, a header, one line per
 * side, and a ring of 64-byte slots (Barrelfish's UMP). docs/queue-wire.md is written from this
 * class, and a test checks its tables against the constants here.
 *
 * <pre>
 *  segment, TOTAL_SIZE bytes, 64-byte aligned
 *  +-------------------+    0  line 0: header. Written once by the creator (format), MAGIC last
 *  | header            |                (release); read-only afterwards
 *  +-------------------+   64  line 1: the sender's line. Written by the sender only (*)
 *  | sender line       |
 *  +-------------------+  128  line 2: the receiver's line. Written by the receiver only (*)
 *  | receiver line     |
 *  +-------------------+  192  line 3: unused, so that the adjacent-line prefetcher (which fetches
 *  | spacer            |                128-byte pairs of lines) never couples the receiver's line
 *  +-------------------+  256           with slot 0
 *  | slot 0            |       RING_START: SLOT_COUNT slots of SLOT_SIZE bytes; the slot of
 *  | ...               |       position p is slot p &amp; (SLOT_COUNT - 1)
 *  | slot SLOT_COUNT-1 |
 *  +-------------------+
 *  (*) and, with a volatile store, by whoever marks a side DEAD or by its peer's wake-up CAS of
 *      the side's SLEEPING word (1 to 0); see the state and the wake-up protocol below.
 *
 *  header
 *     0  MAGIC              u64  0x3155_4555_5143_554E ("NUCQUEU1" little-endian), stored last
 *     8  VERSION            u32  1
 *    12  SLOT_SIZE          u32  64
 *    16  SLOT_COUNT         u32  a power of two, MIN_SLOT_COUNT .. MAX_SLOT_COUNT
 *    24  RING_OFFSET        u64  256 (RING_START)
 *    32  TOTAL_SIZE         u64  RING_START + SLOT_COUNT * SLOT_SIZE
 *  sender line
 *    64  SENDER_STATE       u32  OPEN, CLOSED, DEAD or FAILED (below)
 *    68  SENDER_SLEEPING    u32  1 while the sender is, or is about to be, asleep waiting for room
 *  receiver line
 *   128  READ_POSITION      u64  slots the receiver has consumed, published lazily (release)
 *   136  RECEIVER_SLEEPING  u32  1 while the receiver is, or is about to be, asleep waiting for a message
 *   140  RECEIVER_STATE     u32  OPEN, CLOSED, DEAD or FAILED
 *   144  RECEIVER_NOTIFY    u64  0, or the kernel thread the sender also notifies when it wakes the receiver
 *   152  RECEIVER_NOTIFY_BITS u64  the notification bits it sets there
 *   160  RECEIVER_SPINS     u32  1 if the receiver never sleeps (it waits by spinning only), else 0
 *
 *  slot, SLOT_SIZE bytes
 *     0  PAYLOAD            56 bytes of the message
 *    56  STAMP              u64  SEQUENCE &lt;&lt; 32 | INFO, the last word, stored last
 *
 *  STAMP
 *   63            32 31 30                 0
 *  +----------------+--+--------------------+
 *  |    SEQUENCE    |F |   LENGTH / INDEX   |
 *  +----------------+--+--------------------+
 *   SEQUENCE  the low 32 bits of the slot's position (positions count slots from 0)
 *   F = 1     the first slot of a message; LENGTH = its payload bytes, 0 .. maxPayload
 *   F = 0     slot INDEX (1 .. n-1) of the n-slot message that starts INDEX slots before
 * </pre>
 *
 * A message of {@code L} bytes occupies {@code n = max(1, ceil(L / 56))} consecutive positions,
 * its bytes in order in the 56-byte PAYLOAD of each; the ring wraps between any two of them, so no
 * slot is ever padding. {@code n} is at most half the ring ({@link #maxPayload}), which is what
 * lets a sender always find room once the receiver has drained the ring (docs/queue-wire.md, 4).
 * The sender writes the payload and stamps slots 1..n-1 with plain stores, then slot 0's stamp
 * with a volatile store (release, and ordered before its later load of RECEIVER_SLEEPING): the
 * receiver's acquire load of that one word sees the whole message. To a receiver that said it
 * never sleeps (RECEIVER_SPINS = 1), the sender stores slot 0's stamp with a release store and
 * does not look at RECEIVER_SLEEPING: no wake-up can be lost where nobody sleeps, and the
 * StoreLoad fence that only the wake-up needs is not paid per message.
 *
 * <p>The receiver expects position {@code p}. A first-slot stamp with SEQUENCE {@code (u32) p} is
 * a message; a stamp with SEQUENCE {@code (u32) (p - SLOT_COUNT)} (the previous lap's) or, in the
 * first lap, the zero of a fresh ring, means "nothing yet"; any other stamp is a protocol error,
 * as is a LENGTH above {@link #maxPayload} or a continuation whose stamp is not exactly
 * {@link #continuationStamp}. Every slot read is at {@code p & (SLOT_COUNT - 1)} of the slot count
 * read once when the end attached, so no value in shared memory can send a read out of bounds.
 *
 * <p>Memory modes: each accessor's name says its mode as in {@link VarHandle} (Plain, Acquire,
 * Release, Volatile); a release or volatile store is read with an acquire or volatile load.
 */
public final class QueueDescriptor {

  /** "NUCQUEU1" read as a little-endian u64. */
  public static final long MAGIC = 0x3155_4555_5143_554EL;
  public static final int VERSION = 1;
  /** Bytes per cache line, and per slot. */
  public static final int LINE = 64;
  public static final int SLOT_SIZE = LINE;
  /** The fewest slots: one message of one slot in each half. */
  public static final int MIN_SLOT_COUNT = 2;
  /** The most slots: a 1 GiB ring, and messages of up to 448 MiB. */
  public static final int MAX_SLOT_COUNT = 1 << 24;

  // Line 0: the header.
  public static final long MAGIC_OFFSET = 0;
  public static final long VERSION_OFFSET = MAGIC_OFFSET + 8;
  public static final long SLOT_SIZE_OFFSET = VERSION_OFFSET + 4;
  public static final long SLOT_COUNT_OFFSET = SLOT_SIZE_OFFSET + 4;
  /** 4 bytes of padding at 20 keep RING_OFFSET aligned. */
  public static final long RING_OFFSET_OFFSET = SLOT_COUNT_OFFSET + 8;
  public static final long TOTAL_SIZE_OFFSET = RING_OFFSET_OFFSET + 8;
  public static final long LINE_0_END = TOTAL_SIZE_OFFSET + 8;
  // Line 1: the sender's.
  public static final long SENDER_STATE_OFFSET = LINE;
  public static final long SENDER_SLEEPING_OFFSET = SENDER_STATE_OFFSET + 4;
  public static final long LINE_1_END = SENDER_SLEEPING_OFFSET + 4;
  // Line 2: the receiver's.
  public static final long READ_POSITION_OFFSET = 2 * LINE;
  public static final long RECEIVER_SLEEPING_OFFSET = READ_POSITION_OFFSET + 8;
  public static final long RECEIVER_STATE_OFFSET = RECEIVER_SLEEPING_OFFSET + 4;
  /**
   * A receiver that sleeps in a waitset (in the kernel, not on its SLEEPING word) names here the
   * thread to notify, and in {@link #RECEIVER_NOTIFY_BITS_OFFSET} the bits: written by the receiver
   * before it first announces a sleep, read by a sender that holds a kernel thread only after its
   * CAS of RECEIVER_SLEEPING from 1 to 0, and checked to name a thread of the receiver's space.
   */
  public static final long RECEIVER_NOTIFY_OFFSET = RECEIVER_STATE_OFFSET + 4;
  public static final long RECEIVER_NOTIFY_BITS_OFFSET = RECEIVER_NOTIFY_OFFSET + 8;
  /**
   * 1 if the receiver waits by spinning only and never sleeps (attached with SPIN), else 0: a
   * sender that reads 1 publishes without the StoreLoad fence and never wakes it. Written once,
   * by the receiver when it attaches; a receiver that writes 1 and sleeps anyway loses only its
   * own wake-ups.
   */
  public static final long RECEIVER_SPINS_OFFSET = RECEIVER_NOTIFY_BITS_OFFSET + 8;
  public static final long LINE_2_END = RECEIVER_SPINS_OFFSET + 4;
  /** Where slot 0 starts (the value of the RING_OFFSET field): after line 3, which stays unused. */
  public static final long RING_START = 4 * LINE;

  // Within a slot.
  public static final long PAYLOAD_OFFSET = 0;
  /** Payload bytes per slot: all but the stamp. */
  public static final int PAYLOAD_SIZE = SLOT_SIZE - 8;
  public static final long STAMP_OFFSET = PAYLOAD_OFFSET + PAYLOAD_SIZE;

  // STAMP's fields.
  /** INFO bit: the slot is the first of its message, and INFO's other bits are its length. */
  public static final long FIRST = 1L << 31;
  /** INFO bits below FIRST: the length (first slot) or the index within the message (others). */
  public static final long INFO_VALUE_MASK = FIRST - 1;

  // SENDER_STATE and RECEIVER_STATE.
  /** The side is attached, or will be: the queue is usable. */
  public static final int OPEN = 0;
  /** The side's owner closed it: a sender after its last message, a receiver that takes no more. */
  public static final int CLOSED = 1;
  /** The side's process (or space) died; stored by the survivor, who found out. */
  public static final int DEAD = 2;
  /** The side found the other breaking the protocol and gave the queue up. */
  public static final int FAILED = 3;

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  static {
    checkLines();
  }

  private QueueDescriptor() {}

  /**
   * Checks that each line's fields end within that line and that the ring starts on a line after
   * the receiver's. Run when the class initialises; tests call it too.
   *
   * @throws IllegalStateException naming the line that overflows
   */
  public static void checkLines() {
    checkLine(0, MAGIC_OFFSET, LINE_0_END);
    checkLine(1, SENDER_STATE_OFFSET, LINE_1_END);
    checkLine(2, READ_POSITION_OFFSET, LINE_2_END);
    if (RING_START % LINE != 0 || RING_START < 3 * LINE || STAMP_OFFSET + 8 != SLOT_SIZE) {
      throw new IllegalStateException("the ring must start a line after the receiver's, and a stamp end its slot");
    }
  }

  private static void checkLine(int line, long first, long end) {
    if (first != (long) line * LINE || end > (long) (line + 1) * LINE) {
      throw new IllegalStateException("queue line " + line + " holds bytes " + first + ".." + end);
    }
  }

  // --- geometry --------------------------------------------------------------------------------

  /** Whether {@code slotCount} is a power of two in [MIN_SLOT_COUNT, MAX_SLOT_COUNT]. */
  public static boolean isValidSlotCount(long slotCount) {
    return slotCount >= MIN_SLOT_COUNT && slotCount <= MAX_SLOT_COUNT && Long.bitCount(slotCount) == 1;
  }

  /** Bytes of a queue of {@code slotCount} slots (a valid count). */
  public static long totalSize(int slotCount) {
    return RING_START + (long) slotCount * SLOT_SIZE;
  }

  /** The most slots one message may take: half the ring. */
  public static int maxMessageSlots(int slotCount) {
    return slotCount / 2;
  }

  /** The most payload bytes one message may carry in a ring of {@code slotCount} slots. */
  public static int maxPayload(int slotCount) {
    return maxMessageSlots(slotCount) * PAYLOAD_SIZE;
  }

  /** Slots a message of {@code length} bytes takes (length 0..maxPayload): at least one. */
  public static int slotsFor(int length) {
    return length <= PAYLOAD_SIZE ? 1 : (length + PAYLOAD_SIZE - 1) / PAYLOAD_SIZE;
  }

  /** Offset in the segment of the slot of {@code position}; {@code mask} is SLOT_COUNT - 1. */
  public static long slotOffset(long position, long mask) {
    return RING_START + (position & mask) * SLOT_SIZE;
  }

  /**
   * Offset in the segment of payload byte {@code at} of the message whose first slot is at
   * {@code first}: byte {@code at} lies in the message's slot {@code at / 56}, which may have
   * wrapped to the ring's start.
   */
  public static long payloadOffset(long first, long mask, long at) {
    return slotOffset(first + at / PAYLOAD_SIZE, mask) + PAYLOAD_OFFSET + at % PAYLOAD_SIZE;
  }

  // --- stamps ----------------------------------------------------------------------------------

  /** The stamp of the first slot, at {@code position}, of a message of {@code length} bytes. */
  public static long firstStamp(long position, int length) {
    return (position << 32) | FIRST | length;
  }

  /** The stamp of slot {@code index} (1..n-1) of a message whose first slot is {@code index} before {@code position}. */
  public static long continuationStamp(long position, int index) {
    return (position << 32) | index;
  }

  /** SEQUENCE of a stamp: the low 32 bits of the position it was written for. */
  public static int sequence(long stamp) {
    return (int) (stamp >>> 32);
  }

  /** SEQUENCE for {@code position}. */
  public static int sequenceOf(long position) {
    return (int) position;
  }

  /** Whether the stamp marks the first slot of a message. */
  public static boolean isFirst(long stamp) {
    return (stamp & FIRST) != 0;
  }

  /** LENGTH (of a first stamp) or INDEX (of a continuation stamp). */
  public static long infoValue(long stamp) {
    return stamp & INFO_VALUE_MASK;
  }

  /** A stamp for a person: {@code 0x880000008 (SEQUENCE 0x8, first slot, LENGTH 8)}. */
  public static String describeStamp(long stamp) {
    return "0x" + Long.toHexString(stamp) + " (SEQUENCE 0x" + Integer.toHexString(sequence(stamp))
        + (isFirst(stamp) ? ", first slot, LENGTH " : ", INDEX ") + infoValue(stamp) + ")";
  }

  // --- creating and checking a segment ---------------------------------------------------------

  /**
   * Formats {@code s} as an empty queue of {@code slotCount} slots: zeroes the lines and the ring,
   * writes the header, and stores MAGIC last, with release. Only before either end attaches.
   *
   * @throws IllegalArgumentException if the count is not a valid slot count, or the segment is
   *     not native, not 64-byte aligned, or too small
   */
  public static void format(MemorySegment s, int slotCount) {
    if (!isValidSlotCount(slotCount)) {
      throw new IllegalArgumentException("a queue's slot count is a power of two in [" + MIN_SLOT_COUNT + ", "
          + MAX_SLOT_COUNT + "], got " + slotCount);
    }
    checkSegment(s, totalSize(slotCount));
    LONG.setVolatile(s, MAGIC_OFFSET, 0L); // a peer that looks while this runs sees no queue
    s.asSlice(8, totalSize(slotCount) - 8).fill((byte) 0);
    INT.set(s, VERSION_OFFSET, VERSION);
    INT.set(s, SLOT_SIZE_OFFSET, SLOT_SIZE);
    INT.set(s, SLOT_COUNT_OFFSET, slotCount);
    LONG.set(s, RING_OFFSET_OFFSET, RING_START);
    LONG.set(s, TOTAL_SIZE_OFFSET, totalSize(slotCount));
    LONG.setRelease(s, MAGIC_OFFSET, MAGIC);
  }

  /**
   * Checks the header of {@code s} and returns its slot count, or throws naming the first field
   * that is wrong. An end calls it once, when it attaches; it never reads the header again, so a
   * peer that rewrites the header later changes nothing.
   *
   * @throws IllegalArgumentException naming the field or the property of the segment that is wrong
   */
  public static int validate(MemorySegment s) {
    checkSegment(s, LINE);
    final long magic = (long) LONG.getAcquire(s, MAGIC_OFFSET);
    if (magic != MAGIC) {
      throw new IllegalArgumentException("not a queue: MAGIC is 0x" + Long.toHexString(magic));
    }
    final int version = (int) INT.get(s, VERSION_OFFSET);
    if (version != VERSION) {
      throw new IllegalArgumentException("queue VERSION " + version + ", expected " + VERSION);
    }
    final int slotSize = (int) INT.get(s, SLOT_SIZE_OFFSET);
    if (slotSize != SLOT_SIZE) {
      throw new IllegalArgumentException("queue SLOT_SIZE " + slotSize + ", expected " + SLOT_SIZE);
    }
    final int slotCount = (int) INT.get(s, SLOT_COUNT_OFFSET);
    if (!isValidSlotCount(Integer.toUnsignedLong(slotCount))) {
      throw new IllegalArgumentException("queue SLOT_COUNT " + Integer.toUnsignedString(slotCount)
          + " is not a power of two in [" + MIN_SLOT_COUNT + ", " + MAX_SLOT_COUNT + "]");
    }
    final long ringOffset = (long) LONG.get(s, RING_OFFSET_OFFSET);
    if (ringOffset != RING_START) {
      throw new IllegalArgumentException("queue RING_OFFSET " + ringOffset + ", expected " + RING_START);
    }
    final long totalSize = (long) LONG.get(s, TOTAL_SIZE_OFFSET);
    if (totalSize != totalSize(slotCount)) {
      throw new IllegalArgumentException("queue TOTAL_SIZE " + totalSize + ", expected " + totalSize(slotCount)
          + " for " + slotCount + " slots");
    }
    if (totalSize > s.byteSize()) {
      throw new IllegalArgumentException("queue TOTAL_SIZE " + totalSize + " exceeds the segment's " + s.byteSize()
          + " bytes");
    }
    return slotCount;
  }

  private static void checkSegment(MemorySegment s, long size) {
    if (!s.isNative()) {
      throw new IllegalArgumentException("a queue lives in native memory (an arena's or a mapped file's), not on the heap");
    }
    if (s.address() % LINE != 0) {
      throw new IllegalArgumentException("a queue's segment must be 64-byte aligned, starts at 0x"
          + Long.toHexString(s.address()));
    }
    if (s.byteSize() < size) {
      throw new IllegalArgumentException("a queue of this size needs " + size + " bytes, the segment has " + s.byteSize());
    }
  }

  // --- accessors -------------------------------------------------------------------------------

  public static long stampAcquire(MemorySegment s, long slot) {
    return (long) LONG.getAcquire(s, slot + STAMP_OFFSET);
  }

  public static long stampVolatile(MemorySegment s, long slot) {
    return (long) LONG.getVolatile(s, slot + STAMP_OFFSET);
  }

  /** A plain load: only after the acquire load of the message's first stamp. */
  public static long stampPlain(MemorySegment s, long slot) {
    return (long) LONG.get(s, slot + STAMP_OFFSET);
  }

  /** A plain store: the continuation stamps, ordered by the first stamp's volatile store after them. */
  public static void setStampPlain(MemorySegment s, long slot, long stamp) {
    LONG.set(s, slot + STAMP_OFFSET, stamp);
  }

  /** The publishing store of a message to a receiver that never sleeps: release only. */
  public static void setStampRelease(MemorySegment s, long slot, long stamp) {
    LONG.setRelease(s, slot + STAMP_OFFSET, stamp);
  }

  /** The publishing store of a message: release, and ordered before every later load (StoreLoad). */
  public static void setStampVolatile(MemorySegment s, long slot, long stamp) {
    LONG.setVolatile(s, slot + STAMP_OFFSET, stamp);
  }

  public static long readPositionVolatile(MemorySegment s) {
    return (long) LONG.getVolatile(s, READ_POSITION_OFFSET);
  }

  /** Publishes the receiver's position: release, and ordered before its later load of SENDER_SLEEPING. */
  public static void setReadPositionVolatile(MemorySegment s, long position) {
    LONG.setVolatile(s, READ_POSITION_OFFSET, position);
  }

  /** A volatile load of the u32 at {@code offset} (a STATE or SLEEPING word). */
  public static int intVolatile(MemorySegment s, long offset) {
    return (int) INT.getVolatile(s, offset);
  }

  /** An opaque load of the u32 at {@code offset}: a hint only, never an ordering. */
  public static int intOpaque(MemorySegment s, long offset) {
    return (int) INT.getOpaque(s, offset);
  }

  public static void setIntVolatile(MemorySegment s, long offset, int v) {
    INT.setVolatile(s, offset, v);
  }

  /** Compare-and-set of the u32 at {@code offset} (volatile semantics). */
  public static boolean casInt(MemorySegment s, long offset, int expected, int v) {
    return INT.compareAndSet(s, offset, expected, v);
  }

  /** A volatile load of the u64 at {@code offset} (the RECEIVER_NOTIFY words). */
  public static long longVolatile(MemorySegment s, long offset) {
    return (long) LONG.getVolatile(s, offset);
  }

  public static void setLongVolatile(MemorySegment s, long offset, long v) {
    LONG.setVolatile(s, offset, v);
  }
}
