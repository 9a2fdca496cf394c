package dev.nucleus.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Sleeping on a 32-bit word of memory and waking its sleepers: Linux's futex, in its shared form,
 * so that a wake reaches a sleeper in another process that maps the same memory (a
 * {@link SharedRegion}, a mapped file) as well as one in this process. The kernel's own IPC sleeps
 * this way; this class lends the mechanism to protocols built beside it in shared memory, such as
 * the one-way queues of {@code dev.nucleus.async}. It owns no protocol: the caller changes the word
 * and then wakes, and a sleeper re-checks its condition after every return.
 *
 * <p>The one promise (the futex's): a {@link #wake} made after the word stopped holding the value a
 * sleeper passed to {@link #await} is never lost, whichever of the two reaches the OS first:
 * {@code await} checks the word and goes to sleep atomically with respect to {@code wake}.
 *
 * <p>Where futexes are not available (not Linux on x86-64), {@link #await} sleeps in slices of at
 * most {@value #FALLBACK_SLICE_NANOS} ns and {@link #wake} does nothing: nothing is lost, a
 * wake-up is seen up to one slice late.
 *
 * <p>Thread-safe; any number of threads may sleep on and wake any words. After a thread's first
 * call, neither method allocates.
 */
public final class Futex {

  /** How long one sleep lasts at most where futexes are not available, in nanoseconds. */
  public static final long FALLBACK_SLICE_NANOS = 1_000_000;

  /** Each thread's 16-byte timespec, so that a sleep allocates nothing after the first. */
  private static final ThreadLocal<MemorySegment> TIMESPEC =
      ThreadLocal.withInitial(() -> dev.nucleus.kernel.internal.os.Futex.newTimespec(Arena.ofAuto()));

  private Futex() {}

  /**
   * Whether futexes are available here: a wake reaches a sleeper at once, at any distance.
   *
   * @return true on Linux on x86-64
   */
  public static boolean isSupported() {
    return dev.nucleus.kernel.internal.os.Futex.AVAILABLE;
  }

  /**
   * Sleeps while the u32 at {@code offset} of {@code segment} holds {@code expected}: returns when
   * a {@link #wake} of that word is made, when {@code deadline} passes, on a signal, or
   * spuriously; returns at once if the word does not hold {@code expected}. The caller re-checks
   * what it waits for.
   *
   * @param segment native memory (an arena's, a mapped file, a shared region)
   * @param offset the word's offset in {@code segment}, so that its address is 4-byte aligned
   * @param expected the value to sleep on
   * @param deadline when to stop sleeping, on the {@link Timeout#now()} clock;
   *     {@code Long.MAX_VALUE} for no deadline
   * @throws IllegalArgumentException if the segment is on the heap, or the word is misaligned or
   *     not inside it
   */
  public static void await(MemorySegment segment, long offset, int expected, long deadline) {
    final long word = address(segment, offset);
    final long left = deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - Timeout.now());
    if (!isSupported()) {
      LockSupport.parkNanos(left < 0 ? FALLBACK_SLICE_NANOS : Math.min(left, FALLBACK_SLICE_NANOS));
      return;
    }
    if (left == 0) {
      return;
    }
    dev.nucleus.kernel.internal.os.Futex.await(word, expected, left, TIMESPEC.get());
  }

  /**
   * Wakes every thread asleep in {@link #await} on the u32 at {@code offset} of {@code segment},
   * in any process that maps it. The caller changes the word first. Never blocks.
   *
   * @param segment native memory
   * @param offset the word's offset, as for {@link #await}
   * @throws IllegalArgumentException as {@link #await} throws
   */
  public static void wake(MemorySegment segment, long offset) {
    final long word = address(segment, offset);
    if (isSupported()) {
      dev.nucleus.kernel.internal.os.Futex.wake(word, Integer.MAX_VALUE);
    }
  }

  private static long address(MemorySegment segment, long offset) {
    Objects.requireNonNull(segment, "segment");
    if (!segment.isNative()) {
      throw new IllegalArgumentException("a futex word lives in native memory, not on the heap");
    }
    final long address = segment.address() + offset;
    if (offset < 0 || offset > segment.byteSize() - 4 || (address & 3) != 0) {
      throw new IllegalArgumentException("a futex word is 4 aligned bytes inside the segment: offset " + offset
          + " of a segment of " + segment.byteSize() + " bytes at 0x" + Long.toHexString(segment.address()));
    }
    return address;
  }
}
