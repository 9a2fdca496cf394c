package dev.nucleus.async;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The checksummed messages of the tests: message {@code seq} of a stream has a length and bytes
 * that are a function of {@code seq} and the stream's seed alone, so a receiver that knows which
 * message it expects checks the order, the length and every byte, and a message lost, repeated,
 * reordered or torn shows as a mismatch. Word 0 (if the message has 8 bytes) is {@code seq}
 * itself, so that a mismatch says which message came instead; the other bytes are the
 * little-endian bytes of {@link #word}. Stateless; allocates nothing except to describe a
 * mismatch.
 */
final class Payloads {

  private final long seed;
  private final int maxLength;
  private final Lengths lengths;

  /** How a stream picks its lengths. */
  enum Lengths {
    /** 8 bytes: a one-slot message with the sequence number in it. */
    ONE_WORD,
    /** 56 bytes: exactly one slot. */
    ONE_SLOT,
    /** Any length from 0 to the maximum, most of them short, some long. */
    MIXED,
    /** The largest message, always: every send takes half the ring. */
    LARGEST,
    /** 1 to 168 bytes: one to three slots, each about as often. */
    FEW_SLOTS
  }

  Payloads(long seed, int maxLength, Lengths lengths) {
    this.seed = seed;
    this.maxLength = maxLength;
    this.lengths = lengths;
  }

  /** The length of message {@code seq}. */
  int length(long seq) {
    return switch (lengths) {
      case ONE_WORD -> Math.min(8, maxLength);
      case ONE_SLOT -> Math.min(QueueMemory.PAYLOAD_PER_SLOT, maxLength);
      case LARGEST -> maxLength;
      case MIXED -> {
        final long r = mix(seed ^ (seq * 0x632B_E59B_D9B4_E019L));
        // three in four fit one slot (0..56 bytes); the rest any length up to the maximum
        yield (r & 3) != 0 ? (int) ((r >>> 2) % (Math.min(56, maxLength) + 1)) : (int) ((r >>> 2) % (maxLength + 1L));
      }
      case FEW_SLOTS -> 1 + (int) ((mix(seed ^ (seq * 0x632B_E59B_D9B4_E019L)) >>> 1) % Math.min(3 * 56, maxLength));
    };
  }

  /** Word {@code index} of message {@code seq}. */
  long word(long seq, long index) {
    return index == 0 ? seq : mix(seed + seq * 0x9E37_79B9_7F4A_7C15L + index);
  }

  /** Byte {@code at} of message {@code seq}. */
  byte byteAt(long seq, long at) {
    return (byte) (word(seq, at >>> 3) >>> ((at & 7) * 8));
  }

  /** Writes message {@code seq} into a claim of its length. */
  void write(ClaimedMessage m, long seq) {
    final int length = m.length();
    long at = 0;
    for (; at + 8 <= length; at += 8) {
      m.putLong(at, word(seq, at >>> 3));
    }
    for (; at < length; at++) {
      m.putByte(at, byteAt(seq, at));
    }
  }

  /** Writes message {@code seq} into {@code dst} from offset 0 and returns its length. */
  int write(MemorySegment dst, long seq) {
    final int length = length(seq);
    long at = 0;
    for (; at + 8 <= length; at += 8) {
      dst.set(ValueLayout.JAVA_LONG_UNALIGNED, at, word(seq, at >>> 3));
    }
    for (; at < length; at++) {
      dst.set(ValueLayout.JAVA_BYTE, at, byteAt(seq, at));
    }
    return length;
  }

  /** Null if {@code m} is message {@code seq}, else what differs. */
  String mismatch(ReceivedMessage m, long seq) {
    final int length = length(seq);
    if (m.length() != length) {
      return describe(m.length() >= 8 ? m.getLong(0) : -1, seq, "length " + m.length() + ", expected " + length);
    }
    long at = 0;
    for (; at + 8 <= length; at += 8) {
      if (m.getLong(at) != word(seq, at >>> 3)) {
        return describe(m.getLong(0), seq, "word at byte " + at);
      }
    }
    for (; at < length; at++) {
      if (m.getByte(at) != byteAt(seq, at)) {
        return describe(length >= 8 ? m.getLong(0) : -1, seq, "byte " + at);
      }
    }
    return null;
  }

  /** Null if the {@code length} bytes of {@code src} are message {@code seq}, else what differs. */
  String mismatch(MemorySegment src, int length, long seq) {
    if (length != length(seq)) {
      return describe(length >= 8 ? src.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) : -1, seq,
          "length " + length + ", expected " + length(seq));
    }
    for (long at = 0; at < length; at++) {
      if (src.get(ValueLayout.JAVA_BYTE, at) != byteAt(seq, at)) {
        return describe(length >= 8 ? src.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) : -1, seq, "byte " + at);
      }
    }
    return null;
  }

  private static String describe(long firstWord, long seq, String what) {
    return "message " + seq + " differs (" + what + ")" + (firstWord >= 0 ? "; it carries number " + firstWord : "");
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
