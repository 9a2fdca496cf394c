package dev.nucleus.async;

import static dev.nucleus.async.internal.QueueDescriptor.continuationStamp;
import static dev.nucleus.async.internal.QueueDescriptor.firstStamp;
import static dev.nucleus.async.internal.QueueDescriptor.slotOffset;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nucleus.async.internal.QueueDescriptor;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Tag;

/**
 * Jazzer plays a hostile sender: each input is a script of writes into a queue's memory (its
 * lines and its ring: arbitrary bytes and words, and stamps that look almost right), interleaved
 * with messages from the honest sender and with every kind of receive. Whatever the script, the
 * receiver returns only documented statuses (OK, EMPTY, TIMEOUT, PEER_DEAD, PROTOCOL_ERROR with a
 * failure saying what was wrong), hands on only messages of a length the queue carries, all of
 * whose bytes lie in the ring, throws nothing and never waits past its timeout.
 *
 * <p>Under {@code ./nucleus test} this replays the regression corpus in
 * {@code src/test/resources/dev/nucleus/async/QueueRingFuzzTestInputs/}; to fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl async -am verify -Dtest=QueueRingFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("unit")
class QueueRingFuzzTest {

  private static final int SLOTS = 8;
  private static final int MAX = QueueMemory.maxPayload(SLOTS);
  private static final long SHORT = Timeout.relative(20_000);

  @FuzzTest(maxDuration = "5m")
  void anyBytesInTheQueueGiveTheReceiverOnlyDocumentedOutcomes(FuzzedDataProvider data) {
    final WaitStrategy waits = data.consumeBoolean() ? WaitStrategy.SPIN : WaitStrategy.ADAPTIVE;
    try (TestQueue q = new TestQueue(SLOTS, WaitStrategy.SPIN, waits); Arena scratch = Arena.ofConfined()) {
      final MemorySegment payload = scratch.allocate(MAX);
      final MemorySegment buffer = scratch.allocate(MAX);
      final long[] position = {0};
      final MessageHandler reader = m -> {
        assertThat(m.length()).as("length handed on").isBetween(0, MAX);
        for (long at = 0; at < m.length(); at++) {
          m.getByte(at); // every byte readable, inside the ring
        }
        position[0] += QueueDescriptor.slotsFor(m.length());
      };
      while (data.remainingBytes() > 0) {
        switch (data.consumeInt(0, 7)) {
          case 0 -> hostileWord(q, data);
          case 1 -> hostileStamp(q, data, position[0]);
          case 2 -> {
            final int outcome = q.sender.offer(payload, 0, data.consumeInt(0, MAX));
            assertThat(outcome).as(QueueStatus.toString(outcome)).isIn(Status.OK, QueueStatus.FULL,
                Status.send(Status.PEER_DEAD), Status.send(Status.PROTOCOL_ERROR), Status.send(Status.CLOSED));
          }
          case 3 -> assertDocumented(q, q.receiver.poll(reader, data.consumeInt(1, 4)) >= 0 ? Status.OK : -1);
          case 4 -> assertDocumented(q, q.receiver.receive(reader, Timeout.ZERO));
          case 5 -> assertDocumented(q, q.receiver.receive(reader, SHORT));
          case 6 -> {
            final int n = q.receiver.receive(buffer, 0, MAX, Timeout.ZERO);
            assertThat(n).as("length copied").isLessThanOrEqualTo(MAX);
            if (n >= 0) {
              position[0] += QueueDescriptor.slotsFor(n);
            }
            assertDocumented(q, n >= 0 ? Status.OK : -n);
          }
          default -> { // a run of arbitrary bytes anywhere in the queue's memory
            final byte[] bytes = data.consumeBytes(data.consumeInt(1, 64));
            final long at = data.consumeLong(0, q.memory.byteSize() - 1);
            MemorySegment.copy(bytes, 0, q.memory, ValueLayout.JAVA_BYTE, at,
                (int) Math.min(bytes.length, q.memory.byteSize() - at));
          }
        }
      }
      final int end = q.receiver.status();
      assertThat(end).as(QueueStatus.toString(end))
          .isIn(Status.OK, Status.receive(Status.PEER_DEAD), Status.receive(Status.PROTOCOL_ERROR));
      if (end != Status.OK) {
        assertThat(q.receiver.poll(reader, 1)).as("nothing after the end").isZero();
        assertThat(q.receiver.receive(reader, Timeout.NEVER)).as("the end is final").isEqualTo(end);
      }
    }
  }

  private static void assertDocumented(TestQueue q, int outcome) {
    assertThat(outcome).as(QueueStatus.toString(outcome)).isIn(Status.OK, QueueStatus.EMPTY,
        Status.receive(Status.TIMEOUT), Status.receive(Status.PEER_DEAD), Status.receive(Status.PROTOCOL_ERROR));
    if (Status.code(outcome) == Status.PROTOCOL_ERROR) {
      assertThat(q.receiver.failure()).as("a failure that says what was wrong").isNotBlank();
    }
  }

  /** An arbitrary word at an arbitrary 8-byte-aligned place: the lines or the ring. */
  private static void hostileWord(TestQueue q, FuzzedDataProvider data) {
    final long at = 8L * data.consumeLong(0, q.memory.byteSize() / 8 - 1);
    if (data.consumeBoolean()) {
      q.memory.set(ValueLayout.JAVA_LONG, at, data.consumeLong());
    } else {
      q.memory.set(ValueLayout.JAVA_INT, at + 4L * data.consumeInt(0, 1), data.consumeInt());
    }
  }

  /** A stamp that looks almost right: near the receiver's position, of any length or index. */
  private static void hostileStamp(TestQueue q, FuzzedDataProvider data, long near) {
    final long p = near + data.consumeInt(-SLOTS, SLOTS);
    final long stamp = data.consumeBoolean() ? firstStamp(p, data.consumeInt()) : continuationStamp(p, data.consumeInt());
    q.memory.set(ValueLayout.JAVA_LONG, slotOffset(p, SLOTS - 1) + QueueDescriptor.STAMP_OFFSET, stamp);
  }
}
