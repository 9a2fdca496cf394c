package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.async.internal.QueueDescriptor;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A queue between two processes: this JVM and a child JVM ({@link QueuePeer}) map the same file
 * with {@code FileChannel.map(..., Arena)} and exchange checksummed messages, in both directions;
 * and a peer killed with SIGKILL mid-stream leaves the survivor everything it published, then
 * PEER_DEAD. The file lives in a directory of the test's own, removed after each test with the
 * child's log; the child is killed if it is still running.
 */
@Tag("system")
@org.junit.jupiter.api.Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("A queue between two processes")
class CrossProcessQueueTest {

  private static final int SLOTS = 256;

  private Path dir;
  private Path file;
  private Arena arena;
  private MemorySegment memory;
  private final List<PeerProcess> peers = new ArrayList<>();

  @BeforeEach
  void mapAQueueFile() throws IOException {
    dir = Files.createTempDirectory("nucleus-queue-test-");
    file = dir.resolve("queue");
    arena = Arena.ofShared();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, QueueMemory.bytesFor(SLOTS), arena);
    }
    QueueMemory.format(memory, SLOTS);
  }

  @AfterEach
  void removeEverything() throws Exception {
    for (PeerProcess p : peers) {
      p.kill();
    }
    arena.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertThat(dir).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = WaitStrategy.class, names = {"SPIN", "BLOCK"})
  @DisplayName("a child's 2,000,000 messages of mixed lengths arrive once, in order, byte for byte, then its close")
  void shouldReceiveEveryMessageFromAChild(WaitStrategy strategy) throws Exception {
    final long count = 2_000_000;
    final PeerProcess child = start("sender", "send", count, 101, Payloads.Lengths.MIXED, strategy);
    final String failure = QueuePeer.receive(QueueReceiver.attach(memory, Doorbell.polling(), strategy), 101,
        Payloads.Lengths.MIXED, count);
    assertThat(failure).as("what the receiver found" + child.logTail()).isNull();
    assertThat(child.awaitExit(30)).as("the child's exit status" + child.logTail()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = WaitStrategy.class, names = {"SPIN", "BLOCK"})
  @DisplayName("a child takes 1,000,000 messages of mixed lengths once, in order, byte for byte, then the close")
  void shouldSendEveryMessageToAChild(WaitStrategy strategy) throws Exception {
    final long count = 1_000_000;
    final PeerProcess child = start("receiver", "receive", count, 202, Payloads.Lengths.MIXED, strategy);
    final String failure = QueuePeer.send(QueueSender.attach(memory, Doorbell.polling(), strategy), 202,
        Payloads.Lengths.MIXED, count);
    assertThat(failure).as("what the sender found" + child.logTail()).isNull();
    assertThat(child.awaitExit(60)).as("the child's exit status (1: a wrong message)" + child.logTail()).isZero();
  }

  @Test
  @DisplayName("when the sending child is killed mid-stream, every message it published arrives, in order, then PEER_DEAD")
  void shouldDeliverWhatAKilledSenderPublished() throws Exception {
    final PeerProcess child = start("sender", "send-forever", 0, 303, Payloads.Lengths.MIXED, WaitStrategy.SPIN);
    child.awaitReady();
    final QueueReceiver receiver = QueueReceiver.attach(memory, Doorbell.polling(), WaitStrategy.SPIN);
    final Payloads payloads = new Payloads(303, receiver.maxPayload(), Payloads.Lengths.MIXED);
    final long[] next = {0};
    final String[] wrong = {null};
    final MessageHandler check = m -> {
      if (wrong[0] == null) {
        wrong[0] = payloads.mismatch(m, next[0]);
      }
      next[0]++;
    };
    while (next[0] < 50_000) {
      assertThat(receiver.receive(check, Timeout.relative(10_000_000_000L))).as(child.logTail()).isEqualTo(Status.OK);
    }
    child.kill(); // SIGKILL, mid-stream: the ring is most likely full, a claim half written
    receiver.peerDied(); // what the kernel does when it sees the process exit
    int status;
    while ((status = receiver.receive(check, Timeout.NEVER)) == Status.OK) {
      // take everything the child published before it died
    }
    assertThat(status).isEqualTo(Status.receive(Status.PEER_DEAD));
    assertThat(wrong[0]).as("the messages taken").isNull();
    assertThat(next[0]).as("messages taken").isGreaterThanOrEqualTo(50_000);
  }

  @Test
  @DisplayName("when the receiving child is killed, a sender asleep on the full ring is woken with PEER_DEAD")
  void shouldTellTheSenderWhenTheReceiverIsKilled() throws Exception {
    final PeerProcess child = start("receiver", "receive-forever", 0, 404, Payloads.Lengths.ONE_SLOT,
        WaitStrategy.BLOCK);
    child.awaitReady();
    child.kill(); // SIGKILL: nobody takes messages any more
    final QueueSender sender = QueueSender.attach(memory, Doorbell.polling(), WaitStrategy.BLOCK);
    final CompletableFuture<String> sending = CompletableFuture.supplyAsync(
        () -> QueuePeer.send(sender, 404, Payloads.Lengths.ONE_SLOT, Long.MAX_VALUE), Thread::startVirtualThread);
    final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (QueueDescriptor.intVolatile(memory, QueueDescriptor.SENDER_SLEEPING_OFFSET) != 1) {
      assertThat(System.nanoTime()).as("the sender announces that it sleeps on the full ring").isLessThan(giveUp);
      assertThat(sending).as("the sender still sends").isNotDone();
      Thread.onSpinWait();
    }
    sender.peerDied(); // what the kernel does when it sees the process exit
    assertThat(sending.get(60, TimeUnit.SECONDS)).as("the endless sender ends at PEER_DEAD").isNull();
    assertThat(sender.status()).isEqualTo(Status.send(Status.PEER_DEAD));
    assertThat(sender.failure()).contains("receiver died");
  }

  private PeerProcess start(String name, String role, long count, long seed, Payloads.Lengths lengths,
      WaitStrategy strategy) throws IOException {
    final PeerProcess p = PeerProcess.start(dir, name, List.of(role, file.toString(), Long.toString(count),
        Long.toString(seed), lengths.name(), strategy.name()));
    peers.add(p);
    return p;
  }
}
