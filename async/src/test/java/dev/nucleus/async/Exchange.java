package dev.nucleus.async;

import dev.nucleus.async.internal.QueueDescriptor;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream of {@code count} checksummed messages from a sender thread to a receiver thread over
 * one {@link TestQueue}, each side using every way its end offers, checked message by message:
 * FIFO, exactly once, every byte. Sender: claim-write-commit (zero copy) for even message
 * numbers, send from a buffer for odd ones; with {@code offerFirst}, a zero-timeout offer first,
 * counting FULLs. Receiver: a handler through poll, then a blocking receive when poll finds
 * nothing; every fourth message into a buffer instead. A slow receiver yields every 8 messages,
 * so the sender finds the ring full. Watched by a {@link Watchdog}.
 */
final class Exchange {

  private final TestQueue queue;
  private final Payloads payloads;
  private final long count;
  private final boolean slowReceiver;
  private final boolean offerFirst;

  final AtomicLong sent = new AtomicLong();
  final AtomicLong received = new AtomicLong();
  /** Sends that found the ring full at first. */
  final AtomicLong fullRings = new AtomicLong();

  Exchange(TestQueue queue, Payloads payloads, long count, boolean slowReceiver, boolean offerFirst) {
    this.queue = queue;
    this.payloads = payloads;
    this.count = count;
    this.slowReceiver = slowReceiver;
    this.offerFirst = offerFirst;
  }

  /** Runs the stream to its end; fails on the first wrong message, a bad status, or a stall of {@code stall}. */
  void run(String what, Duration stall) throws InterruptedException {
    Watchdog.run(what, stall, () -> sent.get() + received.get(), this::diagnostics, this::release,
        this::sendAll, this::receiveAll);
  }

  private void sendAll() {
    final QueueSender sender = queue.sender;
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment buffer = arena.allocate(Math.max(1, sender.maxPayload()), 8);
      for (long seq = 0; seq < count; seq++) {
        final int length = payloads.length(seq);
        if (offerFirst) {
          final int offered = sender.claim(length, Timeout.ZERO);
          if (offered == Status.OK) {
            payloads.write(sender.claimed(), seq);
            sender.commit();
            sent.incrementAndGet();
            continue;
          }
          check(offered == QueueStatus.FULL, "offer of message " + seq, offered);
          fullRings.incrementAndGet();
        }
        if ((seq & 1) == 0) {
          final int claimed = sender.claim(length, Timeout.NEVER);
          check(claimed == Status.OK, "claim of message " + seq, claimed);
          payloads.write(sender.claimed(), seq);
          sender.commit();
        } else {
          payloads.write(buffer, seq);
          final int status = sender.send(buffer, 0, length, Timeout.NEVER);
          check(status == Status.OK, "send of message " + seq, status);
        }
        sent.incrementAndGet();
      }
      sender.close();
    }
  }

  private void receiveAll() {
    final QueueReceiver receiver = queue.receiver;
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment buffer = arena.allocate(Math.max(1, receiver.maxPayload()), 8);
      final long[] next = {0};
      final String[] wrong = {null};
      final MessageHandler handler = m -> {
        if (wrong[0] == null) {
          wrong[0] = payloads.mismatch(m, next[0]);
        }
        next[0]++;
        received.incrementAndGet();
      };
      while (next[0] < count) {
        if (slowReceiver && (next[0] & 7) == 0) {
          Thread.yield();
        }
        if ((next[0] & 3) == 3) {
          final int length = receiver.receive(buffer, 0, (int) buffer.byteSize(), Timeout.NEVER);
          check(length >= 0, "receive of message " + next[0] + " into a buffer", -length);
          final String mismatch = payloads.mismatch(buffer, length, next[0]);
          if (mismatch != null) {
            throw new AssertionError(mismatch);
          }
          next[0]++;
          received.incrementAndGet();
          continue;
        }
        final int limit = (int) Math.min(3 - (next[0] & 3), count - next[0]);
        if (receiver.poll(handler, limit) == 0) {
          final int status = receiver.receive(handler, Timeout.NEVER);
          check(status == Status.OK, "receive of message " + next[0], status);
        }
        if (wrong[0] != null) {
          throw new AssertionError(wrong[0]);
        }
      }
      final int end = receiver.receive(handler, Timeout.NEVER);
      check(end == Status.receive(Status.PEER_DEAD), "receive after the last message (expected PEER_DEAD)", end);
    }
  }

  private static void check(boolean ok, String what, int status) {
    if (!ok) {
      throw new AssertionError(what + ": " + QueueStatus.toString(status));
    }
  }

  private String diagnostics() {
    final MemorySegment m = queue.memory;
    return "sent " + sent.get() + ", received " + received.get() + ", " + queue.sender + ", " + queue.receiver
        + ", SENDER_SLEEPING " + QueueDescriptor.intVolatile(m, QueueDescriptor.SENDER_SLEEPING_OFFSET)
        + ", RECEIVER_SLEEPING " + QueueDescriptor.intVolatile(m, QueueDescriptor.RECEIVER_SLEEPING_OFFSET)
        + ", READ_POSITION " + QueueDescriptor.readPositionVolatile(m);
  }

  /** Makes both parties return: each end learns that its peer is gone. */
  private void release() {
    queue.sender.peerDied();
    queue.receiver.peerDied();
  }
}
