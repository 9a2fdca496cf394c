package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.async.internal.QueueDescriptor;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams through broker-made queues between a child process and the root, under faults: ten
 * million checksummed messages through a small ring that wraps, fills and waits on a slow
 * receiver; a sender killed mid-stream; a receiver killed while the sender waits for room. The
 * child is a {@link QueueComponent}; what it did is in the stream's {@link StreamCounters}.
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisplayName("Broker-made queues between a child and the root")
class BrokerStreamTest {

  /** A small ring: it wraps every few dozen messages and fills whenever the receiver pauses. */
  private static final int SLOTS = 64;

  private BrokerFixture system;
  private IpcThread me;

  @BeforeEach
  void start() throws Exception {
    system = new BrokerFixture();
    me = system.root.attach("me", WaitStrategy.BLOCK);
  }

  @AfterEach
  void stop() throws Exception {
    me.close();
    system.stop();
  }

  @Test
  @DisplayName("a child's 10,000,000 messages of 1 to 3 slots arrive once, in order, byte for byte, through a"
      + " 64-slot ring that fills while the receiver pauses, then its close")
  void shouldCarryTenMillionMessagesFromAChildToTheRoot() throws Exception {
    final long count = 10_000_000;
    final long pauseEvery = 1_000_000;
    final ProcessSpace child = system.spawn("sender", system.root, "send", "stream", "ADAPTIVE", "11",
        Long.toString(count), system.countersPath("stream"));
    system.broker.create("stream", QueueSide.of(child), QueueSide.of(system.root), SLOTS);
    final StreamCounters counters = system.counters("stream");
    final QueueReceiver receiver = system.broker.openReceiver(me, "stream", WaitStrategy.ADAPTIVE);
    final Payloads payloads = new Payloads(11, receiver.maxPayload(), Payloads.Lengths.FEW_SLOTS);

    // The slow phases: every pauseEvery messages the receiver stops until the sender, having found
    // the ring full, sleeps waiting for room (its SLEEPING word, in the broker's mapping), then goes on.
    final MemorySegment queue = system.broker.memoryOf("stream");
    final String failure = Streams.receive(receiver, payloads, count, counters, Streams.GUARD, next -> {
      if (next > 0 && next % pauseEvery == 0) {
        BrokerFixture.await("the sender sleeps on the full ring while the receiver pauses at " + next,
            () -> QueueDescriptor.intVolatile(queue, QueueDescriptor.SENDER_SLEEPING_OFFSET) == 1);
      }
    });

    assertThat(failure).as("what the receiver found").isNull();
    assertThat(Streams.expectEnd(receiver, Streams.GUARD)).as("after the last message, the sender's close").isNull();
    assertThat(BrokerFixture.exitOf(child)).as("the sender's exit code (1: it saw a wrong status)").isZero();
    assertThat(counters.get(StreamCounters.FULLS)).as("times the sender waited for room").isGreaterThanOrEqualTo(
        count / pauseEvery - 1);
  }

  @Test
  @DisplayName("when the sending child is killed mid-stream, everything it published arrives, in order, then"
      + " PEER_DEAD")
  void shouldDeliverWhatAKilledSenderPublished() throws Exception {
    final ProcessSpace child = system.spawn("sender", system.root, "send-forever", "stream", "ADAPTIVE", "22", "0",
        system.countersPath("stream"));
    system.broker.create("stream", QueueSide.of(child), QueueSide.of(system.root), SLOTS);
    final StreamCounters counters = system.counters("stream");
    final QueueReceiver receiver = system.broker.openReceiver(me, "stream", WaitStrategy.ADAPTIVE);
    final Payloads payloads = new Payloads(22, receiver.maxPayload(), Payloads.Lengths.FEW_SLOTS);
    final long before = 50_000;
    assertThat(Streams.receive(receiver, payloads, before, counters, Streams.GUARD, next -> { })).isNull();

    child.kill(); // SIGKILL, mid-stream: most likely with a full ring and a claim half written
    assertThat(BrokerFixture.exitOf(child)).as("killed").isEqualTo(128 + 9);
    final long published = counters.get(StreamCounters.PUBLISHED);
    final long[] rest = Streams.drain(receiver, payloads, before, Streams.GUARD);

    assertThat(rest[1]).as("how the stream ends").isEqualTo(Status.receive(Status.PEER_DEAD));
    assertThat(receiver.failure()).contains("sender died");
    // PUBLISHED is stored after each commit: the sender may have published one more than it counted.
    assertThat(before + rest[0]).as("messages taken, against the %d the sender counted", published)
        .isBetween(published, published + 1);
  }

  @Test
  @DisplayName("when the receiving child is killed, the root's sender asleep on the full ring wakes with"
      + " PEER_DEAD")
  void shouldTellTheSenderWhenTheReceiverIsKilled() throws Exception {
    final ProcessSpace child = system.spawn("receiver", system.root, "receive-hold", "stream", "ADAPTIVE", "33",
        "1000", system.countersPath("stream"));
    system.broker.create("stream", QueueSide.of(system.root), QueueSide.of(child), SLOTS);
    final StreamCounters counters = system.counters("stream");
    final MemorySegment queue = system.broker.memoryOf("stream");
    final CompletableFuture<String> sending = new CompletableFuture<>();
    final CompletableFuture<QueueSender> opened = new CompletableFuture<>();
    system.root.spawn("sender", WaitStrategy.BLOCK, self -> {
      final QueueSender sender = system.broker.openSender(self, "stream", WaitStrategy.BLOCK);
      opened.complete(sender);
      final Payloads payloads = new Payloads(33, sender.maxPayload(), Payloads.Lengths.FEW_SLOTS);
      sending.complete(Streams.send(sender, payloads, Long.MAX_VALUE, counters, dev.nucleus.kernel.Timeout.NEVER));
    });
    BrokerFixture.await("the child takes its 1000 messages and holds",
        () -> counters.get(StreamCounters.RECEIVED) == 1000);
    BrokerFixture.await("the sender announces that it sleeps on the full ring",
        () -> QueueDescriptor.intVolatile(queue, QueueDescriptor.SENDER_SLEEPING_OFFSET) == 1);

    child.kill();

    assertThat(sending.get(60, TimeUnit.SECONDS)).as("the endless sender ends at PEER_DEAD").isNull();
    final QueueSender sender = opened.get();
    assertThat(sender.status()).isEqualTo(Status.send(Status.PEER_DEAD));
    assertThat(sender.failure()).contains("receiver died");
  }

  @Test
  @DisplayName("a root receiver asleep in a waitset is woken by the child's messages through kernel notifications,"
      + " and learns of the child's death")
  void shouldWakeAWaitsetAcrossProcesses() throws Exception {
    final long count = 10_000;
    final ProcessSpace child = system.spawn("sender", system.root, "send-hold", "stream", "BLOCK", "55",
        Long.toString(count), system.countersPath("stream"));
    system.broker.create("stream", QueueSide.of(child), QueueSide.of(system.root), SLOTS);
    final QueueReceiver receiver = system.broker.openReceiver(me, "stream", WaitStrategy.BLOCK);
    final Payloads payloads = new Payloads(55, receiver.maxPayload(), Payloads.Lengths.FEW_SLOTS);
    try (Waitset waitset = Waitset.create(me, WaitStrategy.BLOCK)) {
      // No sleep ends by itself while the messages come: each wake-up is the child's notification.
      waitset.sleepAtMost(3_600_000_000_000L);
      final int key = waitset.add(receiver);
      final WaitsetEvent event = new WaitsetEvent(receiver.maxPayload());
      for (long seq = 0; seq < count; seq++) {
        assertThat(waitset.next(event, Streams.GUARD)).as("message %d", seq).isEqualTo(Status.OK);
        assertThat(event.kind()).isEqualTo(WaitsetEvent.Kind.QUEUE_MESSAGE);
        assertThat(event.queue()).isEqualTo(key);
        assertThat(payloads.mismatch(event.payload(), event.length(), seq)).isNull();
      }

      // The death is marked in the queue, which the waitset looks at once per slice.
      waitset.sleepAtMost(Waitset.SLICE_NANOS);
      child.kill();
      assertThat(waitset.next(event, Streams.GUARD)).isEqualTo(Status.OK);
      assertThat(event.kind()).isEqualTo(WaitsetEvent.Kind.QUEUE_ENDED);
      assertThat(event.status()).isEqualTo(Status.receive(Status.PEER_DEAD));
      assertThat(receiver.failure()).contains("sender died");
    }
  }
}
