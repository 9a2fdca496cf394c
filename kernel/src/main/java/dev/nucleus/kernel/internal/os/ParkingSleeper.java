package dev.nucleus.kernel.internal.os;

import dev.nucleus.kernel.Timeout;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/** The thread-space {@link Sleeper}: {@link LockSupport} park and unpark. Thread-safe. */
public final class ParkingSleeper implements Sleeper {

  /** Longest single park; a safety net only, every waker that matters unparks explicitly. */
  private static final long MAX_PARK_NANOS = 1_000_000_000L;

  private final AtomicReferenceArray<Thread> threads;

  public ParkingSleeper(int maxThreads) {
    this.threads = new AtomicReferenceArray<>(maxThreads);
  }

  @Override
  public void bind(int tcbIndex, Thread thread) {
    threads.set(tcbIndex, thread);
  }

  @Override
  public void park(int tcbIndex, long deadline) {
    final long nanos = deadline == Long.MAX_VALUE ? MAX_PARK_NANOS : deadline - Timeout.now();
    if (nanos > 0) {
      LockSupport.parkNanos(this, Math.min(nanos, MAX_PARK_NANOS));
    }
  }

  @Override
  public void wake(int tcbIndex) {
    final Thread t = threads.get(tcbIndex);
    if (t != null) {
      LockSupport.unpark(t);
    }
  }
}
