package dev.nucleus.bench.scaling;

/**
 * What the bench JVM asks of the client processes, as one word ({@link ControlDescriptor}'s
 * COMMAND): a step number, how many clients call in that step (clients {@code 0 .. clients-1}),
 * and the phase.
 *
 * <pre>
 *   63            32 31             8 7       0
 *   +---------------+----------------+---------+
 *   | step          | clients        | phase   |
 *   +---------------+----------------+---------+
 * </pre>
 *
 * A step is one client count: {@link Phase#RUN} (calls, warm-up), {@link Phase#MEASURE} (calls,
 * latencies recorded), then {@link Phase#PAUSE} (no calls: each process reports the step). The
 * word is all zeros (step 0, PAUSE) until the first step.
 *
 * @param step the step, {@code >= 0}
 * @param clients clients calling in the step, {@code 0 .. 2^24-1}
 * @param phase what they do
 */
record Command(int step, int clients, Phase phase) {

  /** What the clients do. */
  enum Phase {
    /** No calls; each process reports the step once its clients have stopped. */
    PAUSE,
    /** Clients {@code 0 .. clients-1} call; nothing recorded (warm-up). */
    RUN,
    /** The same, each call's latency recorded. */
    MEASURE,
    /** The session is over: every thread ends and the process exits. */
    EXIT
  }

  private static final int CLIENTS_LIMIT = 1 << 24;
  private static final Phase[] PHASES = Phase.values();

  /** Checks the fields. */
  Command {
    if (step < 0 || clients < 0 || clients >= CLIENTS_LIMIT || phase == null) {
      throw new IllegalArgumentException("not a command: step " + step + ", clients " + clients + ", " + phase);
    }
  }

  /**
   * The command as its word.
   *
   * @return {@code step << 32 | clients << 8 | phase}
   */
  long word() {
    return (long) step << 32 | (long) clients << 8 | phase.ordinal();
  }

  /**
   * The command a word holds; the word came from another process, so it is checked.
   *
   * @param word a COMMAND word
   * @return the command
   * @throws IllegalArgumentException if the phase is not one of {@link Phase}, or the step negative
   */
  static Command of(long word) {
    final int phase = (int) (word & 0xFF);
    if (phase >= PHASES.length || word < 0) {
      throw new IllegalArgumentException("not a command word: 0x" + Long.toHexString(word));
    }
    return new Command((int) (word >>> 32), (int) (word >>> 8) & (CLIENTS_LIMIT - 1), PHASES[phase]);
  }

  /**
   * Whether client {@code k} calls under this command.
   *
   * @param k a client index
   * @return true in {@link Phase#RUN} and {@link Phase#MEASURE} for {@code k < clients}
   */
  boolean calls(int k) {
    return (phase == Phase.RUN || phase == Phase.MEASURE) && k < clients;
  }
}
