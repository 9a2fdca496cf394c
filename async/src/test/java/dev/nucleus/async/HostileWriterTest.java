package dev.nucleus.async;

import static dev.nucleus.async.internal.QueueDescriptor.continuationStamp;
import static dev.nucleus.async.internal.QueueDescriptor.firstStamp;
import static dev.nucleus.async.internal.QueueDescriptor.slotOffset;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.async.internal.QueueDescriptor;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile or broken peer writes what it likes into the queue's memory: every end checks what
 * it reads, and garbage ends that queue for it with PROTOCOL_ERROR and a failure that says what
 * was wrong; never an exception, a read outside the ring, a hang, or a bad message handed on. The
 * targeted cases name each check; the seeded loops throw random bytes and plausible-looking
 * stamps at both ends and accept only the documented outcomes.
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("A hostile writer")
class HostileWriterTest {

  private static final int SLOTS = 8;
  private static final int MAX = SLOTS / 2 * 56;

  @Test
  @DisplayName("a first stamp with a length above maxPayload is PROTOCOL_ERROR, and no handler sees it")
  void shouldRejectALengthAboveTheMaximum() {
    try (TestQueue q = TestQueue.spinning(SLOTS)) {
      stamp(q, 0, firstStamp(0, MAX + 1));
      assertRejected(q, "a message of " + (MAX + 1) + " bytes, above the queue's maxPayload " + MAX);
    }
  }

  @Test
  @DisplayName("a stamp of neither this lap nor the last is PROTOCOL_ERROR")
  void shouldRejectAStampOfAnotherLap() {
    try (TestQueue q = TestQueue.spinning(SLOTS)) {
      stamp(q, 0, firstStamp(SLOTS, 8)); // the next lap's
      assertRejected(q, "has stamp 0x880000008 (SEQUENCE 0x8, first slot, LENGTH 8)");
    }
  }

  @Test
  @DisplayName("a continuation stamp where a message must start is PROTOCOL_ERROR")
  void shouldRejectAContinuationWhereAMessageStarts() {
    try (TestQueue q = TestQueue.spinning(SLOTS)) {
      stamp(q, 0, continuationStamp(0, 1));
      assertRejected(q, "stamp 0x1 (SEQUENCE 0x0, INDEX 1): neither the first slot of SEQUENCE 0x0");
    }
  }

  @Test
  @DisplayName("a message whose later slot is not stamped as its continuation is PROTOCOL_ERROR")
  void shouldRejectABrokenContinuation() {
    try (TestQueue q = TestQueue.spinning(SLOTS)) {
      stamp(q, 1, continuationStamp(1, 2)); // index 2 where 1 belongs
      stamp(q, 0, firstStamp(0, 100));
      assertRejected(q, "slot 1 of a 2-slot message) has stamp 0x100000002 (SEQUENCE 0x1, INDEX 2), expected 0x100000001");
    }
  }

  @Test
  @DisplayName("a sender state that is no state is PROTOCOL_ERROR when the receiver looks at it")
  void shouldRejectAnUnknownSenderState() {
    try (TestQueue q = TestQueue.spinning(SLOTS)) {
      q.memory.set(ValueLayout.JAVA_INT, QueueDescriptor.SENDER_STATE_OFFSET, 9);
      assertRejected(q, "SENDER_STATE is 9");
    }
  }

  @Test
  @DisplayName("a receiver that gave up tells the sender: FAILED in its state word, PEER_DEAD at the next send")
  void shouldTellTheSenderWhenTheReceiverGivesUp() {
    try (TestQueue q = TestQueue.spinning(SLOTS); Arena scratch = Arena.ofConfined()) {
      stamp(q, 0, 0x1234_5678_9ABC_DEF0L);
      assertRejected(q, "has stamp 0x123456789abcdef0");
      assertThat(q.memory.get(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_STATE_OFFSET))
          .isEqualTo(QueueDescriptor.FAILED);
      assertThat(q.sender.offer(scratch.allocate(8), 0, 8)).isEqualTo(Status.send(Status.PEER_DEAD));
      assertThat(q.sender.failure()).contains("gave the queue up");
    }
  }

  @ParameterizedTest(name = "READ_POSITION {0}")
  @ValueSource(longs = {9, -1, Long.MIN_VALUE, Long.MAX_VALUE})
  @DisplayName("a read position ahead of what was sent, or behind what was published, is PROTOCOL_ERROR at the sender")
  void shouldRejectABadReadPosition(long readPosition) {
    try (TestQueue q = TestQueue.spinning(SLOTS); Arena scratch = Arena.ofConfined()) {
      final MemorySegment word = scratch.allocate(8);
      for (int i = 0; i < SLOTS; i++) {
        assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      }
      q.memory.set(ValueLayout.JAVA_LONG, QueueDescriptor.READ_POSITION_OFFSET, readPosition);
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.send(Status.PROTOCOL_ERROR));
      assertThat(q.sender.failure()).contains("READ_POSITION " + readPosition + ", outside [0, 8]");
      assertThat(q.sender.offer(word, 0, 8)).as("final").isEqualTo(Status.send(Status.PROTOCOL_ERROR));
      assertThat(q.memory.get(ValueLayout.JAVA_INT, QueueDescriptor.SENDER_STATE_OFFSET)).isEqualTo(QueueDescriptor.FAILED);
    }
  }

  @Test
  @DisplayName("a receiver state that is no state is PROTOCOL_ERROR at the sender")
  void shouldRejectAnUnknownReceiverState() {
    try (TestQueue q = TestQueue.spinning(SLOTS); Arena scratch = Arena.ofConfined()) {
      q.memory.set(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_STATE_OFFSET, 7);
      assertThat(q.sender.offer(scratch.allocate(8), 0, 8)).isEqualTo(Status.send(Status.PROTOCOL_ERROR));
      assertThat(q.sender.failure()).contains("RECEIVER_STATE is 7");
    }
  }

  @Test
  @DisplayName("a header rewritten after both ends attached changes nothing: each end read it once")
  void shouldIgnoreAHeaderRewrittenLater() {
    try (TestQueue q = TestQueue.spinning(SLOTS); Arena scratch = Arena.ofConfined()) {
      q.memory.asSlice(0, QueueDescriptor.LINE).fill((byte) 0xFF);
      final MemorySegment word = scratch.allocate(8);
      for (int i = 0; i < 100; i++) {
        assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
        assertThat(q.receiver.poll(m -> {}, 10)).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "seeds {0}..+500")
  @ValueSource(ints = {0, 500, 1000, 1500})
  @DisplayName("random bytes and plausible stamps in the ring and the lines give the receiver only documented outcomes")
  void shouldGiveTheReceiverOnlyDocumentedOutcomes(int firstSeed) {
    final long[] delivered = {0};
    final java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (int seed = firstSeed; seed < firstSeed + 500; seed++) {
      final SplittableRandom random = new SplittableRandom(seed);
      final WaitStrategy strategy = WaitStrategy.values()[random.nextInt(3)];
      try (TestQueue q = new TestQueue(SLOTS, WaitStrategy.SPIN, strategy); Arena scratch = Arena.ofConfined()) {
        final MemorySegment buffer = scratch.allocate(MAX);
        final long[] position = {0};
        final MessageHandler reader = m -> {
          assertThat(m.length()).as("seed %d: length handed on", m.length()).isBetween(0, MAX);
          for (long at = 0; at < m.length(); at++) {
            m.getByte(at); // every byte readable, in bounds
          }
          position[0] += QueueDescriptor.slotsFor(m.length());
          delivered[0]++;
        };
        final MemorySegment payload = scratch.allocate(MAX);
        for (int round = 0; round < 60 && q.receiver.status() == Status.OK; round++) {
          if (random.nextInt(3) == 0) {
            scribble(q, random, position[0]);
          }
          if (random.nextBoolean()) { // the honest sender goes on between the hostile writes
            assertThat(q.sender.offer(payload, 0, random.nextInt(MAX + 1))).isIn(Status.OK, QueueStatus.FULL,
                Status.send(Status.PEER_DEAD), Status.send(Status.PROTOCOL_ERROR), Status.send(Status.CLOSED));
          }
          final int outcome = switch (random.nextInt(4)) {
            case 0 -> q.receiver.poll(reader, 1 + random.nextInt(4)) >= 0 ? Status.OK : -1;
            case 1 -> q.receiver.receive(reader, Timeout.ZERO);
            case 2 -> q.receiver.receive(reader, Timeout.relative(20_000));
            default -> {
              final int n = q.receiver.receive(buffer, 0, MAX, Timeout.ZERO);
              if (n >= 0) {
                position[0] += QueueDescriptor.slotsFor(n);
              }
              yield n >= 0 ? Status.OK : -n;
            }
          };
          assertThat(outcome).as("seed %d round %d: %s", seed, round, QueueStatus.toString(outcome))
              .isIn(Status.OK, QueueStatus.EMPTY, Status.receive(Status.TIMEOUT), Status.receive(Status.PEER_DEAD),
                  Status.receive(Status.PROTOCOL_ERROR));
          outcomes.merge(QueueStatus.toString(outcome), 1, Integer::sum);
          if (Status.code(outcome) == Status.PROTOCOL_ERROR) {
            assertThat(q.receiver.failure()).as("seed %d: a failure that says what was wrong", seed)
                .containsAnyOf("stamp", "SENDER_STATE", "maxPayload");
          }
        }
        final int end = q.receiver.status();
        outcomes.merge("end " + QueueStatus.toString(end), 1, Integer::sum);
        assertThat(end).isIn(Status.OK, Status.receive(Status.PEER_DEAD), Status.receive(Status.PROTOCOL_ERROR));
        if (end != Status.OK) {
          assertThat(q.receiver.poll(reader, 1)).as("seed %d: final", seed).isZero();
          assertThat(q.receiver.receive(reader, Timeout.NEVER)).isEqualTo(end);
        }
      }
    }
    assertThat(delivered[0]).as("messages handed on between the hostile writes").isPositive();
    assertThat(outcomes).as("the outcomes the seeds reached").containsKeys("OK", "EMPTY",
        "PROTOCOL_ERROR (receive phase)", "PEER_DEAD (receive phase)");
  }

  @ParameterizedTest(name = "seeds {0}..+500")
  @ValueSource(ints = {0, 500})
  @DisplayName("random words in the receiver's line give the sender only documented outcomes")
  void shouldGiveTheSenderOnlyDocumentedOutcomes(int firstSeed) {
    for (int seed = firstSeed; seed < firstSeed + 500; seed++) {
      final SplittableRandom random = new SplittableRandom(seed);
      final WaitStrategy strategy = WaitStrategy.values()[random.nextInt(3)];
      try (TestQueue q = new TestQueue(SLOTS, strategy, WaitStrategy.SPIN); Arena scratch = Arena.ofConfined()) {
        final MemorySegment payload = scratch.allocate(MAX);
        for (int round = 0; round < 40 && q.sender.status() == Status.OK; round++) {
          final long at = switch (random.nextInt(4)) {
            case 0 -> QueueDescriptor.READ_POSITION_OFFSET;
            case 1 -> QueueDescriptor.RECEIVER_STATE_OFFSET;
            case 2 -> QueueDescriptor.RECEIVER_SLEEPING_OFFSET;
            default -> QueueDescriptor.LINE * 2 + 8L * random.nextInt(8);
          };
          final long value = random.nextBoolean() ? random.nextLong() : random.nextLong(-2, 2 * SLOTS);
          if (at % 8 == 0) {
            q.memory.set(ValueLayout.JAVA_LONG, at, value);
          } else {
            q.memory.set(ValueLayout.JAVA_INT, at, (int) value);
          }
          final int length = random.nextInt(MAX + 1);
          final int outcome = random.nextBoolean() ? q.sender.offer(payload, 0, length)
              : q.sender.send(payload, 0, length, Timeout.relative(20_000));
          assertThat(outcome).as("seed %d round %d: %s", seed, round, QueueStatus.toString(outcome))
              .isIn(Status.OK, QueueStatus.FULL, Status.send(Status.TIMEOUT), Status.send(Status.PEER_DEAD),
                  Status.send(Status.PROTOCOL_ERROR));
          if (random.nextInt(4) == 0) {
            q.receiver.poll(m -> {}, 4); // an honest receiver too, now and then
          }
        }
      }
    }
  }

  @Test
  @DisplayName("a writer scribbling on the ring while the receiver waits never makes it hang or throw")
  void shouldSurviveAConcurrentScribbler() throws InterruptedException {
    for (WaitStrategy strategy : WaitStrategy.values()) {
      final SplittableRandom seeds = new SplittableRandom(strategy.ordinal());
      final long until = System.nanoTime() + 200_000_000L;
      int failed = 0;
      while (System.nanoTime() < until) {
        try (TestQueue q = new TestQueue(SLOTS, WaitStrategy.SPIN, strategy)) {
          final AtomicBoolean stop = new AtomicBoolean();
          final AtomicLong position = new AtomicLong();
          final SplittableRandom random = seeds.split();
          final Thread scribbler = Thread.ofPlatform().daemon().start(() -> {
            while (!stop.get()) {
              scribble(q, random, position.get());
              for (int spins = random.nextInt(256); spins > 0; spins--) {
                Thread.onSpinWait();
              }
            }
          });
          try {
            final MessageHandler reader = m -> {
              assertThat(m.length()).isBetween(0, MAX);
              position.addAndGet(QueueDescriptor.slotsFor(m.length()));
            };
            while (System.nanoTime() < until && q.receiver.status() == Status.OK) {
              assertThat(q.receiver.receive(reader, Timeout.relative(50_000))).isIn(Status.OK,
                  Status.receive(Status.TIMEOUT), Status.receive(Status.PEER_DEAD), Status.receive(Status.PROTOCOL_ERROR));
            }
            failed += q.receiver.status() == Status.OK ? 0 : 1;
          } finally {
            stop.set(true);
            scribbler.join(10_000);
          }
          assertThat(scribbler.isAlive()).isFalse();
        }
      }
      assertThat(failed).as("%s: queues the scribbler ended", strategy).isPositive();
    }
  }

  // --- the hostile writer ----------------------------------------------------------------------

  /** One hostile write: a random or plausible stamp, a random word of the lines, or random bytes. */
  private static void scribble(TestQueue q, SplittableRandom random, long near) {
    final MemorySegment m = q.memory;
    final long mask = SLOTS - 1;
    switch (random.nextInt(6)) {
      case 0 -> { // a plausible first stamp near the receiver's position, of any length
        final long p = near + random.nextInt(-SLOTS, SLOTS + 1);
        final int length = switch (random.nextInt(4)) {
          case 0 -> random.nextInt(MAX + 1);
          case 1 -> MAX + random.nextInt(1, 1000);
          case 2 -> Integer.MAX_VALUE;
          default -> random.nextInt(57);
        };
        m.set(ValueLayout.JAVA_LONG, slotOffset(p, mask) + QueueDescriptor.STAMP_OFFSET, firstStamp(p, length));
      }
      case 1 -> { // a plausible continuation stamp
        final long p = near + random.nextInt(-SLOTS, SLOTS + 1);
        m.set(ValueLayout.JAVA_LONG, slotOffset(p, mask) + QueueDescriptor.STAMP_OFFSET,
            continuationStamp(p, random.nextInt(-1, SLOTS)));
      }
      case 2 -> // a random stamp
          m.set(ValueLayout.JAVA_LONG, slotOffset(random.nextInt(SLOTS), mask) + QueueDescriptor.STAMP_OFFSET,
              random.nextLong());
      case 3 -> // a random word of the sender's line: its state and its sleeping word
          m.set(ValueLayout.JAVA_INT, QueueDescriptor.SENDER_STATE_OFFSET + 4L * random.nextInt(2),
              random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(4) == 0 ? random.nextInt(4) : 0);
      case 4 -> // a random word of the receiver's line (the receiver never reads it back)
          m.set(ValueLayout.JAVA_LONG, QueueDescriptor.READ_POSITION_OFFSET + 8L * random.nextInt(2), random.nextLong());
      default -> { // random bytes anywhere in the ring
        final long at = QueueDescriptor.RING_START + random.nextLong(SLOTS * 64L);
        m.set(ValueLayout.JAVA_BYTE, at, (byte) random.nextInt());
      }
    }
  }

  private static void stamp(TestQueue q, long position, long stamp) {
    q.memory.set(ValueLayout.JAVA_LONG, slotOffset(position, SLOTS - 1) + QueueDescriptor.STAMP_OFFSET, stamp);
  }

  /** The receiver rejects the queue: PROTOCOL_ERROR, for good, with {@code why} in its failure, no message handed on. */
  private static void assertRejected(TestQueue q, String why) {
    final MessageHandler never = m -> {
      throw new AssertionError("a handler was given " + m);
    };
    assertThat(q.receiver.receive(never, Timeout.relative(1_000_000))).isEqualTo(Status.receive(Status.PROTOCOL_ERROR));
    assertThat(q.receiver.failure()).contains(why);
    assertThat(q.receiver.poll(never, 10)).isZero();
    assertThat(q.receiver.receive(never, Timeout.NEVER)).isEqualTo(Status.receive(Status.PROTOCOL_ERROR));
    assertThat(q.receiver.status()).isEqualTo(Status.receive(Status.PROTOCOL_ERROR));
  }
}
