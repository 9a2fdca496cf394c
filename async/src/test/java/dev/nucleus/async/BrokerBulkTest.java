package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bulk data by shared region over a broker-made queue, between the root and a process space, in
 * both directions (docs/queues.md, section 7): the sender puts blocks in a {@link SharedRegion}
 * and sends their handles; the receiver maps each block checked against its end's {@code
 * peerPid()}, the process the broker vouches for, and finds every byte. A handle is mapped only
 * for that process.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("Bulk data by shared region over a queue")
class BrokerBulkTest {

  private static final int SLOTS = 16;
  private static final int BLOCKS = 24; // more than the ring holds: the sender waits for room too

  private BrokerFixture system;
  private IpcThread root;

  @BeforeEach
  void start() throws Exception {
    system = new BrokerFixture();
    root = system.root.attach("test", WaitStrategy.BLOCK);
  }

  @AfterEach
  void stop() throws Exception {
    root.close();
    system.stop();
  }

  @Test
  @DisplayName("a process's blocks reach the root intact, mapped by the pid the root's end names")
  void shouldTakeBlocksFromAProcess() throws Exception {
    final ProcessSpace child = system.spawn("bulk-sender", system.root, "bulk-send", "bulk", "BLOCK", "61",
        Integer.toString(BLOCKS), system.countersPath("bulk"));
    system.broker.create("bulk", QueueSide.of(child), QueueSide.of(system.root), SLOTS);
    final QueueReceiver receiver = system.broker.openReceiver(root, "bulk", WaitStrategy.BLOCK);

    assertThat(receiver.peerPid()).as("the process the broker names for the sending end").isEqualTo(child.pid());
    assertThat(BulkBlocks.receive(receiver, BLOCKS)).as("what the blocks' check found").isNull();
    assertThat(child.isAlive()).as("the sender holds its region open").isTrue();
  }

  @Test
  @DisplayName("the root's blocks reach a process intact, mapped by the pid its end names")
  void shouldGiveBlocksToAProcess() throws Exception {
    final ProcessSpace child = system.spawn("bulk-receiver", system.root, "bulk-receive", "bulk", "BLOCK", "0",
        Integer.toString(BLOCKS), system.countersPath("bulk"));
    system.broker.create("bulk", QueueSide.of(system.root), QueueSide.of(child), SLOTS);
    final QueueSender sender = system.broker.openSender(root, "bulk", WaitStrategy.BLOCK);
    assertThat(sender.peerPid()).as("the process the broker names for the receiving end").isEqualTo(child.pid());

    try (SharedRegion region = BulkBlocks.send(sender, 62, BLOCKS)) {
      assertThat(BrokerFixture.exitOf(child)).as("the process's exit code (1: a block was wrong, said on its"
          + " stderr)").isZero();
    }
    sender.close();
  }

  @Test
  @DisplayName("an end whose peer's process has not attached yet names no process (-1) rather than a wrong one")
  void shouldNameNoProcessBeforeThePeerAttaches() {
    final ProcessSpace waiting = system.kernel.openProcessSpace("not-yet", system.root); // no process started
    system.broker.create("early", QueueSide.of(waiting), QueueSide.of(system.root), SLOTS);
    final QueueReceiver receiver = system.broker.openReceiver(root, "early", WaitStrategy.BLOCK);

    assertThat(waiting.pid()).isEqualTo(-1);
    assertThat(receiver.peerPid()).as("asked of the broker while the process space has no process").isEqualTo(-1);
  }

  @Test
  @DisplayName("a handle in a message is mapped only as a region of the process the broker names")
  void shouldMapAHandleOnlyForThePeer() throws Exception {
    final ProcessSpace child = system.spawn("bulk-sender", system.root, "bulk-send", "bulk", "BLOCK", "63", "1",
        system.countersPath("bulk"));
    system.broker.create("bulk", QueueSide.of(child), QueueSide.of(system.root), SLOTS);
    final QueueReceiver receiver = system.broker.openReceiver(root, "bulk", WaitStrategy.BLOCK);
    final long handle = BulkBlocks.takeHandle(receiver);

    try (Arena arena = Arena.ofConfined()) {
      assertThatThrownBy(() -> SharedRegion.map(handle, 0, BulkBlocks.BLOCK, arena))
          .as("checked against this process").isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("names process " + child.pid());
      final MemorySegment direct = arena.allocate(QueueMemory.bytesFor(SLOTS), 64);
      QueueMemory.format(direct, SLOTS);
      final long unvouched = QueueReceiver.attach(direct, Doorbell.polling(), WaitStrategy.BLOCK).peerPid();
      assertThat(unvouched).as("an end no broker made").isEqualTo(-1);
      assertThatThrownBy(() -> SharedRegion.map(handle, unvouched, BulkBlocks.BLOCK, arena))
          .as("checked against an end no broker made").isInstanceOf(IllegalArgumentException.class);
      assertThat(SharedRegion.map(handle, receiver.peerPid(), BulkBlocks.BLOCK, arena).byteSize())
          .as("checked against the peer the broker names").isEqualTo(BulkBlocks.BLOCK);
    }
  }
}
