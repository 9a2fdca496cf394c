package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker between thread spaces of one JVM: what {@link QueueBroker#create} accepts, how ends
 * are handed out, how a space's end reaches the survivor, and when the broker frees a queue's
 * memory. Process spaces are in the system tests (BrokerDistanceTest and others).
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The queue broker, between thread spaces")
class QueueBrokerTest {

  private int regionsBefore;
  private Kernel kernel;
  private QueueBroker broker;
  private Space a;
  private Space b;
  private IpcThread inA;
  private IpcThread inB;

  @BeforeEach
  void start() throws Exception {
    regionsBefore = BrokerFixture.regionDescriptors();
    kernel = Kernel.create();
    broker = new QueueBroker(kernel);
    a = kernel.createSpace("a");
    b = kernel.createSpace("b");
    inA = a.attach("in-a", WaitStrategy.BLOCK);
    inB = b.attach("in-b", WaitStrategy.BLOCK);
  }

  @AfterEach
  void stop() throws Exception {
    inA.close();
    inB.close();
    broker.close();
    kernel.close();
    assertThat(BrokerFixture.regionDescriptors()).as("region descriptors left").isEqualTo(regionsBefore);
  }

  @Test
  @DisplayName("a queue between two thread spaces carries messages in order, one end to each space")
  void shouldCarryMessagesBetweenThreadSpaces() {
    broker.create("q", QueueSide.of(a), QueueSide.of(b), 8);
    final QueueSender sender = broker.openSender(inA, "q", WaitStrategy.SPIN);
    final QueueReceiver receiver = broker.openReceiver(inB, "q", WaitStrategy.SPIN);
    assertThat(sender.maxPayload()).isEqualTo(QueueMemory.maxPayload(8));
    assertThat(List.of(sender.peerPid(), receiver.peerPid())).as("each end's peer: a thread space of this process")
        .containsOnly(ProcessHandle.current().pid());
    for (long i = 0; i < 100; i++) {
      assertThat(sender.send(word(i), 0, 8, Timeout.NEVER)).isEqualTo(Status.OK);
      final long expected = i;
      assertThat(receiver.receive(m -> assertThat(m.getLong(0)).isEqualTo(expected), Timeout.ZERO))
          .isEqualTo(Status.OK);
    }
  }

  @Test
  @DisplayName("a space may hold both ends of a queue")
  void shouldGiveBothEndsToOneSpace() {
    broker.create("self", QueueSide.of(a), QueueSide.of(a), 2);
    final QueueSender sender = broker.openSender(inA, "self", WaitStrategy.SPIN);
    final QueueReceiver receiver = broker.openReceiver(inA, "self", WaitStrategy.SPIN);
    assertThat(sender.offer(word(5), 0, 8)).isEqualTo(Status.OK);
    assertThat(receiver.receive(m -> assertThat(m.getLong(0)).isEqualTo(5L), Timeout.ZERO)).isEqualTo(Status.OK);
  }

  @Test
  @DisplayName("when the sender's space ends, the receiver takes what was sent, then gets PEER_DEAD")
  void shouldTellTheReceiverWhenTheSendersSpaceEnds() {
    broker.create("q", QueueSide.of(a), QueueSide.of(b), 8);
    final QueueSender sender = broker.openSender(inA, "q", WaitStrategy.SPIN);
    final QueueReceiver receiver = broker.openReceiver(inB, "q", WaitStrategy.BLOCK);
    assertThat(sender.offer(word(1), 0, 8)).isEqualTo(Status.OK);
    assertThat(sender.offer(word(2), 0, 8)).isEqualTo(Status.OK);
    a.end();
    assertThat(receiver.receive(m -> assertThat(m.getLong(0)).isEqualTo(1L), Streams.GUARD)).isEqualTo(Status.OK);
    assertThat(receiver.receive(m -> assertThat(m.getLong(0)).isEqualTo(2L), Streams.GUARD)).isEqualTo(Status.OK);
    assertThat(receiver.receive(m -> { }, Streams.GUARD)).isEqualTo(Status.receive(Status.PEER_DEAD));
    assertThat(receiver.failure()).contains("sender died");
  }

  @Test
  @DisplayName("when the receiver's space ends, a sender waiting for room on the full ring gets PEER_DEAD")
  void shouldWakeASenderWaitingForRoomWhenTheReceiversSpaceEnds() throws Exception {
    broker.create("q", QueueSide.of(a), QueueSide.of(b), 2);
    broker.openReceiver(inB, "q", WaitStrategy.BLOCK);
    final CompletableFuture<QueueSender> opened = new CompletableFuture<>();
    final CompletableFuture<Integer> sent = new CompletableFuture<>();
    a.spawn("sender", WaitStrategy.BLOCK, self -> {
      final QueueSender sender = broker.openSender(self, "q", WaitStrategy.BLOCK);
      opened.complete(sender);
      int status;
      while ((status = sender.send(word(0), 0, 8, Timeout.NEVER)) == Status.OK) {
        // fill the ring, then wait for room
      }
      sent.complete(status);
    });
    final MemorySegment queue = broker.memoryOf("q");
    BrokerFixture.await("the sender sleeps on the full ring", () -> dev.nucleus.async.internal.QueueDescriptor
        .intVolatile(queue, dev.nucleus.async.internal.QueueDescriptor.SENDER_SLEEPING_OFFSET) == 1);
    b.end();
    assertThat(sent.get(30, TimeUnit.SECONDS)).isEqualTo(Status.send(Status.PEER_DEAD));
    assertThat(opened.get().failure()).contains("receiver died");
  }

  @Test
  @DisplayName("the broker frees a queue once both ends were handed out and one has ended, and close frees the rest")
  void shouldFreeQueuesWhenDoneAndAtClose() throws Exception {
    broker.create("closed", QueueSide.of(a), QueueSide.of(b), 4);
    broker.create("kept", QueueSide.of(a), QueueSide.of(b), 4);
    broker.create("unopened", QueueSide.of(a), QueueSide.of(b), 4);
    assertThat(BrokerFixture.regionDescriptors()).isEqualTo(regionsBefore + 3);
    final QueueSender sender = broker.openSender(inA, "closed", WaitStrategy.SPIN);
    final QueueReceiver receiver = broker.openReceiver(inB, "closed", WaitStrategy.SPIN);
    broker.openSender(inA, "kept", WaitStrategy.SPIN);
    broker.openReceiver(inB, "kept", WaitStrategy.SPIN);
    broker.openSender(inA, "unopened", WaitStrategy.SPIN).close(); // its receiver was never handed out

    sender.close();
    BrokerFixture.await("the queue whose sender closed is freed", () -> !broker.queues().contains("closed"));
    assertThat(broker.queues()).containsExactly("kept", "unopened");
    assertThat(BrokerFixture.regionDescriptors()).isEqualTo(regionsBefore + 2);
    assertThat(receiver.receive(m -> { }, Timeout.ZERO)).as("the receiver's own mapping outlives the broker's")
        .isEqualTo(Status.receive(Status.PEER_DEAD));

    broker.close();
    assertThat(broker.queues()).isEmpty();
    assertThat(BrokerFixture.regionDescriptors()).isEqualTo(regionsBefore);
    assertThatThrownBy(() -> broker.create("late", QueueSide.of(a), QueueSide.of(b), 4))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> broker.openReceiver(inB, "unopened", WaitStrategy.SPIN))
        .isInstanceOfSatisfying(QueueHandoutException.class,
            e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
  }

  @Test
  @DisplayName("a kernel closed before the broker ends every side: the ends learn it, and the broker still closes"
      + " cleanly")
  void shouldCloseAfterItsKernel() throws Exception {
    broker.create("q", QueueSide.of(a), QueueSide.of(b), 4);
    final QueueReceiver receiver = broker.openReceiver(inB, "q", WaitStrategy.BLOCK);
    kernel.close();
    assertThat(receiver.receive(m -> { }, Streams.GUARD)).as("the sender's space ended with the kernel")
        .isEqualTo(Status.receive(Status.PEER_DEAD));
    broker.close();
    assertThat(broker.queues()).isEmpty();
  }

  @Test
  @DisplayName("an end goes to a thread of the space granted it, once; anything else is NOT_PERMITTED")
  void shouldHandEachEndOnceToItsSpace() {
    broker.create("q", QueueSide.of(a), QueueSide.of(b), 4);
    assertThatThrownBy(() -> broker.openSender(inB, "q", WaitStrategy.SPIN))
        .isInstanceOfSatisfying(QueueHandoutException.class, e -> {
          assertThat(e.status()).isEqualTo(Status.NOT_PERMITTED);
          assertThat(e.getMessage()).contains("sending end of queue 'q'", "space " + b.number());
        });
    assertThatThrownBy(() -> broker.openSender(inA, "nothing", WaitStrategy.SPIN))
        .isInstanceOf(QueueHandoutException.class).hasMessageContaining("no queue of that name");
    broker.openSender(inA, "q", WaitStrategy.SPIN);
    assertThatThrownBy(() -> broker.openSender(inA, "q", WaitStrategy.SPIN))
        .isInstanceOf(QueueHandoutException.class).hasMessageContaining("handed out already");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "a name of forty-nine bytes, one more than allowed", "nul\0inside", "\uD800"})
  @DisplayName("refuses a malformed name")
  void shouldRefuseMalformedNames(String name) {
    assertThatThrownBy(() -> broker.create(name, QueueSide.of(a), QueueSide.of(b), 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue name");
    assertThat(broker.queues()).isEmpty();
  }

  @Test
  @DisplayName("refuses a taken name, a bad slot count, an ended space, the kernel's own space and another kernel's")
  void shouldRefuseBadArguments() {
    broker.create("q", QueueSide.of(a), QueueSide.of(b), 4);
    assertThatThrownBy(() -> broker.create("q", QueueSide.of(b), QueueSide.of(a), 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
    assertThatThrownBy(() -> broker.create("r", QueueSide.of(a), QueueSide.of(b), 6))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
    final Space ended = kernel.createSpace("ended");
    ended.end();
    assertThatThrownBy(() -> broker.create("r", QueueSide.of(ended), QueueSide.of(b), 4))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sender side has died");
    final Space kernelSpace = kernel.spaces().stream().filter(s -> s.number() == Kernel.KERNEL_SPACE).findFirst()
        .orElseThrow();
    assertThatThrownBy(() -> broker.create("r", QueueSide.of(a), QueueSide.of(kernelSpace), 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel's own space");
    try (Kernel other = Kernel.create()) {
      final Space foreign = other.createSpace("foreign");
      assertThatThrownBy(() -> broker.create("r", QueueSide.of(a), QueueSide.of(foreign), 4))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a space of this broker's kernel");
    }
    assertThat(broker.queues()).containsExactly("q");
  }

  /** Eight bytes of native memory holding {@code value}. */
  static MemorySegment word(long value) {
    final MemorySegment s = Arena.ofAuto().allocate(8, 8);
    s.set(ValueLayout.JAVA_LONG, 0, value);
    return s;
  }
}
