package dev.nucleus.async.internal;

import static dev.nucleus.async.internal.QueueDescriptor.PAYLOAD_SIZE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A message's payload in the ring, addressed as one run of bytes: payload byte {@code at} lies
 * in the message's slot {@code at / 56} (wrapped to the ring's start as needed) at offset
 * {@code at % 56}. A naturally aligned int or long never crosses a slot, since 56 is a multiple
 * of 8; copies go slot by slot. The flyweight of {@link MessageView} and {@link MessageClaim}:
 * one instance per end, pointed at one message at a time, {@code length} -1 between messages.
 * Every access is checked against the message's length; no value read from shared memory takes
 * part in an address. Used by one thread; allocates nothing.
 */
abstract class PayloadSlots {

  final MemorySegment segment;
  private final long mask;
  /** Position of the message's first slot. */
  long first;
  /** Offset in the segment of the first slot's payload, where every field of a one-slot message lies. */
  private long firstPayload;
  /** Payload bytes, or -1 while this view shows no message. */
  int length = -1;

  PayloadSlots(MemorySegment segment, long mask) {
    this.segment = segment;
    this.mask = mask;
  }

  final void open(long firstPosition, int bytes) {
    first = firstPosition;
    firstPayload = QueueDescriptor.slotOffset(firstPosition, mask) + QueueDescriptor.PAYLOAD_OFFSET;
    length = bytes;
  }

  final void close() {
    length = -1;
  }

  final boolean isOpen() {
    return length >= 0;
  }

  /** Offset in the segment of the {@code size}-byte field at payload offset {@code at}, checked. */
  final long field(long at, int size) {
    if (at < 0 || at > length - size) {
      throw outside(at, size);
    }
    if ((at & (size - 1)) != 0) {
      throw new IllegalArgumentException("a " + size + "-byte field of a message must be at a multiple of " + size
          + ", not " + at);
    }
    if (at < PAYLOAD_SIZE) {
      return firstPayload + at; // in the first slot (an aligned field never crosses one): no slot arithmetic
    }
    return QueueDescriptor.payloadOffset(first, mask, at);
  }

  /** Copies {@code bytes} between payload offset {@code at} and {@code other}, slot by slot. */
  final void copy(long at, MemorySegment other, long otherOffset, long bytes, boolean fromRing) {
    if (at < 0 || bytes < 0 || at > length - bytes) {
      throw outside(at, bytes);
    }
    Objects.checkFromIndexSize(otherOffset, bytes, other.byteSize());
    long done = 0;
    while (done < bytes) {
      final long from = at + done;
      final long chunk = Math.min(bytes - done, PAYLOAD_SIZE - from % PAYLOAD_SIZE);
      final long ring = QueueDescriptor.payloadOffset(first, mask, from);
      if (fromRing) {
        MemorySegment.copy(segment, ring, other, otherOffset + done, chunk);
      } else {
        MemorySegment.copy(other, otherOffset + done, segment, ring, chunk);
      }
      done += chunk;
    }
  }

  private RuntimeException outside(long at, long size) {
    if (length < 0) {
      return new IllegalStateException(noMessage());
    }
    return new IndexOutOfBoundsException("bytes " + at + ".." + (at + size) + " are outside the message's "
        + length + " bytes");
  }

  /** What a caller was told when it used the view with no message open. */
  abstract String noMessage();

  // Unaligned layouts: field() has checked that the field is naturally aligned within the payload,
  // and the ring's slots are 64-byte aligned (QueueDescriptor.validate), so the access is aligned;
  // these layouts only spare each access the segment's own alignment check.
  static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
}
