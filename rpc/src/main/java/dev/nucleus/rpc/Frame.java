package dev.nucleus.rpc;

import dev.nucleus.rpc.internal.Utf8;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A marshalling cursor over a {@link MemorySegment}: the argument stack (A-stack) of one call, as
 * a request or as a reply. Used by generated code: the proxy puts the arguments on the request
 * and gets the result from the reply; the adapter gets the arguments and puts the result.
 *
 * <h2>Wire format</h2>
 *
 * Little-endian. Offsets are from the start of the frame, which the transport places 8-byte
 * aligned; every value starts at the next offset aligned to its alignment, the gap (padding)
 * written as zeros and ignored by readers. Values follow each other in parameter order, with
 * nothing between them but padding and nothing after the last one (docs/rpc-wire.md has the
 * table):
 *
 * <pre>
 *   boolean          u8, 0 or 1                                   align 1
 *   byte             i8                                           align 1
 *   short, char      i16, u16                                     align 2
 *   int, float       i32, IEEE 754 binary32                       align 4
 *   long, double     i64, IEEE 754 binary64                       align 8
 *   box (Integer...) presence u8 (0 null, 1 present), then the primitive if present
 *   String           i32 byte length (-1 null), then that many bytes of UTF-8     align 4
 *   byte[], ByteBuffer, MemorySegment, primitive arrays
 *                    i32 element count (-1 null) at align 4; if not null, the elements
 *                    contiguous from the next 8-aligned offset ("bulk")
 *   enum             i32 ordinal (-1 null)                                        align 4
 *   record           presence u8, then its components in declaration order
 *   T[], List&lt;T&gt;     i32 count (-1 null) at align 4, then count values of T
 * </pre>
 *
 * <h2>Validation</h2>
 *
 * Every get checks what it reads before using it, and throws {@link MalformedFrameException}
 * naming the value and its offset otherwise: the value lies within the frame; a length or count
 * is -1 or fits in the bytes left (a count is checked against the smallest encoding of its
 * elements, so a hostile count cannot make the reader allocate more than a small multiple of the
 * frame); UTF-8 is well-formed; a boolean or presence byte is 0 or 1; an ordinal is in range.
 * {@link #expectEnd()} checks that nothing is left over. So a frame written by another process
 * gives correct values or MalformedFrameException, never an IndexOutOfBoundsException or an
 * unbounded allocation.
 *
 * <h2>Views and copies</h2>
 *
 * {@link #getByteBufferView()} and {@link #getSegmentView()} (used by the adapter, for
 * parameters) return read-only views of the frame, with no copy: they are valid for the duration
 * of the call only, and fail (IllegalStateException) once the binding releases the memory.
 * {@link #getByteBufferCopy()} and {@link #getSegmentCopy()} (used by the proxy, for results)
 * copy to the heap.
 *
 * <h2>Growth</h2>
 *
 * A frame created with a {@link Growth} has no size cliff: a put that does not fit asks the
 * growth for a larger segment, copies what it has written and goes on. Without one, or when the
 * growth refuses, the put throws {@link FrameOverflowException}. A single value is at most
 * {@link #MAX_LENGTH} elements long.
 *
 * <h2>Use</h2>
 *
 * A frame is written from {@link #clear()} (or {@link #reset(MemorySegment)}), then read after
 * {@link #flip()} (what was just written) or {@link #wrap(long)} (what a peer wrote). Primitive
 * puts and gets allocate nothing. Not thread-safe: a frame belongs to one call at a time, and the
 * binding hands it from the client's thread to the server's with a happens-before edge.
 */
public final class Frame {

  /**
   * Gives a frame a larger segment when a put does not fit. Used by transports: a local binding
   * allocates from an arena, the kernel transport maps a region shared for the call.
   */
  @FunctionalInterface
  public interface Growth {

    /**
     * A segment of at least {@code minimumBytes}, 8-byte aligned, to replace the frame's current
     * one for the rest of the call. The frame copies what it has written into it. The binding
     * releases the segments it gave when the call ends.
     *
     * @param minimumBytes the smallest size the frame can use
     * @return a segment of at least that size
     * @throws FrameOverflowException if no such segment can be had
     */
    MemorySegment larger(long minimumBytes);

    /**
     * A segment for a frame that needs {@code neededBytes} now and would like
     * {@code wantedBytes} (headroom for the puts to come). By default
     * {@link #larger(long) larger(wantedBytes)}; a growth whose room is fixed (the space a caller
     * offered for a reply) gives what it has, if that is enough for now.
     *
     * @param neededBytes what the frame cannot do without
     * @param wantedBytes what it asks for, at least {@code neededBytes}
     * @return a segment of at least {@code neededBytes}
     * @throws FrameOverflowException if no such segment can be had
     */
    default MemorySegment larger(long neededBytes, long wantedBytes) {
      return larger(wantedBytes);
    }
  }

  /** The most elements (bytes, chars, values) one length or count can describe: 2^31 - 1. */
  public static final int MAX_LENGTH = Integer.MAX_VALUE;
  /** A length or count that stands for null. */
  public static final int NULL_LENGTH = -1;
  /** Alignment of the contents of a bulk value (byte[], ByteBuffer, MemorySegment, primitive arrays). */
  public static final int BULK_ALIGNMENT = 8;
  /** Headroom added when a frame grows for one large value, so that small values after it fit. */
  private static final long GROWTH_HEADROOM = 64 * 1024;

  private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Growth growth;
  /** The memory written or read: the A-stack, or a larger segment from {@link #growth}. */
  private MemorySegment segment;
  /** The offset of the next value (before its padding). */
  private long position;
  /** Reading: the end of the frame's content. Writing: the segment's size. */
  private long limit;

  /**
   * A frame over {@code segment} that cannot grow, ready to write.
   *
   * @param segment the memory; its size is the frame's capacity
   */
  public Frame(MemorySegment segment) {
    this(segment, null);
  }

  /**
   * A frame over {@code segment}, ready to write, that asks {@code growth} for more room.
   *
   * @param segment the memory to start with
   * @param growth where a larger segment comes from, or null for a frame that cannot grow
   */
  public Frame(MemorySegment segment, Growth growth) {
    this.growth = growth;
    reset(segment);
  }

  // ---------------------------------------------------------------- state

  /**
   * The segment the frame currently uses: the one it was created or reset with, or a larger one
   * from its growth.
   *
   * @return the segment
   */
  public MemorySegment segment() {
    return segment;
  }

  /**
   * The offset of the next value (before any padding): while writing, the length written so far.
   *
   * @return a byte offset
   */
  public long position() {
    return position;
  }

  /**
   * While reading, the end of the frame's content; while writing, the segment's size.
   *
   * @return a byte offset
   */
  public long limit() {
    return limit;
  }

  /**
   * The bytes between the position and the limit.
   *
   * @return {@code limit() - position()}
   */
  public long remaining() {
    return limit - position;
  }

  /**
   * Starts writing from offset 0 of the current segment.
   *
   * @return this frame
   */
  public Frame clear() {
    position = 0;
    limit = segment.byteSize();
    return this;
  }

  /**
   * Starts writing from offset 0 of {@code segment}: a transport puts a frame back on its A-stack
   * after a call that grew it.
   *
   * @param segment the memory to use from now on
   * @return this frame
   */
  public Frame reset(MemorySegment segment) {
    this.segment = Objects.requireNonNull(segment, "segment");
    return clear();
  }

  /**
   * Starts reading what was just written: the limit becomes the position, the position 0.
   *
   * @return this frame
   */
  public Frame flip() {
    limit = position;
    position = 0;
    return this;
  }

  /**
   * Starts reading {@code length} bytes a peer wrote at the start of the current segment.
   *
   * @param length the frame's length, as the transport received it
   * @return this frame
   * @throws MalformedFrameException if {@code length} is negative or beyond the segment
   */
  public Frame wrap(long length) {
    if (length < 0 || length > segment.byteSize()) {
      throw new MalformedFrameException("frame length " + length + " is not within the "
          + segment.byteSize() + " bytes of its segment", 0);
    }
    position = 0;
    limit = length;
    return this;
  }

  /**
   * Checks that the whole frame has been read.
   *
   * @throws MalformedFrameException if bytes are left after the last value
   */
  public void expectEnd() {
    if (position != limit) {
      throw new MalformedFrameException((limit - position) + " bytes left over after the last value", position);
    }
  }

  // ---------------------------------------------------------------- primitives

  /**
   * Puts a boolean: one byte, 0 or 1.
   *
   * @param value the value
   */
  public void putBoolean(boolean value) {
    final long at = writeAt(1, 1);
    segment.set(BYTE, at, value ? (byte) 1 : (byte) 0);
  }

  /**
   * Gets a boolean.
   *
   * @return the value
   * @throws MalformedFrameException if the frame ends or the byte is neither 0 nor 1
   */
  public boolean getBoolean() {
    return flag("boolean");
  }

  /**
   * Puts a byte.
   *
   * @param value the value
   */
  public void putByte(byte value) {
    final long at = writeAt(1, 1);
    segment.set(BYTE, at, value);
  }

  /**
   * Gets a byte.
   *
   * @return the value
   * @throws MalformedFrameException if the frame ends
   */
  public byte getByte() {
    return segment.get(BYTE, readAt(1, 1, "byte"));
  }

  /**
   * Puts a short, 2-aligned.
   *
   * @param value the value
   */
  public void putShort(short value) {
    final long at = writeAt(2, 2);
    segment.set(SHORT, at, value);
  }

  /**
   * Gets a short.
   *
   * @return the value
   * @throws MalformedFrameException if the frame ends
   */
  public short getShort() {
    return segment.get(SHORT, readAt(2, 2, "short"));
  }

  /**
   * Puts a char (a UTF-16 code unit), 2-aligned.
   *
   * @param value the value
   */
  public void putChar(char value) {
    final long at = writeAt(2, 2);
    segment.set(CHAR, at, value);
  }

  /**
   * Gets a char.
   *
   * @return the value
   * @throws MalformedFrameException if the frame ends
   */
  public char getChar() {
    return segment.get(CHAR, readAt(2, 2, "char"));
  }

  /**
   * Puts an int, 4-aligned.
   *
   * @param value the value
   */
  public void putInt(int value) {
    final long at = writeAt(4, 4);
    segment.set(INT, at, value);
  }

  /**
   * Gets an int.
   *
   * @return the value
   * @throws MalformedFrameException if the frame ends
   */
  public int getInt() {
    return segment.get(INT, readAt(4, 4, "int"));
  }

  /**
   * Puts a long, 8-aligned.
   *
   * @param value the value
   */
  public void putLong(long value) {
    final long at = writeAt(8, 8);
    segment.set(LONG, at, value);
  }

  /**
   * Gets a long.
   *
   * @return the value
   * @throws MalformedFrameException if the frame ends
   */
  public long getLong() {
    return segment.get(LONG, readAt(8, 8, "long"));
  }

  /**
   * Puts a float, 4-aligned; NaN payloads are kept.
   *
   * @param value the value
   */
  public void putFloat(float value) {
    final long at = writeAt(4, 4);
    segment.set(FLOAT, at, value);
  }

  /**
   * Gets a float.
   *
   * @return the value
   * @throws MalformedFrameException if the frame ends
   */
  public float getFloat() {
    return segment.get(FLOAT, readAt(4, 4, "float"));
  }

  /**
   * Puts a double, 8-aligned; NaN payloads are kept.
   *
   * @param value the value
   */
  public void putDouble(double value) {
    final long at = writeAt(8, 8);
    segment.set(DOUBLE, at, value);
  }

  /**
   * Gets a double.
   *
   * @return the value
   * @throws MalformedFrameException if the frame ends
   */
  public double getDouble() {
    return segment.get(DOUBLE, readAt(8, 8, "double"));
  }

  // ---------------------------------------------------------------- nullability, counts, enums

  /**
   * Puts the presence byte of a box or record: 1 if {@code value} is not null, else 0. The
   * generated code then puts the value's contents only if it is present.
   *
   * @param value the box or record about to be written
   * @return true if {@code value} is not null
   */
  public boolean putPresence(Object value) {
    final boolean present = value != null;
    putBoolean(present);
    return present;
  }

  /**
   * Gets a presence byte.
   *
   * @return true if a value follows, false for null
   * @throws MalformedFrameException if the frame ends or the byte is neither 0 nor 1
   */
  public boolean getPresence() {
    return flag("presence");
  }

  /**
   * Puts the count of an array or list, or {@link #NULL_LENGTH} for null.
   *
   * @param count the number of elements that follow, or -1
   * @throws IllegalArgumentException if {@code count} is below -1
   */
  public void putCount(int count) {
    if (count < NULL_LENGTH) {
      throw new IllegalArgumentException("count must be -1 (null) or more, got " + count);
    }
    putInt(count);
  }

  /**
   * Gets the count of an array or list, checked against the bytes left: each element takes at
   * least {@code minElementBytes}.
   *
   * @param minElementBytes the smallest encoding of one element, at least 1
   * @return the count, or {@link #NULL_LENGTH} for null
   * @throws MalformedFrameException if the frame ends, the count is below -1, or that many
   *     elements cannot fit in the bytes left
   */
  public int getCount(int minElementBytes) {
    final long at = readAt(4, 4, "count");
    final int count = segment.get(INT, at);
    if (count == NULL_LENGTH) {
      return NULL_LENGTH;
    }
    if (count < 0) {
      throw new MalformedFrameException("negative count " + count, at);
    }
    if (count > remaining() / Math.max(1, minElementBytes)) {
      throw new MalformedFrameException("count " + count + " of elements of at least " + minElementBytes
          + " bytes exceeds the " + remaining() + " bytes left", at);
    }
    return count;
  }

  /**
   * Puts an enum constant as its ordinal, or -1 for null.
   *
   * @param value the constant, or null
   */
  public void putEnum(Enum<?> value) {
    putInt(value == null ? NULL_LENGTH : value.ordinal());
  }

  /**
   * Gets an enum constant by its ordinal.
   *
   * @param <E> the enum type
   * @param values the enum's constants in ordinal order (the generated code caches
   *     {@code values()} once)
   * @return the constant, or null
   * @throws MalformedFrameException if the frame ends or the ordinal is neither -1 nor in range
   */
  public <E extends Enum<E>> E getEnum(E[] values) {
    final long at = readAt(4, 4, "enum ordinal");
    final int ordinal = segment.get(INT, at);
    if (ordinal == NULL_LENGTH) {
      return null;
    }
    if (ordinal < 0 || ordinal >= values.length) {
      throw new MalformedFrameException("ordinal " + ordinal + " out of range for an enum of " + values.length
          + " constants", at);
    }
    return values[ordinal];
  }

  // ---------------------------------------------------------------- strings

  /**
   * Puts a string as its UTF-8 bytes after their i32 length, or -1 for null. Unpaired surrogates
   * are written as {@code ?}, as {@link String#getBytes} does.
   *
   * @param value the string, or null
   * @throws FrameOverflowException if the frame cannot grow enough
   */
  public void putString(String value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    putInt(utf8.length);
    final long at = writeAt(1, utf8.length);
    MemorySegment.copy(utf8, 0, segment, BYTE, at, utf8.length);
  }

  /**
   * Gets a string.
   *
   * @return the string, or null
   * @throws MalformedFrameException if the frame ends, the length is below -1 or beyond the bytes
   *     left, or the bytes are not well-formed UTF-8
   */
  public String getString() {
    final long at = position;
    final int length = length("string", 1);
    if (length == NULL_LENGTH) {
      return null;
    }
    final long start = readAt(1, length, "string");
    final byte[] utf8 = new byte[length];
    MemorySegment.copy(segment, BYTE, start, utf8, 0, length);
    final int bad = Utf8.firstInvalid(utf8);
    if (bad >= 0) {
      throw new MalformedFrameException("ill-formed UTF-8 in a string of " + length + " bytes (string at "
          + at + ")", start + bad);
    }
    return new String(utf8, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- bulk values

  /**
   * Puts a byte array: its length, then its bytes from the next 8-aligned offset.
   *
   * @param value the array, or null
   * @throws FrameOverflowException if the frame cannot grow enough
   */
  public void putBytes(byte[] value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putInt(value.length);
    final long at = writeAt(BULK_ALIGNMENT, value.length);
    MemorySegment.copy(value, 0, segment, BYTE, at, value.length);
  }

  /**
   * Gets a byte array (a copy).
   *
   * @return the array, or null
   * @throws MalformedFrameException if the frame ends or the length is below -1 or beyond the
   *     bytes left
   */
  public byte[] getBytes() {
    final int length = length("byte[]", 1);
    if (length == NULL_LENGTH) {
      return null;
    }
    final long at = readAt(BULK_ALIGNMENT, length, "byte[]");
    final byte[] value = new byte[length];
    MemorySegment.copy(segment, BYTE, at, value, 0, length);
    return value;
  }

  /**
   * Puts the bytes of a buffer between its position and its limit, encoded as a byte array.
   * The buffer's position is not changed.
   *
   * @param value the buffer, or null
   * @throws FrameOverflowException if the frame cannot grow enough
   */
  public void putByteBuffer(ByteBuffer value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putSegment(MemorySegment.ofBuffer(value));
  }

  /**
   * Gets a byte buffer as a read-only view of the frame (no copy): position 0, limit the length,
   * big-endian as every new buffer. Valid for the duration of the call only.
   *
   * @return the view, or null
   * @throws MalformedFrameException if the frame ends or the length is below -1 or beyond the
   *     bytes left
   */
  public ByteBuffer getByteBufferView() {
    final MemorySegment view = getSegmentView();
    return view == null ? null : view.asByteBuffer();
  }

  /**
   * Gets a byte buffer as a heap copy: position 0, limit the length, writable.
   *
   * @return the copy, or null
   * @throws MalformedFrameException if the frame ends or the length is below -1 or beyond the
   *     bytes left
   */
  public ByteBuffer getByteBufferCopy() {
    final byte[] bytes = getBytes();
    return bytes == null ? null : ByteBuffer.wrap(bytes);
  }

  /**
   * Puts the contents of a segment, encoded as a byte array.
   *
   * @param value the segment, or null
   * @throws FrameOverflowException if the segment is longer than {@link #MAX_LENGTH} bytes or
   *     the frame cannot grow enough
   */
  public void putSegment(MemorySegment value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    final long length = value.byteSize();
    if (length > MAX_LENGTH) {
      throw new FrameOverflowException("a segment of " + length + " bytes exceeds the wire format's "
          + MAX_LENGTH + "-byte limit for one value");
    }
    putInt((int) length);
    final long at = writeAt(BULK_ALIGNMENT, length);
    MemorySegment.copy(value, 0, segment, at, length);
  }

  /**
   * Gets a segment as a read-only view of the frame (no copy). Valid for the duration of the call
   * only.
   *
   * @return the view, or null
   * @throws MalformedFrameException if the frame ends or the length is below -1 or beyond the
   *     bytes left
   */
  public MemorySegment getSegmentView() {
    final int length = length("bytes", 1);
    if (length == NULL_LENGTH) {
      return null;
    }
    return segment.asSlice(readAt(BULK_ALIGNMENT, length, "bytes"), length).asReadOnly();
  }

  /**
   * Gets a segment as a heap copy (writable, backed by a {@code byte[]}).
   *
   * @return the copy, or null
   * @throws MalformedFrameException if the frame ends or the length is below -1 or beyond the
   *     bytes left
   */
  public MemorySegment getSegmentCopy() {
    final byte[] bytes = getBytes();
    return bytes == null ? null : MemorySegment.ofArray(bytes);
  }

  /**
   * Puts a boolean array: its count, then one byte (0 or 1) per element, 8-aligned.
   *
   * @param value the array, or null
   */
  public void putBooleans(boolean[] value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putInt(value.length);
    final long at = writeAt(BULK_ALIGNMENT, value.length);
    for (int i = 0; i < value.length; i++) {
      segment.set(BYTE, at + i, value[i] ? (byte) 1 : (byte) 0);
    }
  }

  /**
   * Gets a boolean array.
   *
   * @return the array, or null
   * @throws MalformedFrameException if the frame ends, the count is out of range, or a byte is
   *     neither 0 nor 1
   */
  public boolean[] getBooleans() {
    final int count = length("boolean[]", 1);
    if (count == NULL_LENGTH) {
      return null;
    }
    final long at = readAt(BULK_ALIGNMENT, count, "boolean[]");
    final boolean[] value = new boolean[count];
    for (int i = 0; i < count; i++) {
      final byte b = segment.get(BYTE, at + i);
      if ((b & ~1) != 0) {
        throw new MalformedFrameException("boolean byte " + b + " is neither 0 nor 1", at + i);
      }
      value[i] = b == 1;
    }
    return value;
  }

  /**
   * Puts a short array: its count, then the elements, 8-aligned.
   *
   * @param value the array, or null
   */
  public void putShorts(short[] value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putInt(value.length);
    final long at = writeAt(BULK_ALIGNMENT, 2L * value.length);
    MemorySegment.copy(value, 0, segment, SHORT, at, value.length);
  }

  /**
   * Gets a short array.
   *
   * @return the array, or null
   * @throws MalformedFrameException if the frame ends or the count is out of range
   */
  public short[] getShorts() {
    final int count = length("short[]", 2);
    if (count == NULL_LENGTH) {
      return null;
    }
    final long at = readAt(BULK_ALIGNMENT, 2L * count, "short[]");
    final short[] value = new short[count];
    MemorySegment.copy(segment, SHORT, at, value, 0, count);
    return value;
  }

  /**
   * Puts a char array: its count, then the UTF-16 code units, 8-aligned.
   *
   * @param value the array, or null
   */
  public void putChars(char[] value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putInt(value.length);
    final long at = writeAt(BULK_ALIGNMENT, 2L * value.length);
    MemorySegment.copy(value, 0, segment, CHAR, at, value.length);
  }

  /**
   * Gets a char array.
   *
   * @return the array, or null
   * @throws MalformedFrameException if the frame ends or the count is out of range
   */
  public char[] getChars() {
    final int count = length("char[]", 2);
    if (count == NULL_LENGTH) {
      return null;
    }
    final long at = readAt(BULK_ALIGNMENT, 2L * count, "char[]");
    final char[] value = new char[count];
    MemorySegment.copy(segment, CHAR, at, value, 0, count);
    return value;
  }

  /**
   * Puts an int array: its count, then the elements, 8-aligned.
   *
   * @param value the array, or null
   */
  public void putInts(int[] value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putInt(value.length);
    final long at = writeAt(BULK_ALIGNMENT, 4L * value.length);
    MemorySegment.copy(value, 0, segment, INT, at, value.length);
  }

  /**
   * Gets an int array.
   *
   * @return the array, or null
   * @throws MalformedFrameException if the frame ends or the count is out of range
   */
  public int[] getInts() {
    final int count = length("int[]", 4);
    if (count == NULL_LENGTH) {
      return null;
    }
    final long at = readAt(BULK_ALIGNMENT, 4L * count, "int[]");
    final int[] value = new int[count];
    MemorySegment.copy(segment, INT, at, value, 0, count);
    return value;
  }

  /**
   * Puts a long array: its count, then the elements, 8-aligned.
   *
   * @param value the array, or null
   */
  public void putLongs(long[] value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putInt(value.length);
    final long at = writeAt(BULK_ALIGNMENT, 8L * value.length);
    MemorySegment.copy(value, 0, segment, LONG, at, value.length);
  }

  /**
   * Gets a long array.
   *
   * @return the array, or null
   * @throws MalformedFrameException if the frame ends or the count is out of range
   */
  public long[] getLongs() {
    final int count = length("long[]", 8);
    if (count == NULL_LENGTH) {
      return null;
    }
    final long at = readAt(BULK_ALIGNMENT, 8L * count, "long[]");
    final long[] value = new long[count];
    MemorySegment.copy(segment, LONG, at, value, 0, count);
    return value;
  }

  /**
   * Puts a float array: its count, then the elements, 8-aligned.
   *
   * @param value the array, or null
   */
  public void putFloats(float[] value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putInt(value.length);
    final long at = writeAt(BULK_ALIGNMENT, 4L * value.length);
    MemorySegment.copy(value, 0, segment, FLOAT, at, value.length);
  }

  /**
   * Gets a float array.
   *
   * @return the array, or null
   * @throws MalformedFrameException if the frame ends or the count is out of range
   */
  public float[] getFloats() {
    final int count = length("float[]", 4);
    if (count == NULL_LENGTH) {
      return null;
    }
    final long at = readAt(BULK_ALIGNMENT, 4L * count, "float[]");
    final float[] value = new float[count];
    MemorySegment.copy(segment, FLOAT, at, value, 0, count);
    return value;
  }

  /**
   * Puts a double array: its count, then the elements, 8-aligned.
   *
   * @param value the array, or null
   */
  public void putDoubles(double[] value) {
    if (value == null) {
      putInt(NULL_LENGTH);
      return;
    }
    putInt(value.length);
    final long at = writeAt(BULK_ALIGNMENT, 8L * value.length);
    MemorySegment.copy(value, 0, segment, DOUBLE, at, value.length);
  }

  /**
   * Gets a double array.
   *
   * @return the array, or null
   * @throws MalformedFrameException if the frame ends or the count is out of range
   */
  public double[] getDoubles() {
    final int count = length("double[]", 8);
    if (count == NULL_LENGTH) {
      return null;
    }
    final long at = readAt(BULK_ALIGNMENT, 8L * count, "double[]");
    final double[] value = new double[count];
    MemorySegment.copy(segment, DOUBLE, at, value, 0, count);
    return value;
  }

  // ---------------------------------------------------------------- cursor

  /**
   * Reserves {@code size} bytes at the next {@code alignment}-aligned offset, zeroing the padding
   * and growing the frame if needed. Callers read {@link #segment} after this call, never before
   * (growth replaces it).
   *
   * @return the offset of the reserved bytes
   */
  private long writeAt(int alignment, long size) {
    final long at = align(position, alignment);
    final long end = at + size;
    if (end > segment.byteSize()) {
      grow(end);
    }
    for (long p = position; p < at; p++) {
      segment.set(BYTE, p, (byte) 0);
    }
    position = end;
    return at;
  }

  /**
   * Claims {@code size} bytes at the next {@code alignment}-aligned offset for reading.
   *
   * @return the offset of the claimed bytes
   * @throws MalformedFrameException if they do not lie within the frame
   */
  private long readAt(int alignment, long size, String what) {
    final long at = align(position, alignment);
    if (at > limit || size > limit - at) {
      throw new MalformedFrameException(what + " of " + size + " bytes runs past the end of the frame ("
          + limit + " bytes)", Math.min(at, limit));
    }
    position = at + size;
    return at;
  }

  /**
   * Reads the i32 length (or count) of a value whose elements take {@code elementBytes} each,
   * plus the bulk padding: -1, or a length whose elements fit in the bytes left.
   */
  private int length(String what, int elementBytes) {
    final long at = readAt(4, 4, what + " length");
    final int length = segment.get(INT, at);
    if (length == NULL_LENGTH) {
      return NULL_LENGTH;
    }
    if (length < 0) {
      throw new MalformedFrameException("negative " + what + " length " + length, at);
    }
    if ((long) length * elementBytes > remaining()) {
      throw new MalformedFrameException(what + " length " + length + " exceeds the " + remaining()
          + " bytes left", at);
    }
    return length;
  }

  private boolean flag(String what) {
    final long at = readAt(1, 1, what);
    final byte b = segment.get(BYTE, at);
    if ((b & ~1) != 0) {
      throw new MalformedFrameException(what + " byte " + b + " is neither 0 nor 1", at);
    }
    return b == 1;
  }

  /** Moves to a segment that holds {@code needed} bytes, keeping what was written. */
  private void grow(long needed) {
    final long capacity = segment.byteSize();
    if (growth == null) {
      throw new FrameOverflowException("frame full: " + needed + " bytes needed, " + capacity
          + " available, and the frame cannot grow");
    }
    // Doubling keeps many small puts linear; one large value gets room for itself plus headroom
    // rather than twice its size.
    final long doubled = capacity > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : capacity * 2;
    final long wanted = needed >= doubled ? needed + GROWTH_HEADROOM : doubled;
    final MemorySegment larger = growth.larger(needed, wanted);
    if (larger == null || larger.byteSize() < needed) {
      throw new FrameOverflowException("frame growth gave " + (larger == null ? "nothing" : larger.byteSize()
          + " bytes") + " where " + needed + " were needed");
    }
    MemorySegment.copy(segment, 0, larger, 0, position);
    segment = larger;
    limit = larger.byteSize();
  }

  private static long align(long offset, int alignment) {
    return (offset + alignment - 1) & -alignment;
  }
}
