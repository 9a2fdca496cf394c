package dev.nucleus.kernel.internal.os;

import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.internal.layout.TcbDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The process-space {@link Sleeper}: futex wait and wake on the SLEEPING word of a TCB, shared
 * ops, so the waker may live in another process that maps the same segment.
 *
 * <pre>
 * sleeper: SLEEPING := 1 (volatile); re-check; futex_wait(&SLEEPING, 1, timeout); SLEEPING := 0
 * waker:   publish (volatile); if SLEEPING == 1: SLEEPING := 0; futex_wake(&SLEEPING)
 * </pre>
 *
 * A wake that lands between the sleeper's re-check and its futex_wait changes the word first,
 * so the wait returns at once (EAGAIN): no wake-up is lost. Waits are cut into slices of at most
 * {@link #MAX_SLICE_NANOS} so that a sleeper re-checks its partner's liveness regularly even if
 * a dead peer can no longer wake it. Thread-safe; one scratch timespec per thread index.
 */
public final class FutexSleeper implements Sleeper {

  /** Longest single futex wait: the bound on how late a sleeper notices a dead peer. */
  public static final long MAX_SLICE_NANOS = 50_000_000L;

  private final MemorySegment tcbs;
  private final long stride;
  private final long base;
  private final MemorySegment[] timespecs;

  public FutexSleeper(MemorySegment tcbs, long stride, int maxThreads) {
    this.tcbs = tcbs;
    this.stride = stride;
    this.base = tcbs.address();
    this.timespecs = new MemorySegment[maxThreads];
    final Arena arena = Arena.ofAuto();
    for (int i = 0; i < maxThreads; i++) {
      timespecs[i] = Futex.newTimespec(arena);
    }
  }

  private long word(int tcbIndex) {
    return base + tcbIndex * stride + TcbDescriptor.SLEEPING_OFFSET;
  }

  @Override
  public void park(int tcbIndex, long deadline) {
    final long now = Timeout.now();
    final long nanos = deadline == Long.MAX_VALUE ? MAX_SLICE_NANOS : Math.min(MAX_SLICE_NANOS, deadline - now);
    if (nanos > 0) {
      Futex.await(word(tcbIndex), 1, nanos, timespecs[tcbIndex]);
    }
  }

  @Override
  public void wake(int tcbIndex) {
    final long to = tcbIndex * stride;
    if (TcbDescriptor.getIntVolatile(tcbs, to, TcbDescriptor.SLEEPING_OFFSET) != 0) {
      TcbDescriptor.setIntVolatile(tcbs, to, TcbDescriptor.SLEEPING_OFFSET, 0);
      Futex.wake(word(tcbIndex), Integer.MAX_VALUE);
    }
  }
}
