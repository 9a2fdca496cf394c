package dev.nucleus.bench.oneway;

import dev.nucleus.bench.Allocation;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The two loops of a throughput run, the same for every mechanism: a sender that sends a
 * {@link Schedule}'s stream as fast as the mechanism takes it, counting each push-back, and a
 * receiver that takes it in batches of at most {@link #POLL_LIMIT}, checking every message, and
 * times each round. Both read their thread's allocation counter when the measured messages start
 * and when they end.
 *
 * <pre>
 *   sender:   for seq in 0 .. total-1: while !offer(seq): retries++
 *   receiver: poll(min(POLL_LIMIT, to the next round boundary)) until total;
 *             t[r] = nanoTime when warmup + r * messages have arrived (r = 0 .. rounds)
 *             round r took t[r+1] - t[r]
 * </pre>
 *
 * <p>Bounded: either loop fails with a {@link TimeoutException} when it has made no progress for
 * its stall limit. The clock is read only on fruitless tries (at the first of a stall, then once
 * per {@value #CHECK_EVERY}), never on the path of a message that goes through.
 */
public final class ThroughputLoop {

  /** The most messages one poll takes: every mechanism's receiver gets the same batch limit. */
  public static final int POLL_LIMIT = 256;

  /** How long a loop may go without a message through before it gives up. */
  public static final Duration STALL = Duration.ofSeconds(5);

  private static final int CHECK_EVERY = 1 << 12;

  private ThroughputLoop() {}

  /**
   * What the sender of one stream saw.
   *
   * @param retries offers refused (back-pressure), warm-up included
   * @param allocatedBytes bytes the sending thread allocated over the measured messages, or -1
   *     where the JVM does not count them
   */
  public record SenderFigures(long retries, long allocatedBytes) {}

  /**
   * What the receiver of one stream saw.
   *
   * @param roundNs how long each measured round took, in ns, in order
   * @param allocatedBytes bytes the receiving thread allocated over the measured messages, or -1
   */
  public record ReceiverFigures(long[] roundNs, long allocatedBytes) {}

  /**
   * Sends the whole stream of {@code schedule}, message 0 first.
   *
   * @param sender the mechanism's sending end
   * @param schedule the stream
   * @param stall how long the mechanism may refuse every offer before this gives up
   * @return the retries and the allocation
   * @throws TimeoutException if no offer went through for {@code stall}
   * @throws Exception what the mechanism threw
   */
  public static SenderFigures send(OneWaySender sender, Schedule schedule, Duration stall) throws Exception {
    final long total = schedule.total();
    final long warmup = schedule.warmup();
    final long stallNs = stall.toNanos();
    long retries = 0;
    long before = warmup == 0 ? Allocation.currentThreadBytes() : 0;
    long stalledSince = 0;
    int fruitless = 0;
    for (long seq = 0; seq < total; ) {
      if (sender.offer(seq)) {
        seq++;
        fruitless = 0;
        if (seq == warmup) {
          before = Allocation.currentThreadBytes();
        }
      } else {
        retries++;
        if (fruitless++ == 0) {
          stalledSince = System.nanoTime();
        } else if (fruitless % CHECK_EVERY == 0) {
          checkStall(stalledSince, stallNs, "the sender", seq);
        }
      }
    }
    final long after = Allocation.currentThreadBytes();
    return new SenderFigures(retries, before < 0 || after < 0 ? -1 : after - before);
  }

  /**
   * Takes the whole stream of {@code schedule}, timing each round.
   *
   * @param receiver the mechanism's receiving end, checking each message
   * @param schedule the stream
   * @param stall how long the mechanism may hand over nothing before this gives up
   * @return the rounds' times and the allocation
   * @throws WrongMessageException if a message was lost, reordered or corrupted
   * @throws TimeoutException if nothing arrived for {@code stall}
   * @throws Exception what the mechanism threw
   */
  public static ReceiverFigures receive(OneWayReceiver receiver, Schedule schedule, Duration stall) throws Exception {
    final long[] boundaryNs = new long[schedule.rounds() + 1];
    final long stallNs = stall.toNanos();
    long received = 0;
    long before = 0;
    long stalledSince = 0;
    int fruitless = 0;
    for (int boundary = 0; boundary <= schedule.rounds(); boundary++) {
      final long target = schedule.warmup() + boundary * schedule.messages();
      while (received < target) {
        final int got = receiver.poll((int) Math.min(POLL_LIMIT, target - received));
        if (got > 0) {
          received += got;
          fruitless = 0;
        } else if (fruitless++ == 0) {
          stalledSince = System.nanoTime();
        } else if (fruitless % CHECK_EVERY == 0) {
          checkStall(stalledSince, stallNs, "the receiver", received);
        }
      }
      boundaryNs[boundary] = System.nanoTime();
      if (boundary == 0) {
        before = Allocation.currentThreadBytes();
      }
    }
    final long after = Allocation.currentThreadBytes();
    final long[] roundNs = new long[schedule.rounds()];
    for (int r = 0; r < roundNs.length; r++) {
      roundNs[r] = boundaryNs[r + 1] - boundaryNs[r];
    }
    return new ReceiverFigures(roundNs, before < 0 || after < 0 ? -1 : after - before);
  }

  private static void checkStall(long stalledSince, long stallNs, String who, long done) throws TimeoutException {
    if (System.nanoTime() - stalledSince > stallNs) {
      throw new TimeoutException(who + " made no progress for " + stallNs / 1_000_000 + " ms after " + done
          + " messages");
    }
  }
}
