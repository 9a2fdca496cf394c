package dev.nucleus.async.internal;

import dev.nucleus.async.Doorbell;
import dev.nucleus.kernel.Futex;
import java.lang.foreign.MemorySegment;

/**
 * The {@link Doorbell} of the kernel's futex: FUTEX_WAIT on the sleeper's word, FUTEX_WAKE by the
 * waker, shared, so it works between processes that map the queue and within one. It keeps the
 * futex's promise, which is the doorbell's. Stateless and thread-safe.
 */
public final class FutexDoorbell implements Doorbell {

  /** The one instance. */
  public static final FutexDoorbell INSTANCE = new FutexDoorbell();

  private FutexDoorbell() {}

  @Override
  public void await(MemorySegment segment, long offset, int expected, long deadline) {
    Futex.await(segment, offset, expected, deadline);
  }

  @Override
  public void wake(MemorySegment segment, long offset) {
    Futex.wake(segment, offset);
  }
}
