package dev.nucleus.bench.oneway;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.agrona.MutableDirectBuffer;

/**
 * {@code aeron-ipc-oneway}: the throughput loop's ends over Aeron IPC ({@code aeron:ipc}, term
 * length 4 MiB, as the {@code aeron-ipc} ping-pong), used as Aeron's users do for small messages:
 * an {@link ExclusivePublication} (one sending thread) and {@code tryClaim}, the words written in
 * place, {@code commit}; BACK_PRESSURED and ADMIN_ACTION are push-backs, retried (and counted);
 * the subscription's {@code poll(handler, fragmentLimit)} with one {@link FragmentHandler} made
 * once (a message of 8 or 56 bytes is always one fragment, so no assembler).
 */
final class AeronEnds {

  /** The stream of the one-way entry (the ping-pong's are 1001 and 1002). */
  static final int STREAM = 1003;

  private static final Duration CONNECT_LIMIT = Duration.ofSeconds(60);

  private AeronEnds() {}

  /** Waits, bounded, until {@code publication} has a subscriber. */
  static void awaitConnected(ExclusivePublication publication) throws TimeoutException, InterruptedException {
    final long deadline = System.nanoTime() + CONNECT_LIMIT.toNanos();
    while (!publication.isConnected()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the Aeron publication had no subscriber within " + CONNECT_LIMIT.toSeconds() + " s");
      }
      Thread.sleep(1);
    }
  }

  /** The sending end over one publication, for any message size. */
  static final class Sender {

    private final ExclusivePublication publication;
    private final BufferClaim claim = new BufferClaim();

    Sender(ExclusivePublication publication) {
      this.publication = publication;
    }

    /** Sends {@code words}-word messages. */
    OneWaySender words(int words) {
      final int length = words * Long.BYTES;
      return seq -> {
        final long position = publication.tryClaim(length, claim);
        if (position > 0) {
          final MutableDirectBuffer buffer = claim.buffer();
          final int offset = claim.offset();
          for (int i = 0; i < words; i++) {
            buffer.putLong(offset + i * Long.BYTES, Payload.word(seq, i));
          }
          claim.commit();
          return true;
        }
        if (position == Publication.BACK_PRESSURED || position == Publication.ADMIN_ACTION) {
          return false;
        }
        throw new IllegalStateException("Aeron publication: " + Publication.errorString(position));
      };
    }
  }

  /** Takes messages from {@code subscription}, each checked by {@code check}. */
  static OneWayReceiver receiver(Subscription subscription, SequenceCheck check) {
    final int words = check.words();
    final FragmentHandler handler = (buffer, offset, length, header) -> {
      check.length(length);
      for (int i = 0; i < words; i++) {
        check.word(i, buffer.getLong(offset + i * Long.BYTES));
      }
      check.next();
    };
    return limit -> subscription.poll(handler, limit);
  }
}
