package dev.nucleus.async;

import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A queue in this JVM for a test: its memory from a shared arena (freed by {@link #close}), both
 * ends attached, one in-JVM doorbell between them.
 */
final class TestQueue implements AutoCloseable {

  final Arena arena = Arena.ofShared();
  final MemorySegment memory;
  final int slots;
  final Doorbell doorbell;
  final QueueSender sender;
  final QueueReceiver receiver;

  TestQueue(int slots, WaitStrategy senderWaits, WaitStrategy receiverWaits) {
    this(slots, senderWaits, receiverWaits, Doorbell.inJvm());
  }

  TestQueue(int slots, WaitStrategy senderWaits, WaitStrategy receiverWaits, Doorbell doorbell) {
    this.slots = slots;
    this.doorbell = doorbell;
    this.memory = arena.allocate(QueueMemory.bytesFor(slots), 64);
    QueueMemory.format(memory, slots);
    this.sender = QueueSender.attach(memory, doorbell, senderWaits);
    this.receiver = QueueReceiver.attach(memory, doorbell, receiverWaits);
  }

  static TestQueue spinning(int slots) {
    return new TestQueue(slots, WaitStrategy.SPIN, WaitStrategy.SPIN);
  }

  @Override
  public void close() {
    arena.close();
  }
}
