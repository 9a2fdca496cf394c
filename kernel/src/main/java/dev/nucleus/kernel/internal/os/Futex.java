package dev.nucleus.kernel.internal.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
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
public final class Futex {

  private static final long SYS_FUTEX = 202;
  private static final long SYS_FUTEX_WAITV = 449;
  private static final long FUTEX_WAIT = 0;
  private static final long FUTEX_WAKE = 1;
  /** futex_waitv's per-word flags: a 32-bit word, shared (FUTEX2_PRIVATE not set). */
  private static final int FUTEX2_SIZE_U32 = 0x02;
  private static final long CLOCK_MONOTONIC = 1;
  /** The clock id, passed where the shared downcall signature has a pointer (syscall is variadic). */
  private static final MemorySegment CLOCK_MONOTONIC_ARG = MemorySegment.ofAddress(CLOCK_MONOTONIC);
  private static final int ENOSYS = 38;

  /**
   * One entry of futex_waitv's array (struct futex_waitv, linux/futex.h):
   * <pre>
   *   0  val       u64  the value the word must hold for the wait to sleep
   *   8  uaddr     u64  address of the word
   *  16  flags     u32  FUTEX2_SIZE_U32 (shared)
   *  20  reserved  u32  0
   * </pre>
   */
  public static final long WAITV_SIZE = 24;
  private static final long WAITV_VAL_OFFSET = 0;
  private static final long WAITV_UADDR_OFFSET = 8;
  private static final long WAITV_FLAGS_OFFSET = 16;
  /** The most words one futex_waitv takes (FUTEX_WAITV_MAX). */
  public static final int WAITV_MAX = 128;

  private static final MethodHandle SYSCALL;
  /** Whether futex calls work on this platform. */
  public static final boolean AVAILABLE;

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
    WAITV_AVAILABLE = AVAILABLE && probeWaitv();
    if (AVAILABLE) {
      linkCallSites();
    }
  }

  /**
   * Calls of the wrappers at class load, on a scratch word, with a value that makes the wait return
   * at once. An invokeExact call site links (and allocates) the first time it runs, and while a
   * wrapper is interpreted every downcall allocates (about 70 bytes); the JIT's first tier
   * compiles them after a few hundred calls, and compiled calls allocate nothing. A sleep path
   * first taken in the middle of a server's steady state should allocate nothing, so the
   * wrappers run {@value #WARM_CALLS} times each here, about 30 ms at start; measured in a fresh
   * JVM, the next thousand sleeps then allocate about 1 KB in all instead of 70 KB. (The JIT's
   * later tier change can still allocate a few KB once.)
   */
  private static void linkCallSites() {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment word = arena.allocate(8, 8);
      final MemorySegment ts = newTimespec(arena);
      final MemorySegment waitv = arena.allocate(WAITV_SIZE, 8);
      setWaitv(waitv, 0, word.address(), 1);
      for (int i = 0; i < WARM_CALLS; i++) {
        await(word.address(), 1, 0, ts);
        wake(word.address(), 1);
        if (WAITV_AVAILABLE) {
          awaitAny(waitv, 1, 0, ts);
        }
      }
    }
  }

  /** Calls of each wrapper at class load (see {@link #linkCallSites}). */
  private static final int WARM_CALLS = 300;

  /** Whether futex_waitv (Linux 5.16 and later) is there: waiting on several words at once. */
  public static final boolean WAITV_AVAILABLE;

  /** Calls futex_waitv with no words: EINVAL where the call exists, ENOSYS where it does not. */
  private static boolean probeWaitv() {
    try (Arena arena = Arena.ofConfined()) {
      final Linker linker = Linker.nativeLinker();
      final MethodHandle h = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
          FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
          Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
      final MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      final long rc = (long) h.invokeExact(state, SYS_FUTEX_WAITV, 0L, 0L, 0L, MemorySegment.NULL, CLOCK_MONOTONIC);
      final int errno = state.get(JAVA_INT, Linker.Option.captureStateLayout().byteOffset(
          java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
      return rc == 0 || errno != ENOSYS;
    } catch (Throwable t) {
      return false;
    }
  }

  private Futex() {}

  /**
   * Sleeps while the 4-byte word at native address {@code word} holds {@code expected}, at most
   * {@code timeoutNanos} (negative: no limit). Returns 0 when woken, -1 on a value mismatch, a
   * signal or a timeout: callers always re-check their condition. {@code timespec} is a 16-byte
   * scratch segment owned by the calling thread (so that waiting allocates nothing).
   */
  public static long await(long word, int expected, long timeoutNanos, MemorySegment timespec) {
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

  /**
   * Sleeps while every one of the {@code count} words described in {@code waitv} (entries set up
   * by {@link #setWaitv}) holds its value, at most {@code timeoutNanos}: a wake on any of them
   * (FUTEX_WAKE, shared) ends the wait. Returns as {@link #await} does; callers re-check.
   * {@code timespec} is the calling thread's scratch. Needs {@link #WAITV_AVAILABLE}.
   */
  public static long awaitAny(MemorySegment waitv, int count, long timeoutNanos, MemorySegment timespec) {
    // futex_waitv takes an absolute CLOCK_MONOTONIC time: the clock of System.nanoTime on Linux.
    final long at = System.nanoTime() + timeoutNanos;
    timespec.set(JAVA_LONG, 0, at / 1_000_000_000L);
    timespec.set(JAVA_LONG, 8, at % 1_000_000_000L);
    try {
      return (long) SYSCALL.invokeExact(SYS_FUTEX_WAITV, waitv.address(), (long) count, 0L, timespec,
          CLOCK_MONOTONIC_ARG, 0L);
    } catch (Throwable t) {
      throw new IllegalStateException("futex_waitv failed", t);
    }
  }

  /** Sets entry {@code i} of a futex_waitv array: wait while the word at {@code word} holds {@code value}. */
  public static void setWaitv(MemorySegment waitv, int i, long word, int value) {
    final long e = i * WAITV_SIZE;
    waitv.set(JAVA_LONG, e + WAITV_VAL_OFFSET, value & 0xFFFF_FFFFL);
    waitv.set(JAVA_LONG, e + WAITV_UADDR_OFFSET, word);
    waitv.set(JAVA_INT, e + WAITV_FLAGS_OFFSET, FUTEX2_SIZE_U32);
    waitv.set(JAVA_INT, e + WAITV_FLAGS_OFFSET + 4, 0);
  }

  /** Wakes up to {@code count} waiters on the word at native address {@code word}. */
  public static long wake(long word, int count) {
    try {
      return (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, (long) count, MemorySegment.NULL, MemorySegment.NULL, 0L);
    } catch (Throwable t) {
      throw new IllegalStateException("futex wake failed", t);
    }
  }

  /** A timespec scratch buffer for {@link #await}. */
  public static MemorySegment newTimespec(Arena arena) {
    return arena.allocate(16, 8);
  }
}
