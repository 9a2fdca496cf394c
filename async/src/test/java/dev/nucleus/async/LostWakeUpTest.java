package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.async.internal.QueueDescriptor;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lazy wake-up loses nothing. Both ends block (they sleep at once, with no timeout and no
 * safety-net wake-up: the in-JVM doorbell parks until unparked), so every message is a race
 * between a sleeper's announcement and re-check and a waker's publication and look at the
 * announcement. A lost wake-up leaves a thread asleep for ever, which the watchdog reports as a
 * failure with both ends' words. The last test shows that the watchdog does catch one: a doorbell
 * that stops ringing makes it fail.
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisplayName("Sleeping and waking")
class LostWakeUpTest {

  private static final Duration STALL = Duration.ofSeconds(20);

  @Test
  @DisplayName("a ping-pong over two queues, both ends asleep between messages, never loses a wake-up")
  void shouldNeverLoseAWakeUpInAPingPong() throws InterruptedException {
    final PingPong game = new PingPong(Doorbell.inJvm(), 300_000);
    game.run(STALL);
    assertThat(game.rounds.get()).isEqualTo(300_000);
  }

  @Test
  @DisplayName("a two-slot ring, the sender asleep whenever it is full and the receiver whenever it is empty, loses nothing")
  void shouldNeverLoseAWakeUpOnAFullOrEmptyRing() throws InterruptedException {
    try (TestQueue queue = new TestQueue(2, WaitStrategy.BLOCK, WaitStrategy.BLOCK)) {
      final Payloads payloads = new Payloads(13, queue.sender.maxPayload(), Payloads.Lengths.ONE_WORD);
      final Exchange exchange = new Exchange(queue, payloads, 500_000, false, false);
      exchange.run("two slots", STALL);
      assertThat(exchange.received.get()).isEqualTo(500_000);
    }
  }

  @Test
  @DisplayName("the watchdog reports a stuck sleeper: with a doorbell that stops ringing, the ping-pong fails, not hangs")
  void shouldCatchALostWakeUp() {
    final LossyDoorbell lossy = new LossyDoorbell(Doorbell.inJvm(), 1_000);
    final PingPong game = new PingPong(lossy, 1_000_000);
    assertThatThrownBy(() -> game.run(Duration.ofSeconds(2)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no progress")
        .hasMessageContaining("RECEIVER_SLEEPING 1");
    assertThat(lossy.dropped.get()).as("wake-ups dropped").isPositive();
  }

  /**
   * A ping and a pong queue between two threads, both ends blocking; the pinger spins a random
   * few rounds before each ping, so that its publication falls at every point of the ponger's
   * way to sleep.
   */
  private static final class PingPong {

    final AtomicLong rounds = new AtomicLong();
    private final Doorbell doorbell;
    private final long count;

    PingPong(Doorbell doorbell, long count) {
      this.doorbell = doorbell;
      this.count = count;
    }

    void run(Duration stall) throws InterruptedException {
      try (TestQueue ping = new TestQueue(4, WaitStrategy.BLOCK, WaitStrategy.BLOCK, doorbell);
          TestQueue pong = new TestQueue(4, WaitStrategy.BLOCK, WaitStrategy.BLOCK, doorbell)) {
        Watchdog.run("ping-pong", stall, rounds::get,
            () -> "round " + rounds.get() + "; ping: " + words(ping) + "; pong: " + words(pong),
            () -> {
              if (doorbell instanceof LossyDoorbell lossy) {
                lossy.repair();
              }
              ping.sender.peerDied();
              ping.receiver.peerDied();
              pong.sender.peerDied();
              pong.receiver.peerDied();
            },
            () -> pinger(ping.sender, pong.receiver),
            () -> ponger(ping.receiver, pong.sender));
      }
    }

    private void pinger(QueueSender out, QueueReceiver in) {
      final SplittableRandom random = new SplittableRandom(42);
      try (Arena arena = Arena.ofConfined()) {
        final MemorySegment word = arena.allocate(8);
        final long[] answer = new long[1];
        final MessageHandler take = m -> answer[0] = m.getLong(0);
        for (long i = 0; i < count; i++) {
          for (int spins = random.nextInt(64); spins > 0; spins--) {
            Thread.onSpinWait();
          }
          word.set(ValueLayout.JAVA_LONG, 0, i);
          expect(out.send(word, 0, 8, Timeout.NEVER), Status.OK, "ping " + i);
          expect(in.receive(take, Timeout.NEVER), Status.OK, "pong " + i);
          if (answer[0] != i + 1) {
            throw new AssertionError("pong " + i + " carried " + answer[0]);
          }
          rounds.incrementAndGet();
        }
        out.close();
      }
    }

    private static void ponger(QueueReceiver in, QueueSender out) {
      try (Arena arena = Arena.ofConfined()) {
        final MemorySegment word = arena.allocate(8);
        final MessageHandler answer = m -> word.set(ValueLayout.JAVA_LONG, 0, m.getLong(0) + 1);
        int status;
        while ((status = in.receive(answer, Timeout.NEVER)) == Status.OK) {
          expect(out.send(word, 0, 8, Timeout.NEVER), Status.OK, "pong");
        }
        expect(status, Status.receive(Status.PEER_DEAD), "the end of the pings");
      }
    }

    private static void expect(int status, int expected, String what) {
      if (status != expected) {
        throw new AssertionError(what + ": " + QueueStatus.toString(status) + ", expected " + QueueStatus.toString(expected));
      }
    }

    private static String words(TestQueue q) {
      return q.sender + ", " + q.receiver + ", SENDER_SLEEPING "
          + QueueDescriptor.intVolatile(q.memory, QueueDescriptor.SENDER_SLEEPING_OFFSET) + ", RECEIVER_SLEEPING "
          + QueueDescriptor.intVolatile(q.memory, QueueDescriptor.RECEIVER_SLEEPING_OFFSET);
    }
  }
}
