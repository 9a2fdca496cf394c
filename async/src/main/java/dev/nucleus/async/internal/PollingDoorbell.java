package dev.nucleus.async.internal;

import dev.nucleus.async.Doorbell;
import dev.nucleus.kernel.Timeout;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link Doorbell} that needs no wake call: a sleeper re-reads its word until it changes or
 * its deadline passes, first yielding, then parking for a back-off that doubles from
 * {@link #FIRST_PARK_NANOS} to {@link #MAX_PARK_NANOS}. {@link #wake} does nothing, so it works
 * at any distance (another process changes the word in shared memory) and nothing is lost: the
 * change of the word is the wake-up, seen at most one back-off late. Stateless and thread-safe.
 */
public final class PollingDoorbell implements Doorbell {

  /** The one instance. */
  public static final PollingDoorbell INSTANCE = new PollingDoorbell();

  /** Yields before the first park: a peer that answers within a few scheduler slices costs no park. */
  private static final int YIELDS = 16;
  private static final long FIRST_PARK_NANOS = 1_000;
  /** Longest park between two reads: how late a wake-up may be seen. */
  private static final long MAX_PARK_NANOS = 1_000_000;

  private PollingDoorbell() {}

  @Override
  public void await(MemorySegment segment, long offset, int expected, long deadline) {
    long park = FIRST_PARK_NANOS;
    for (int round = 0; QueueDescriptor.intVolatile(segment, offset) == expected; round++) {
      final long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - Timeout.now();
      if (left <= 0) {
        return;
      }
      if (round < YIELDS) {
        Thread.yield();
      } else {
        LockSupport.parkNanos(this, Math.min(park, left));
        park = Math.min(park * 2, MAX_PARK_NANOS);
      }
    }
  }

  @Override
  public void wake(MemorySegment segment, long offset) {
    // The waker's change of the word is what the sleeper polls for.
  }
}
