package dev.nucleus.bench.oneway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The throughput loop over a transport of this test (an unbounded deque, filled by the sender in
 * full before the receiver drains it): what it counts and what it checks. Nothing is timed.
 */
@Timeout(30)
@DisplayName("The throughput loop")
class ThroughputLoopTest {

  private static final Schedule SCHEDULE = new Schedule(1_000, 2_500, 3);

  /** Messages as arrays of words, in the order sent; what the fake mechanism carries. */
  private final ArrayDeque<long[]> wire = new ArrayDeque<>();

  /** Every limit the receiver asked for. */
  private final List<Integer> limits = new ArrayList<>();

  private OneWaySender sender(int words) {
    return seq -> {
      final long[] m = new long[words];
      for (int i = 0; i < words; i++) {
        m[i] = Payload.word(seq, i);
      }
      wire.add(m);
      return true;
    };
  }

  private OneWayReceiver receiver(SequenceCheck check) {
    return limit -> {
      limits.add(limit);
      int taken = 0;
      while (taken < limit && !wire.isEmpty()) {
        final long[] m = wire.poll();
        check.length(m.length * Long.BYTES);
        for (int i = 0; i < m.length; i++) {
          check.word(i, m[i]);
        }
        check.next();
        taken++;
      }
      return taken;
    };
  }

  @Test
  @DisplayName("the sender sends the whole stream and the receiver takes exactly it, timing each round")
  void shouldTakeExactlyTheStreamAndTimeEachRound() throws Exception {
    final SequenceCheck check = new SequenceCheck(7);
    final ThroughputLoop.SenderFigures sent = ThroughputLoop.send(sender(7), SCHEDULE, ThroughputLoop.STALL);
    final ThroughputLoop.ReceiverFigures received =
        ThroughputLoop.receive(receiver(check), SCHEDULE, ThroughputLoop.STALL);

    assertThat(sent.retries()).isZero();
    assertThat(check.expected()).as("messages checked").isEqualTo(SCHEDULE.total()).isEqualTo(8_500);
    assertThat(wire).as("nothing taken beyond the stream").isEmpty();
    assertThat(received.roundNs()).hasSize(3);
    assertThat(java.util.Arrays.stream(received.roundNs()).min().orElseThrow()).isNotNegative();
  }

  @Test
  @DisplayName("no poll asks for more than the batch limit or reaches past a round's end")
  void shouldPollWithinTheLimitAndTheRoundBoundaries() throws Exception {
    final SequenceCheck check = new SequenceCheck(1);
    ThroughputLoop.send(sender(1), SCHEDULE, ThroughputLoop.STALL);
    ThroughputLoop.receive(receiver(check), SCHEDULE, ThroughputLoop.STALL);

    assertThat(limits).allSatisfy(l -> assertThat(l).isBetween(1, ThroughputLoop.POLL_LIMIT));
    long taken = 0;
    final List<Long> boundaries = List.of(1_000L, 3_500L, 6_000L, 8_500L);
    for (int limit : limits) {
      final long end = taken + limit;
      final long at = taken;
      assertThat(boundaries).as("a poll from %d for %d", at, limit).noneMatch(b -> b > at && b < end);
      taken = end; // every poll here takes all it asked for
    }
    assertThat(taken).isEqualTo(8_500);
  }

  @Test
  @DisplayName("every offer the mechanism refuses is counted as a retry, and the message is offered again")
  void shouldCountEveryRefusal() throws Exception {
    final OneWaySender accepting = sender(1);
    final boolean[] refuse = {false}; // refuses first, then accepts: one refusal per message
    final OneWaySender everyOther = seq -> {
      refuse[0] = !refuse[0];
      return !refuse[0] && accepting.offer(seq);
    };
    final ThroughputLoop.SenderFigures sent = ThroughputLoop.send(everyOther, SCHEDULE, ThroughputLoop.STALL);
    final SequenceCheck check = new SequenceCheck(1);
    ThroughputLoop.receive(receiver(check), SCHEDULE, ThroughputLoop.STALL);

    assertThat(sent.retries()).isEqualTo(SCHEDULE.total());
    assertThat(check.expected()).isEqualTo(SCHEDULE.total());
  }

  @Test
  @DisplayName("a lost message fails the receiver, naming the message it expected")
  void shouldFailOnALostMessage() throws Exception {
    ThroughputLoop.send(OneWayMain.losing(sender(1), 1_234, true), SCHEDULE, ThroughputLoop.STALL);
    assertThatThrownBy(() -> ThroughputLoop.receive(receiver(new SequenceCheck(1)), SCHEDULE, ThroughputLoop.STALL))
        .isInstanceOf(WrongMessageException.class)
        .hasMessage("expected message 1234, got 1235 (messages lost)");
  }

  @Test
  @DisplayName("a reordered message fails the receiver")
  void shouldFailOnAReorderedMessage() throws Exception {
    ThroughputLoop.send(sender(1), SCHEDULE, ThroughputLoop.STALL);
    final List<long[]> all = new ArrayList<>(wire);
    final long[] seventh = all.get(7);
    all.set(7, all.get(8));
    all.set(8, seventh);
    wire.clear();
    wire.addAll(all);
    assertThatThrownBy(() -> ThroughputLoop.receive(receiver(new SequenceCheck(1)), SCHEDULE, ThroughputLoop.STALL))
        .isInstanceOf(WrongMessageException.class)
        .hasMessage("expected message 7, got 8 (messages lost)");
  }

  @Test
  @DisplayName("a corrupted word of a 56-byte message fails the receiver, naming the word")
  void shouldFailOnACorruptedWord() throws Exception {
    ThroughputLoop.send(sender(7), SCHEDULE, ThroughputLoop.STALL);
    wire.stream().skip(42).findFirst().orElseThrow()[5] ^= 1;
    assertThatThrownBy(() -> ThroughputLoop.receive(receiver(new SequenceCheck(7)), SCHEDULE, ThroughputLoop.STALL))
        .isInstanceOf(WrongMessageException.class)
        .hasMessageStartingWith("message 42, word 5: ")
        .hasMessageEndingWith("(torn or corrupted)");
  }

  @Test
  @DisplayName("a message repeated fails the receiver")
  void shouldFailOnARepeatedMessage() throws Exception {
    final OneWaySender repeating = sender(1);
    ThroughputLoop.send(seq -> repeating.offer(seq == 100 ? 99 : seq), SCHEDULE, ThroughputLoop.STALL);
    assertThatThrownBy(() -> ThroughputLoop.receive(receiver(new SequenceCheck(1)), SCHEDULE, ThroughputLoop.STALL))
        .isInstanceOf(WrongMessageException.class)
        .hasMessage("expected message 100, got 99 (a message repeated or reordered)");
  }

  @Test
  @DisplayName("a message of the wrong length fails the receiver")
  void shouldFailOnAWrongLength() throws Exception {
    ThroughputLoop.send(sender(1), SCHEDULE, ThroughputLoop.STALL);
    assertThatThrownBy(() -> ThroughputLoop.receive(receiver(new SequenceCheck(7)), SCHEDULE, ThroughputLoop.STALL))
        .isInstanceOf(WrongMessageException.class)
        .hasMessage("message 0 has 8 bytes, not 56");
  }

  @Test
  @DisplayName("a receiver that gets nothing gives up after its stall limit, saying how far it got")
  void shouldGiveUpWhenNothingArrives() {
    assertThatThrownBy(() -> ThroughputLoop.receive(limit -> 0, SCHEDULE, Duration.ofMillis(20)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageStartingWith("the receiver made no progress for 20 ms after 0 messages");
  }

  @Test
  @DisplayName("a sender whose every offer is refused gives up after its stall limit")
  void shouldGiveUpWhenNothingGoesThrough() {
    assertThatThrownBy(() -> ThroughputLoop.send(seq -> false, SCHEDULE, Duration.ofMillis(20)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageStartingWith("the sender made no progress for 20 ms after 0 messages");
  }

  @Test
  @DisplayName("a schedule counts its warm-up and rounds, and refuses empty rounds")
  void shouldCountTheSchedule() {
    assertThat(SCHEDULE.total()).isEqualTo(8_500);
    assertThat(SCHEDULE.measured()).isEqualTo(7_500);
    assertThatThrownBy(() -> new Schedule(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Schedule(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Payload.words(12)).isInstanceOf(IllegalArgumentException.class);
  }
}
