package dev.nucleus.bench.oneway;

/**
 * The receiver's check of every message: each word it was handed must be what {@link Payload}
 * says message {@link #expected()} holds. A lost, repeated, reordered or torn message fails at
 * once with {@link WrongMessageException}, naming the message and the word, which ends the run.
 *
 * <p>Use: for each message, {@link #word} for each of its words, then {@link #next}. Allocates
 * nothing unless a message is wrong. Not thread-safe: the receiving thread's.
 */
public final class SequenceCheck {

  private final int words;
  private long expected;

  /**
   * A check of messages of {@code words} words, starting at sequence number 0.
   *
   * @param words words per message, at least 1
   */
  public SequenceCheck(int words) {
    if (words < 1) {
      throw new IllegalArgumentException("a message has at least one word, not " + words);
    }
    this.words = words;
  }

  /**
   * Words per message.
   *
   * @return at least 1
   */
  public int words() {
    return words;
  }

  /**
   * The sequence number of the next message: also how many were checked so far.
   *
   * @return 0, 1, ...
   */
  public long expected() {
    return expected;
  }

  /**
   * Checks word {@code index} of the current message.
   *
   * @param index 0 .. words - 1
   * @param value what the mechanism handed over
   * @throws WrongMessageException if it is not the word message {@link #expected()} holds
   */
  public void word(int index, long value) {
    if (value != Payload.word(expected, index)) {
      throw wrong(index, value);
    }
  }

  /**
   * Checks the length of the current message.
   *
   * @param bytes the length the mechanism handed over
   * @throws WrongMessageException if it is not {@code words * 8}
   */
  public void length(int bytes) {
    if (bytes != words * Long.BYTES) {
      throw new WrongMessageException("message " + expected + " has " + bytes + " bytes, not " + words * Long.BYTES);
    }
  }

  /** Ends the current message: the next one must be {@code expected() + 1}. */
  public void next() {
    expected++;
  }

  private WrongMessageException wrong(int index, long value) {
    if (index == 0) {
      return new WrongMessageException("expected message " + expected + ", got " + value
          + (value > expected ? " (messages lost)" : " (a message repeated or reordered)"));
    }
    return new WrongMessageException("message " + expected + ", word " + index + ": 0x" + Long.toHexString(value)
        + ", expected 0x" + Long.toHexString(Payload.word(expected, index)) + " (torn or corrupted)");
  }
}
