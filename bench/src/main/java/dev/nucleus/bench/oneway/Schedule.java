package dev.nucleus.bench.oneway;

/**
 * How many messages one size's stream has: {@code warmup} unmeasured ones, then {@code rounds}
 * measured rounds of {@code messages} each, back to back. The sender sends the whole stream
 * without a pause; the receiver times each round from the message that starts it to the one that
 * ends it, so a round measures the steady state, not a start.
 *
 * @param warmup unmeasured messages first, {@code >= 0}
 * @param messages messages per round, {@code >= 1}
 * @param rounds measured rounds, {@code >= 1}
 */
public record Schedule(long warmup, long messages, int rounds) {

  /** Checks the counts. */
  public Schedule {
    if (warmup < 0 || messages < 1 || rounds < 1) {
      throw new IllegalArgumentException("a schedule has warmup >= 0, messages >= 1 and rounds >= 1, not "
          + warmup + ", " + messages + ", " + rounds);
    }
  }

  /**
   * Messages in the whole stream.
   *
   * @return {@code warmup + rounds * messages}
   */
  public long total() {
    return Math.addExact(warmup, Math.multiplyExact(messages, rounds));
  }

  /**
   * Measured messages.
   *
   * @return {@code rounds * messages}
   */
  public long measured() {
    return messages * rounds;
  }
}
