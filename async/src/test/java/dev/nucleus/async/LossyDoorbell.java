package dev.nucleus.async;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broken doorbell for the test of the test: it passes the first {@code ringing} wake-ups to a
 * real doorbell and drops every later one, until {@link #repair}. Sleepers sleep as usual.
 */
final class LossyDoorbell implements Doorbell {

  final AtomicLong dropped = new AtomicLong();
  private final Doorbell real;
  private final AtomicLong left;
  private volatile boolean repaired;

  LossyDoorbell(Doorbell real, long ringing) {
    this.real = real;
    this.left = new AtomicLong(ringing);
  }

  void repair() {
    repaired = true;
  }

  @Override
  public void await(MemorySegment segment, long offset, int expected, long deadline) {
    real.await(segment, offset, expected, deadline);
  }

  @Override
  public void wake(MemorySegment segment, long offset) {
    if (repaired || left.decrementAndGet() >= 0) {
      real.wake(segment, offset);
    } else {
      dropped.incrementAndGet();
    }
  }
}
