package dev.nucleus.bench.oneway;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * {@code jctools-oneway}: the throughput loop's ends over JCTools' {@link SpscArrayQueue}, which
 * carries references. Each message is a {@code long[]} of its words taken from a pool made before
 * the run and reused in order ({@code pool[seq mod pool size]}), so that JCTools, like the queues
 * it is compared with, allocates nothing per message; a JCTools user who allocates a message per
 * send pays that besides (16 + 8 x words bytes, and the garbage collector).
 *
 * <p>Why reuse is safe: the pool holds P, at least twice the queue's capacity C, arrays. The
 * sender refills {@code pool[seq mod P]} (last used by message {@code seq - P}) only after its
 * offer of {@code seq - 1} went through, which found the queue slot of message
 * {@code seq - 1 - C} emptied. The receiver empties a message's slot (a release store) just before
 * it reads that message, and after it has read every message before it: so it has finished with
 * every message up to {@code seq - 2 - C}, message {@code seq - P} among them (P >= C + 2), and
 * the offer's acquire load of the empty slot orders those reads before the sender's writes.
 *
 * <p>The receiver drains with {@code drain(consumer, limit)}, JCTools' batch poll; {@code
 * SpscArrayQueue} uses {@code sun.misc.Unsafe}, allowed in its child JVM
 * ({@code --sun-misc-unsafe-memory-access=allow}).
 */
final class JctoolsEnds {

  /** The queue's capacity in messages: as many as the Nucleus ring's slots. */
  static final int CAPACITY = QueueEnds.SLOTS;

  private JctoolsEnds() {}

  /** A new, empty queue. */
  static SpscArrayQueue<long[]> queue() {
    return new SpscArrayQueue<>(CAPACITY);
  }

  /** Sends {@code words}-word messages from a pool of {@code 2 x capacity} arrays. */
  static OneWaySender sender(SpscArrayQueue<long[]> queue, int words) {
    final int poolSize = Integer.highestOneBit(2 * queue.capacity() - 1) << 1;
    final long[][] pool = new long[poolSize][words];
    final int mask = poolSize - 1;
    return seq -> {
      final long[] m = pool[(int) seq & mask];
      for (int i = 0; i < words; i++) {
        m[i] = Payload.word(seq, i);
      }
      return queue.offer(m);
    };
  }

  /** Takes messages from {@code queue}, each checked by {@code check}. */
  static OneWayReceiver receiver(SpscArrayQueue<long[]> queue, SequenceCheck check) {
    final int words = check.words();
    final MessagePassingQueue.Consumer<long[]> consumer = m -> {
      check.length(m.length * Long.BYTES);
      for (int i = 0; i < words; i++) {
        check.word(i, m[i]);
      }
      check.next();
    };
    return limit -> queue.drain(consumer, limit);
  }
}
