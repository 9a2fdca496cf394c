package dev.nucleus.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Linux futex wait and wake through FFM: glibc's {@code syscall(SYS_futex, ...)}. The shared
 * (not private) operations are used, so a wake reaches a waiter in another process that maps
 * the same file. Wrappers only: callers own the protocol around the word.
 *
 * <p>x86-64 only ({@code SYS_futex = 202}); {@link #AVAILABLE} is false elsewhere, and callers
 * fall back to sleeping in short slices.
 */
final class Futex {

  private static final long SYS_FUTEX = 202;
  private static final long FUTEX_WAIT = 0;
  private static final long FUTEX_WAKE = 1;

  private static final MethodHandle SYSCALL;
  /** Whether futex calls work on this platform. */
  static final boolean AVAILABLE;

  static {
    MethodHandle h = null;
    final boolean linux = System.getProperty("os.name", "").toLowerCase().contains("linux")
        && System.getProperty("os.arch", "").matches("amd64|x86_64");
    if (linux) {
      try {
        final Linker linker = Linker.nativeLinker();
        h = linker.downcallHandle(
            linker.defaultLookup().find("syscall").orElseThrow(),
            // uaddr as a 64-bit integer: syscall(2) is variadic, so a pointer and a long travel
            // alike, and the caller passes segment.address() + offset without allocating a slice.
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
      } catch (RuntimeException e) {
        h = null;
      }
    }
    SYSCALL = h;
    AVAILABLE = h != null;
  }

  private Futex() {}

  /**
   * Sleeps while the 4-byte word at native address {@code word} holds {@code expected}, at most
   * {@code timeoutNanos} (negative: no limit). Returns 0 when woken, -1 on a value mismatch, a
   * signal or a timeout: callers always re-check their condition. {@code timespec} is a 16-byte
   * scratch segment owned by the calling thread (so that waiting allocates nothing).
   */
  static long await(long word, int expected, long timeoutNanos, MemorySegment timespec) {
    final MemorySegment ts;
    if (timeoutNanos < 0) {
      ts = MemorySegment.NULL;
    } else {
      timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
      timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      ts = timespec;
    }
    try {
      return (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, (long) expected, ts, MemorySegment.NULL, 0L);
    } catch (Throwable t) {
      throw new IllegalStateException("futex wait failed", t);
    }
  }

  /** Wakes up to {@code count} waiters on the word at native address {@code word}. */
  static long wake(long word, int count) {
    try {
      return (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, (long) count, MemorySegment.NULL, MemorySegment.NULL, 0L);
    } catch (Throwable t) {
      throw new IllegalStateException("futex wake failed", t);
    }
  }

  /** A timespec scratch buffer for {@link #await}. */
  static MemorySegment newTimespec(Arena arena) {
    return arena.allocate(16, 8);
  }
}
