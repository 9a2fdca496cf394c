package dev.nucleus.bench.oneway;

import java.nio.ByteBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * {@code agrona-oneway}: the throughput loop's ends over Agrona's {@link OneToOneRingBuffer} on a
 * direct buffer, used as Agrona's users do for small messages: {@code tryClaim}, write in place,
 * {@code commit} (no copy); a failed claim is a push-back; {@code read(handler, limit)} with one
 * handler made once. Agrona 2 needs {@code --add-exports java.base/jdk.internal.misc}: it runs in a
 * child JVM started with it.
 */
final class AgronaEnds {

  /** The ring's data bytes: 2 MiB, as the Nucleus queue's ring. */
  static final int CAPACITY = 2 << 20;

  private static final int MESSAGE_TYPE = 1;

  private AgronaEnds() {}

  /** A new, empty ring buffer. */
  static OneToOneRingBuffer ring() {
    return new OneToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
  }

  /** Sends {@code words}-word messages into {@code ring}. */
  static OneWaySender sender(RingBuffer ring, int words) {
    final int length = words * Long.BYTES;
    final AtomicBuffer buffer = ring.buffer();
    return seq -> {
      final int index = ring.tryClaim(MESSAGE_TYPE, length);
      if (index <= 0) {
        return false; // INSUFFICIENT_CAPACITY
      }
      for (int i = 0; i < words; i++) {
        buffer.putLong(index + i * Long.BYTES, Payload.word(seq, i));
      }
      ring.commit(index);
      return true;
    };
  }

  /** Takes messages from {@code ring}, each checked by {@code check}. */
  static OneWayReceiver receiver(RingBuffer ring, SequenceCheck check) {
    final int words = check.words();
    final MessageHandler handler = (type, buffer, index, length) -> {
      check.length(length);
      for (int i = 0; i < words; i++) {
        check.word(i, buffer.getLong(index + i * Long.BYTES));
      }
      check.next();
    };
    return limit -> ring.read(handler, limit);
  }
}
