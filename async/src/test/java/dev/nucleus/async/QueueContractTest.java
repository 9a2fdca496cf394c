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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract of a queue's two ends, one behaviour per test, on one thread where the behaviour
 * allows (a second thread only where an end must be woken).
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("A one-way queue")
class QueueContractTest {

  private static final long SECOND = Timeout.relative(1_000_000_000L);

  @Test
  @DisplayName("carries a message of every length from 0 to its maximum, byte for byte, across the ring's end")
  void shouldCarryEveryLength() {
    try (TestQueue q = TestQueue.spinning(16); Arena scratch = Arena.ofConfined()) {
      final int max = q.sender.maxPayload();
      assertThat(max).isEqualTo(8 * 56).isEqualTo(q.receiver.maxPayload());
      final Payloads payloads = new Payloads(7, max, Payloads.Lengths.LARGEST);
      final MemorySegment out = scratch.allocate(max);
      final MemorySegment in = scratch.allocate(max);
      for (int length = 0; length <= max; length++) {
        final long seq = length;
        out.fill((byte) 0);
        for (int at = 0; at < length; at++) {
          out.set(ValueLayout.JAVA_BYTE, at, payloads.byteAt(seq, at));
        }
        assertThat(q.sender.offer(out, 0, length)).as("offer of %d bytes", length).isEqualTo(Status.OK);
        assertThat(q.receiver.receive(in, 0, max, Timeout.ZERO)).as("length received").isEqualTo(length);
        assertThat(MemorySegment.mismatch(in, 0, length, out, 0, length)).as("bytes of a %d-byte message", length)
            .isEqualTo(-1L);
      }
    }
  }

  @Test
  @DisplayName("hands messages to a handler in the order they were sent, and poll takes no more than its limit")
  void shouldPollInOrderUpToTheLimit() {
    try (TestQueue q = TestQueue.spinning(64); Arena scratch = Arena.ofConfined()) {
      final MemorySegment word = scratch.allocate(8);
      for (long i = 0; i < 10; i++) {
        word.set(ValueLayout.JAVA_LONG, 0, i);
        assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      }
      final List<Long> seen = new ArrayList<>();
      final MessageHandler collect = m -> seen.add(m.getLong(0));
      assertThat(q.receiver.poll(collect, 4)).isEqualTo(4);
      assertThat(q.receiver.poll(collect, 100)).isEqualTo(6);
      assertThat(q.receiver.poll(collect, 100)).isZero();
      assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(q.receiver.status()).isEqualTo(Status.OK);
    }
  }

  @Test
  @DisplayName("a zero-timeout send to a full ring fails at once with FULL, and the message is not sent")
  void shouldFailAtOnceWhenFull() {
    try (TestQueue q = TestQueue.spinning(8); Arena scratch = Arena.ofConfined()) {
      final MemorySegment word = scratch.allocate(8);
      for (int i = 0; i < 8; i++) {
        assertThat(q.sender.offer(word, 0, 8)).as("message %d of 8 one-slot messages", i).isEqualTo(Status.OK);
      }
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(QueueStatus.FULL);
      assertThat(q.sender.send(word, 0, 8, Timeout.ZERO)).isEqualTo(QueueStatus.FULL);
      assertThat(q.sender.claim(0, Timeout.ZERO)).isEqualTo(QueueStatus.FULL);
      assertThat(q.sender.status()).as("FULL is not final").isEqualTo(Status.OK);
      assertThat(drain(q.receiver)).isEqualTo(8);
    }
  }

  @Test
  @DisplayName("a send with a relative timeout to a full ring fails with TIMEOUT in the send phase")
  void shouldTimeOutWhenFullTooLong() {
    try (TestQueue q = new TestQueue(2, WaitStrategy.BLOCK, WaitStrategy.BLOCK); Arena scratch = Arena.ofConfined()) {
      final MemorySegment word = scratch.allocate(8);
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      final int status = q.sender.send(word, 0, 8, Timeout.relative(1_000_000));
      assertThat(status).isEqualTo(Status.send(Status.TIMEOUT));
      assertThat(Status.failedInSend(status)).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(WaitStrategy.class)
  @DisplayName("a sender waiting for room sends as soon as the receiver has read half the ring")
  void shouldSendOnceTheReceiverMakesRoom(WaitStrategy strategy) throws Exception {
    try (TestQueue q = new TestQueue(4, strategy, strategy); Arena scratch = Arena.ofShared()) {
      final MemorySegment word = scratch.allocate(8);
      for (int i = 0; i < 4; i++) {
        assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      }
      final CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(
          () -> q.sender.send(word, 0, 8, Timeout.NEVER), Thread::startVirtualThread);
      assertThat(q.receiver.receive(m -> {}, SECOND)).isEqualTo(Status.OK);
      assertThat(q.receiver.receive(m -> {}, SECOND)).isEqualTo(Status.OK);
      assertThat(blocked.get(30, TimeUnit.SECONDS)).isEqualTo(Status.OK);
      assertThat(drain(q.receiver)).isEqualTo(3);
    }
  }

  @Test
  @DisplayName("the receiver publishes how far it has read once per half ring and before it sleeps, not per message")
  void shouldPublishTheReadPositionLazily() {
    try (TestQueue q = new TestQueue(8, WaitStrategy.SPIN, WaitStrategy.BLOCK); Arena scratch = Arena.ofConfined()) {
      final MemorySegment word = scratch.allocate(8);
      for (int i = 0; i < 8; i++) {
        q.sender.offer(word, 0, 8);
      }
      q.receiver.poll(m -> {}, 3);
      assertThat(readPosition(q)).as("after 3 of 8 slots").isZero();
      q.receiver.poll(m -> {}, 1);
      assertThat(readPosition(q)).as("after half the ring").isEqualTo(4);
      q.receiver.poll(m -> {}, 3);
      assertThat(readPosition(q)).as("after 7").isEqualTo(4);
      assertThat(q.sender.offer(word, 0, 8)).as("what the sender sees").isEqualTo(Status.OK);
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      q.receiver.poll(m -> {}, 3);
      assertThat(readPosition(q)).as("after 10").isEqualTo(8);
      assertThat(q.receiver.receive(m -> {}, Timeout.relative(1_000_000))).isEqualTo(Status.receive(Status.TIMEOUT));
      assertThat(readPosition(q)).as("after a sleep with 10 read").isEqualTo(10);
    }
  }

  @Test
  @DisplayName("a zero-timeout receive of an empty ring fails with EMPTY; a relative timeout with TIMEOUT")
  void shouldReportAnEmptyRing() {
    try (TestQueue q = TestQueue.spinning(8); Arena scratch = Arena.ofConfined()) {
      final MemorySegment buffer = scratch.allocate(64);
      assertThat(q.receiver.receive(m -> {}, Timeout.ZERO)).isEqualTo(QueueStatus.EMPTY);
      assertThat(q.receiver.receive(buffer, 0, 64, Timeout.ZERO)).isEqualTo(-QueueStatus.EMPTY);
      assertThat(q.receiver.receive(m -> {}, Timeout.relative(100_000))).isEqualTo(Status.receive(Status.TIMEOUT));
      assertThat(q.receiver.receive(m -> {}, Timeout.at(Timeout.now()))).isEqualTo(Status.receive(Status.TIMEOUT));
      assertThat(q.receiver.poll(m -> {}, 1)).isZero();
      assertThat(q.receiver.status()).isEqualTo(Status.OK);
    }
  }

  @Test
  @DisplayName("a message above maxPayload is MSG_TOO_LONG, a negative length or a malformed timeout INVALID_ARGUMENT")
  void shouldRejectBadArguments() {
    try (TestQueue q = TestQueue.spinning(8); Arena scratch = Arena.ofConfined()) {
      final MemorySegment big = scratch.allocate(q.sender.maxPayload() + 1);
      assertThat(q.sender.offer(big, 0, q.sender.maxPayload() + 1)).isEqualTo(Status.send(Status.MSG_TOO_LONG));
      assertThat(q.sender.claim(-1, Timeout.ZERO)).isEqualTo(Status.send(Status.INVALID_ARGUMENT));
      assertThat(q.sender.send(big, 0, 8, -5)).isEqualTo(Status.send(Status.INVALID_ARGUMENT));
      assertThat(q.receiver.receive(m -> {}, -5)).isEqualTo(Status.receive(Status.INVALID_ARGUMENT));
      assertThatThrownBy(() -> q.sender.offer(big, 8, q.sender.maxPayload())).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> q.receiver.poll(m -> {}, 0)).isInstanceOf(IllegalArgumentException.class);
      assertThat(q.sender.status()).isEqualTo(Status.OK);
      assertThat(q.receiver.status()).isEqualTo(Status.OK);
    }
  }

  @Test
  @DisplayName("a message longer than the caller's buffer stays in the ring: -MSG_TOO_LONG, then a handler takes it")
  void shouldKeepAMessageTooLongForTheBuffer() {
    try (TestQueue q = TestQueue.spinning(8); Arena scratch = Arena.ofConfined()) {
      final MemorySegment out = scratch.allocate(100);
      out.set(ValueLayout.JAVA_LONG, 0, 42);
      final MemorySegment small = scratch.allocate(16);
      q.sender.offer(out, 0, 100);
      assertThat(q.receiver.receive(small, 0, 16, Timeout.ZERO)).isEqualTo(-Status.receive(Status.MSG_TOO_LONG));
      final long[] first = new long[1];
      assertThat(q.receiver.receive(m -> first[0] = m.getLong(0) + m.length(), Timeout.ZERO)).isEqualTo(Status.OK);
      assertThat(first[0]).isEqualTo(142);
    }
  }

  @Test
  @DisplayName("a claimed message is invisible until committed; an aborted one is never seen and its slots are reused")
  void shouldPublishAClaimOnlyOnCommit() {
    try (TestQueue q = TestQueue.spinning(4)) {
      assertThat(q.sender.claim(64, Timeout.ZERO)).isEqualTo(Status.OK);
      final ClaimedMessage m = q.sender.claimed();
      assertThat(m.length()).isEqualTo(64);
      m.putLong(0, 11);
      m.putLong(56, 12); // the second slot
      m.putInt(48, 13);
      assertThat(q.receiver.poll(x -> {}, 1)).as("before commit").isZero();
      q.sender.abort();
      assertThat(q.receiver.poll(x -> {}, 1)).as("after abort").isZero();

      assertThat(q.sender.claim(64, Timeout.ZERO)).isEqualTo(Status.OK);
      m.putLong(0, 21);
      m.putInt(48, 23);
      m.putLong(56, 22);
      q.sender.commit();
      final long[] got = new long[4];
      assertThat(q.receiver.poll(x -> {
        got[0] = x.getLong(0);
        got[1] = x.getLong(56);
        got[2] = x.getInt(48);
        got[3] = x.length();
      }, 10)).isEqualTo(1);
      assertThat(got).containsExactly(21, 22, 23, 64);
    }
  }

  @Test
  @DisplayName("misuse of a claim throws: a second claim, a commit without one, a write outside it or misaligned")
  void shouldRejectMisuseOfAClaim() {
    try (TestQueue q = TestQueue.spinning(4)) {
      final ClaimedMessage m = q.sender.claimed();
      assertThatThrownBy(() -> q.sender.commit()).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> m.putLong(0, 1)).isInstanceOf(IllegalStateException.class);
      assertThat(q.sender.claim(16, Timeout.ZERO)).isEqualTo(Status.OK);
      assertThatThrownBy(() -> q.sender.claim(8, Timeout.ZERO)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> m.putLong(16, 1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> m.putLong(-8, 1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> m.putLong(4, 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.putInt(2, 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.copyFrom(MemorySegment.ofArray(new byte[32]), 0, 0, 17))
          .isInstanceOf(IndexOutOfBoundsException.class);
      q.sender.commit();
      assertThat(drain(q.receiver)).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a received message is readable only inside its handler call, and only within its length")
  void shouldConfineAReceivedMessageToItsHandler() {
    try (TestQueue q = TestQueue.spinning(4)) {
      q.sender.claim(12, Timeout.ZERO);
      q.sender.commit();
      final ReceivedMessage[] kept = new ReceivedMessage[1];
      q.receiver.poll(m -> {
        kept[0] = m;
        assertThatThrownBy(() -> m.getLong(8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> m.getByte(12)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(m.getInt(8)).isZero();
      }, 1);
      assertThatThrownBy(() -> kept[0].getByte(0)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  @DisplayName("a handler that throws consumes its message; the exception reaches the caller and the next message follows")
  void shouldConsumeAMessageWhoseHandlerThrows() {
    try (TestQueue q = TestQueue.spinning(8); Arena scratch = Arena.ofConfined()) {
      final MemorySegment word = scratch.allocate(8);
      word.set(ValueLayout.JAVA_LONG, 0, 1);
      q.sender.offer(word, 0, 8);
      word.set(ValueLayout.JAVA_LONG, 0, 2);
      q.sender.offer(word, 0, 8);
      assertThatThrownBy(() -> q.receiver.poll(m -> {
        throw new IllegalStateException("handler failed on " + m.getLong(0));
      }, 10)).hasMessage("handler failed on 1");
      final long[] next = new long[1];
      assertThat(q.receiver.receive(m -> next[0] = m.getLong(0), Timeout.ZERO)).isEqualTo(Status.OK);
      assertThat(next[0]).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("after the sender closes, the receiver takes everything it sent, then PEER_DEAD, for good")
  void shouldDrainThenReportPeerDeadWhenTheSenderCloses() {
    try (TestQueue q = TestQueue.spinning(8); Arena scratch = Arena.ofConfined()) {
      final MemorySegment word = scratch.allocate(8);
      for (int i = 0; i < 3; i++) {
        q.sender.offer(word, 0, 8);
      }
      q.sender.close();
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.send(Status.CLOSED));
      assertThat(q.sender.status()).isEqualTo(Status.send(Status.CLOSED));
      assertThat(q.receiver.poll(m -> {}, 2)).isEqualTo(2);
      assertThat(q.receiver.receive(m -> {}, Timeout.NEVER)).isEqualTo(Status.OK);
      assertThat(q.receiver.receive(m -> {}, Timeout.NEVER)).isEqualTo(Status.receive(Status.PEER_DEAD));
      assertThat(q.receiver.poll(m -> {}, 1)).isZero();
      assertThat(q.receiver.status()).isEqualTo(Status.receive(Status.PEER_DEAD));
      assertThat(q.receiver.failure()).contains("sender closed");
    }
  }

  @Test
  @DisplayName("a poll that finds the ring empty after the sender closed ends the receiver with PEER_DEAD")
  void shouldLearnOfAClosedSenderByPolling() {
    try (TestQueue q = TestQueue.spinning(8)) {
      q.sender.claim(0, Timeout.ZERO);
      q.sender.commit();
      q.sender.close();
      assertThat(q.receiver.poll(m -> {}, 10)).isEqualTo(1);
      assertThat(q.receiver.poll(m -> {}, 10)).isZero();
      assertThat(q.receiver.status()).isEqualTo(Status.receive(Status.PEER_DEAD));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(WaitStrategy.class)
  @DisplayName("a receiver waiting with no timeout is woken by the sender's close and gets PEER_DEAD")
  void shouldWakeAWaitingReceiverOnClose(WaitStrategy strategy) throws Exception {
    try (TestQueue q = new TestQueue(8, strategy, strategy)) {
      final CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
          () -> q.receiver.receive(m -> {}, Timeout.NEVER), Thread::startVirtualThread);
      q.sender.close();
      assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(Status.receive(Status.PEER_DEAD));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(WaitStrategy.class)
  @DisplayName("a sender waiting for room is woken by the receiver's close and gets PEER_DEAD; later sends too")
  void shouldWakeAWaitingSenderWhenTheReceiverCloses(WaitStrategy strategy) throws Exception {
    try (TestQueue q = new TestQueue(2, strategy, strategy); Arena scratch = Arena.ofShared()) {
      final MemorySegment word = scratch.allocate(8);
      q.sender.offer(word, 0, 8);
      q.sender.offer(word, 0, 8);
      final CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
          () -> q.sender.send(word, 0, 8, Timeout.NEVER), Thread::startVirtualThread);
      q.receiver.close();
      assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(Status.send(Status.PEER_DEAD));
      assertThat(q.sender.offer(word, 0, 0)).isEqualTo(Status.send(Status.PEER_DEAD));
      assertThat(q.sender.failure()).contains("receiver closed");
      assertThat(q.receiver.receive(m -> {}, Timeout.NEVER)).isEqualTo(Status.receive(Status.CLOSED));
    }
  }

  @Test
  @DisplayName("a sender's first send after the receiver closed gets PEER_DEAD, even with room in the ring")
  void shouldReportAClosedReceiverAtTheNextSend() {
    try (TestQueue q = TestQueue.spinning(64); Arena scratch = Arena.ofConfined()) {
      final MemorySegment word = scratch.allocate(8);
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      q.receiver.close();
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.send(Status.PEER_DEAD));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(WaitStrategy.class)
  @DisplayName("when the sender died, the receiver takes every message it committed, never a claim it had open, then PEER_DEAD")
  void shouldDeliverWhatADeadSenderPublished(WaitStrategy strategy) throws Exception {
    try (TestQueue q = new TestQueue(16, strategy, strategy); Arena scratch = Arena.ofShared()) {
      final MemorySegment word = scratch.allocate(8);
      for (long i = 0; i < 5; i++) {
        word.set(ValueLayout.JAVA_LONG, 0, i);
        q.sender.offer(word, 0, 8);
      }
      q.sender.claim(100, Timeout.ZERO); // dies while writing this one
      q.sender.claimed().putLong(0, 99);
      final List<Long> seen = new ArrayList<>();
      final CompletableFuture<Integer> receiving = CompletableFuture.supplyAsync(() -> {
        int status;
        while ((status = q.receiver.receive(m -> seen.add(m.getLong(0)), Timeout.NEVER)) == Status.OK) {
          // take everything
        }
        return status;
      }, Thread::startVirtualThread);
      q.receiver.peerDied(); // from the thread that watches the sender, as the kernel will
      assertThat(receiving.get(30, TimeUnit.SECONDS)).isEqualTo(Status.receive(Status.PEER_DEAD));
      assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(q.receiver.failure()).contains("sender died");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(WaitStrategy.class)
  @DisplayName("when the receiver died, a sender waiting for room is woken with PEER_DEAD")
  void shouldWakeASenderWhenTheReceiverDied(WaitStrategy strategy) throws Exception {
    try (TestQueue q = new TestQueue(2, strategy, strategy); Arena scratch = Arena.ofShared()) {
      final MemorySegment word = scratch.allocate(8);
      q.sender.offer(word, 0, 8);
      q.sender.offer(word, 0, 8);
      final CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
          () -> q.sender.send(word, 0, 8, Timeout.NEVER), Thread::startVirtualThread);
      q.sender.peerDied();
      assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(Status.send(Status.PEER_DEAD));
      assertThat(q.sender.failure()).contains("receiver died");
    }
  }

  @Test
  @DisplayName("a Java interrupt ends a wait with ABORTED and leaves the interrupt status set")
  void shouldAbortAWaitOnInterrupt() {
    try (TestQueue q = new TestQueue(4, WaitStrategy.BLOCK, WaitStrategy.BLOCK)) {
      Thread.currentThread().interrupt();
      try {
        assertThat(q.receiver.receive(m -> {}, Timeout.NEVER)).isEqualTo(Status.receive(Status.ABORTED));
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(q.receiver.status()).as("ABORTED is not final").isEqualTo(Status.OK);
    }
  }

  @Test
  @DisplayName("an end closed by its owner returns CLOSED from then on, and close is idempotent")
  void shouldReturnClosedAfterClose() {
    try (TestQueue q = TestQueue.spinning(4)) {
      q.receiver.close();
      q.receiver.close();
      assertThat(q.receiver.receive(m -> {}, Timeout.NEVER)).isEqualTo(Status.receive(Status.CLOSED));
      assertThat(q.receiver.status()).isEqualTo(Status.receive(Status.CLOSED));
      q.sender.close();
      q.sender.close();
      assertThat(q.sender.claim(0, Timeout.NEVER)).isEqualTo(Status.send(Status.CLOSED));
    }
  }

  @Test
  @DisplayName("attaching to memory that holds no valid queue fails, naming what is wrong")
  void shouldRefuseToAttachToAnythingButAQueue() {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment blank = arena.allocate(QueueMemory.bytesFor(8), 64);
      assertThatThrownBy(() -> QueueReceiver.attach(blank, Doorbell.inJvm(), WaitStrategy.SPIN))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAGIC");
      QueueMemory.format(blank, 8);
      blank.set(ValueLayout.JAVA_INT, QueueDescriptor.SLOT_COUNT_OFFSET, 12);
      assertThatThrownBy(() -> QueueSender.attach(blank, Doorbell.inJvm(), WaitStrategy.SPIN))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SLOT_COUNT 12");
      assertThatThrownBy(() -> QueueMemory.format(MemorySegment.ofArray(new long[1024]), 8))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native");
      assertThatThrownBy(() -> QueueMemory.format(arena.allocate(QueueMemory.bytesFor(8) - 1, 64), 8))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs");
      assertThatThrownBy(() -> QueueMemory.bytesFor(3)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> QueueMemory.maxPayload(1 << 25)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("statuses print by name: FULL and EMPTY for the zero-timeout cases, the kernel's names otherwise")
  void shouldNameStatuses() {
    assertThat(QueueStatus.toString(QueueStatus.FULL)).isEqualTo("FULL");
    assertThat(QueueStatus.toString(QueueStatus.EMPTY)).isEqualTo("EMPTY");
    assertThat(QueueStatus.toString(Status.receive(Status.PEER_DEAD))).isEqualTo("PEER_DEAD (receive phase)");
  }

  private static int drain(QueueReceiver receiver) {
    int n = 0;
    for (int k; (k = receiver.poll(m -> {}, 100)) > 0; ) {
      n += k;
    }
    return n;
  }

  private static long readPosition(TestQueue q) {
    return q.memory.get(ValueLayout.JAVA_LONG, QueueDescriptor.READ_POSITION_OFFSET);
  }

  @Test
  @DisplayName("a receiver closed after PEER_DEAD still tells a sender that runs on (ring model, finding 1)")
  void shouldTellASenderMarkedDeadThatTheReceiverClosed() throws Exception {
    try (TestQueue q = new TestQueue(2, WaitStrategy.BLOCK, WaitStrategy.BLOCK); Arena scratch = Arena.ofShared()) {
      final MemorySegment word = scratch.allocate(8);
      q.receiver.peerDied(); // a watcher's mark: the sender's space ended, but its thread is still in a send
      assertThat(q.receiver.receive(word, 0, 8, Timeout.ZERO)).isEqualTo(-Status.receive(Status.PEER_DEAD));
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      assertThat(q.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      final CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
          () -> q.sender.send(word, 0, 8, Timeout.NEVER)); // the ring is full: it waits for room
      q.receiver.close();
      assertThat(waiting.get(30, TimeUnit.SECONDS)).as("the waiting send").isEqualTo(Status.send(Status.PEER_DEAD));
    }
  }

  @Test
  @DisplayName("a receiver attached with SPIN says it never sleeps: its sender publishes without looking at its SLEEPING word; any other receiver is woken")
  void shouldSkipTheWakeUpOfAReceiverThatNeverSleeps() {
    try (TestQueue spin = TestQueue.spinning(16); TestQueue block = new TestQueue(16, WaitStrategy.SPIN, WaitStrategy.BLOCK);
        Arena scratch = Arena.ofConfined()) {
      assertThat(spin.memory.get(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_SPINS_OFFSET)).isEqualTo(1);
      assertThat(block.memory.get(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_SPINS_OFFSET)).isEqualTo(0);
      // A SLEEPING word of 1 is what a sleeper leaves; a sender that looks at it clears it (its wake CAS).
      spin.memory.set(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_SLEEPING_OFFSET, 1);
      block.memory.set(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_SLEEPING_OFFSET, 1);
      final MemorySegment word = scratch.allocate(8);
      assertThat(spin.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      assertThat(block.sender.offer(word, 0, 8)).isEqualTo(Status.OK);
      assertThat(spin.memory.get(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_SLEEPING_OFFSET)).as("not looked at")
          .isEqualTo(1);
      assertThat(block.memory.get(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_SLEEPING_OFFSET)).as("woken")
          .isEqualTo(0);
      assertThat(spin.receiver.receive(word, 0, 8, Timeout.ZERO)).isEqualTo(8);
      assertThat(block.receiver.receive(word, 0, 8, Timeout.ZERO)).isEqualTo(8);
    }
  }
}
