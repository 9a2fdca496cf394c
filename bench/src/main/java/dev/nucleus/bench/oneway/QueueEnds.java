package dev.nucleus.bench.oneway;

import dev.nucleus.async.ClaimedMessage;
import dev.nucleus.async.MessageHandler;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.QueueSender;
import dev.nucleus.async.QueueStatus;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;

/**
 * {@code queue-process} and {@code queue-thread}: the throughput loop's ends over a Nucleus
 * one-way queue. The sender claims a message's slots with a zero timeout and writes the words in
 * place ({@code claim}, {@code putLong}, {@code commit}: no copy, as Aeron's {@code tryClaim});
 * FULL is a push-back. The receiver polls with one {@link MessageHandler} made once, reading the
 * words in place.
 */
final class QueueEnds {

  /** Slots of a throughput queue: 2 MiB of ring, as much as Aeron lets a publication run ahead. */
  static final int SLOTS = 1 << 15;

  private QueueEnds() {}

  /** Sends {@code words}-word messages on {@code queue}. */
  static OneWaySender sender(QueueSender queue, int words) {
    final int length = words * Long.BYTES;
    return seq -> {
      final int status = queue.claim(length, Timeout.ZERO);
      if (status == Status.OK) {
        final ClaimedMessage m = queue.claimed();
        for (int i = 0; i < words; i++) {
          m.putLong((long) i * Long.BYTES, Payload.word(seq, i));
        }
        queue.commit();
        return true;
      }
      if (status == QueueStatus.FULL) {
        return false;
      }
      throw new IllegalStateException("queue sender: " + QueueStatus.toString(status) + failure(queue.failure()));
    };
  }

  /** Takes messages from {@code queue}, each checked by {@code check}. */
  static OneWayReceiver receiver(QueueReceiver queue, SequenceCheck check) {
    final int words = check.words();
    final MessageHandler handler = m -> {
      check.length(m.length());
      for (int i = 0; i < words; i++) {
        check.word(i, m.getLong((long) i * Long.BYTES));
      }
      check.next();
    };
    return limit -> {
      final int taken = queue.poll(handler, limit);
      if (taken == 0 && queue.status() != Status.OK) {
        throw new IllegalStateException("queue receiver: " + QueueStatus.toString(queue.status())
            + failure(queue.failure()));
      }
      return taken;
    };
  }

  private static String failure(String failure) {
    return failure == null ? "" : " (" + failure + ")";
  }
}
