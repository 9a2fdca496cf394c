package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.async.Payloads.Lengths;
import dev.nucleus.kernel.WaitStrategy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FIFO and exactly-once between two threads: streams of checksummed messages through small rings,
 * so that the ring wraps thousands of times, the sender finds it full, multi-slot messages
 * straddle its end, and both ends sleep and wake under every wait strategy. Each case checks every
 * byte of every message and ends with the sender's close reaching the receiver as PEER_DEAD.
 * A stall (a lost wake-up, a message lost so that the receiver waits for ever) fails the test
 * through the watchdog instead of hanging it.
 */
@Tag("unit")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisplayName("Messages between two threads")
class QueueStressTest {

  private static final Duration STALL = Duration.ofSeconds(20);

  /**
   * One stream: the ring, the message lengths, how each end waits, how many messages.
   *
   * @param id a stable scenario id
   */
  record Case(String id, String title, int slots, Lengths lengths, WaitStrategy sender, WaitStrategy receiver,
      long count, boolean slowReceiver, boolean offerFirst) {
    @Override
    public String toString() {
      return id + " " + title + " (" + slots + " slots, " + lengths + ", sender " + sender + ", receiver " + receiver
          + ", " + count + " messages)";
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("S1", "one-word messages, both spinning", 64, Lengths.ONE_WORD, WaitStrategy.SPIN, WaitStrategy.SPIN,
            10_000_000, false, false),
        new Case("S2", "one-slot messages, offered first, a slow receiver", 16, Lengths.ONE_SLOT, WaitStrategy.SPIN,
            WaitStrategy.SPIN, 1_000_000, true, true),
        new Case("S3", "mixed lengths across the ring's end", 16, Lengths.MIXED, WaitStrategy.SPIN, WaitStrategy.SPIN,
            1_000_000, false, false),
        new Case("S4", "the largest messages, half the ring each", 8, Lengths.LARGEST, WaitStrategy.SPIN,
            WaitStrategy.SPIN, 1_000_000, false, false),
        new Case("S5", "mixed lengths, adaptive waiting, a slow receiver", 32, Lengths.MIXED, WaitStrategy.ADAPTIVE,
            WaitStrategy.ADAPTIVE, 1_000_000, true, true),
        new Case("S6", "one-word messages, both blocking", 64, Lengths.ONE_WORD, WaitStrategy.BLOCK, WaitStrategy.BLOCK,
            1_000_000, false, false),
        new Case("S7", "mixed lengths, a spinning sender and a blocking receiver", 16, Lengths.MIXED,
            WaitStrategy.SPIN, WaitStrategy.BLOCK, 500_000, false, false),
        new Case("S8", "mixed lengths, a blocking sender and a slow spinning receiver", 16, Lengths.MIXED,
            WaitStrategy.BLOCK, WaitStrategy.SPIN, 500_000, true, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("every message arrives once, in order, byte for byte, then the sender's close")
  void shouldDeliverEveryMessageOnceInOrder(Case c) throws InterruptedException {
    try (TestQueue queue = new TestQueue(c.slots(), c.sender(), c.receiver())) {
      final Payloads payloads = new Payloads(c.id().hashCode(), queue.sender.maxPayload(), c.lengths());
      final Exchange exchange = new Exchange(queue, payloads, c.count(), c.slowReceiver(), c.offerFirst());
      final long start = System.nanoTime();
      exchange.run(c.id(), STALL);
      assertThat(exchange.received.get()).isEqualTo(c.count());
      System.out.printf("%s: %d messages in %d ms, %d sends found the ring full%n", c.id(), c.count(),
          (System.nanoTime() - start) / 1_000_000, exchange.fullRings.get());
    }
  }
}
