package dev.nucleus.async;

import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;

/**
 * The two loops of a checksummed stream ({@link Payloads}) over a broker-made queue, run the same
 * way by a thread of the test and by a child ({@link QueueComponent}): each counts what it did in
 * the stream's {@link StreamCounters}. Both return null when all went as expected, else a
 * sentence saying what went wrong; neither throws for a queue status.
 */
final class Streams {

  /** Until an end waits for ever: the most a test-side wait may take before it is a failure. */
  static final long GUARD = Timeout.relative(60_000_000_000L);

  /** Called before the receiver takes message {@code next}: where a slow receiver pauses. */
  @FunctionalInterface
  interface Pause {
    void before(long next) throws InterruptedException;
  }

  private Streams() {}

  /**
   * Sends messages 0 .. count - 1: first with a zero timeout, and if the ring is full (counted in
   * FULLS) again waiting for room up to {@code timeout}. PUBLISHED is stored after each commit.
   * An endless sender ({@code count} Long.MAX_VALUE) ends at PEER_DEAD, which is then expected.
   */
  static String send(QueueSender sender, Payloads payloads, long count, StreamCounters counters, long timeout) {
    long fulls = 0;
    for (long seq = 0; seq < count; seq++) {
      final int length = payloads.length(seq);
      int status = sender.claim(length, Timeout.ZERO);
      if (status == QueueStatus.FULL) {
        counters.set(StreamCounters.FULLS, ++fulls);
        status = sender.claim(length, timeout);
      }
      if (status != Status.OK) {
        return count == Long.MAX_VALUE && status == Status.send(Status.PEER_DEAD) ? null
            : "message " + seq + ": " + QueueStatus.toString(status) + " (" + sender.failure() + ")";
      }
      payloads.write(sender.claimed(), seq);
      sender.commit();
      counters.set(StreamCounters.PUBLISHED, seq + 1);
    }
    return null;
  }

  /**
   * Takes messages 0 .. count - 1, checking each byte for byte, each wait up to {@code timeout};
   * stores RECEIVED after each. Returns null if all were right.
   */
  static String receive(QueueReceiver receiver, Payloads payloads, long count, StreamCounters counters, long timeout,
      Pause pause) throws InterruptedException {
    final Check check = new Check(payloads);
    while (check.next < count) {
      pause.before(check.next);
      final int status = receiver.receive(check, timeout);
      if (status != Status.OK) {
        return "message " + check.next + ": " + QueueStatus.toString(status) + " (" + receiver.failure() + ")";
      }
      if (check.wrong != null) {
        return check.wrong;
      }
      counters.set(StreamCounters.RECEIVED, check.next);
    }
    return null;
  }

  /**
   * Takes every message left, checking each as message {@code from}, {@code from + 1}, ...,
   * until the queue ends. Returns {count taken, final status}; a wrong message fails with an
   * AssertionError naming it.
   */
  static long[] drain(QueueReceiver receiver, Payloads payloads, long from, long timeout) {
    final Check check = new Check(payloads);
    check.next = from;
    int status;
    while ((status = receiver.receive(check, timeout)) == Status.OK) {
      if (check.wrong != null) {
        throw new AssertionError(check.wrong);
      }
    }
    return new long[] {check.next - from, status};
  }

  /** What a receiver expects after its last message: the sender's end, as PEER_DEAD; null if so. */
  static String expectEnd(QueueReceiver receiver, long timeout) {
    final int status = receiver.receive(m -> { }, timeout);
    return status == Status.receive(Status.PEER_DEAD) ? null
        : "after the last message: " + QueueStatus.toString(status) + " (" + receiver.failure() + ")";
  }

  /** Checks each message as the next of the stream. */
  private static final class Check implements MessageHandler {
    private final Payloads payloads;
    long next;
    String wrong;

    Check(Payloads payloads) {
      this.payloads = payloads;
    }

    @Override
    public void onMessage(ReceivedMessage m) {
      if (wrong == null) {
        wrong = payloads.mismatch(m, next);
      }
      next++;
    }
  }
}
