package dev.nucleus.bench.oneway;

/**
 * What every one-way message carries, whatever the mechanism: {@code words} little-endian longs,
 * word 0 the message's sequence number (0, 1, 2, ... within one size's stream), word {@code i > 0}
 * a value derived from it ({@link #word}), so that the receiver can check every byte it was given
 * without a table. 8 bytes is word 0 alone; 56 bytes (one Nucleus slot) is seven words.
 *
 * <pre>
 *   offset  0        8        16            48       56
 *          +--------+--------+-- ... --+--------+
 *          |  seq   | w(1)   |         |  w(6)  |     w(i) = seq * PHI + i
 *          +--------+--------+-- ... --+--------+
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Payload {

  /** The two sizes measured: one word, and a whole Nucleus slot's payload. */
  public static final int[] SIZES = {8, 56};

  /** An odd constant (2^64 / golden ratio): consecutive sequence numbers give unrelated words. */
  private static final long PHI = 0x9E37_79B9_7F4A_7C15L;

  private Payload() {}

  /**
   * Words of a message of {@code bytes} bytes.
   *
   * @param bytes a positive multiple of 8
   * @return {@code bytes / 8}
   * @throws IllegalArgumentException for any other size
   */
  public static int words(int bytes) {
    if (bytes <= 0 || bytes % Long.BYTES != 0) {
      throw new IllegalArgumentException("a one-way payload is a positive multiple of 8 bytes, not " + bytes);
    }
    return bytes / Long.BYTES;
  }

  /**
   * Word {@code index} of message {@code seq}.
   *
   * @param seq the sequence number
   * @param index 0 for the sequence number itself, else 1 ..
   * @return the word the sender writes and the receiver expects
   */
  public static long word(long seq, int index) {
    return index == 0 ? seq : seq * PHI + index;
  }
}
