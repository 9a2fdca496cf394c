package dev.nucleus.bench.peers;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

/**
 * The calling thread's CPU affinity mask, read and set with {@code sched_getaffinity} and {@code
 * sched_setaffinity} through FFM ({@link Libc}), and the kernel's list notation for it ({@code
 * 0-1,3}, as {@code /proc/<pid>/status} writes {@code Cpus_allowed_list}).
 *
 * <p>The mask belongs to one OS thread. A thread or process started afterwards by that thread
 * inherits it ({@code fork}, {@code posix_spawn} and {@code clone} copy the calling thread's mask,
 * {@code pthread_create} the creator's); threads that already exist keep theirs. A virtual thread
 * has no thread of its own to pin (it would pin whichever carrier it runs on), so it is refused.
 *
 * <p>Masks are {@link BitSet}s, CPU {@code n} at bit {@code n}, of at most 1024 CPUs (glibc's
 * {@code CPU_SETSIZE}). Thread-safe: every call works on the calling thread only.
 */
public final class CpuAffinity {

  private static final int MAX_CPUS = (int) Libc.CPU_SET_BYTES * 8;

  private CpuAffinity() {}

  /** Why masks cannot be read or set here, or {@code null}. */
  public static String unavailableReason() {
    return Libc.affinityUnavailableReason();
  }

  /**
   * The calling thread's mask.
   *
   * @throws IllegalStateException if it cannot be read (with {@code strerror}), or on a virtual
   *     thread
   */
  public static BitSet ofCurrentThread() {
    requirePlatformThread();
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment st = Libc.newErrnoState(arena);
      final MemorySegment mask = arena.allocate(Libc.CPU_SET_BYTES, Long.BYTES);
      if (Libc.schedGetaffinity(st, mask) != 0) {
        throw new IllegalStateException("sched_getaffinity: " + Libc.strerror(Libc.errno(st)));
      }
      return BitSet.valueOf(mask.toArray(JAVA_LONG));
    }
  }

  /**
   * Sets the calling thread's mask to {@code cpus}; threads and processes it starts from now on
   * inherit it.
   *
   * @throws IllegalArgumentException if {@code cpus} is empty or names a CPU beyond 1023
   * @throws IllegalStateException if the kernel refuses (for example none of {@code cpus} is one
   *     this process may use), with {@code strerror}, or on a virtual thread
   */
  public static void setCurrentThread(BitSet cpus) {
    if (cpus.isEmpty() || cpus.length() > MAX_CPUS) {
      throw new IllegalArgumentException(
          "a CPU set must name CPUs 0.." + (MAX_CPUS - 1) + ": " + format(cpus));
    }
    requirePlatformThread();
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment st = Libc.newErrnoState(arena);
      final MemorySegment mask = arena.allocate(Libc.CPU_SET_BYTES, Long.BYTES);
      final long[] words = cpus.toLongArray();
      MemorySegment.copy(words, 0, mask, JAVA_LONG, 0, words.length);
      if (Libc.schedSetaffinity(st, mask) != 0) {
        throw new IllegalStateException(
            "sched_setaffinity " + format(cpus) + ": " + Libc.strerror(Libc.errno(st)));
      }
    }
  }

  /** {@code cpus} in the kernel's list notation: {@code 0-1,3}; empty for no CPU. */
  public static String format(BitSet cpus) {
    final StringBuilder out = new StringBuilder();
    for (int from = cpus.nextSetBit(0); from >= 0; from = cpus.nextSetBit(from + 1)) {
      final int to = cpus.nextClearBit(from) - 1;
      if (!out.isEmpty()) out.append(',');
      out.append(from);
      if (to > from) out.append('-').append(to);
      from = to;
    }
    return out.toString();
  }

  /**
   * The CPUs of a list such as {@code 0-1,3} (what {@code Cpus_allowed_list} in {@code
   * /proc/<pid>/status} holds).
   *
   * @throws IllegalArgumentException if it is not such a list
   */
  public static BitSet parse(String list) {
    final BitSet cpus = new BitSet();
    try {
      for (String part : list.strip().split(",")) {
        final int dash = part.indexOf('-');
        final int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
        final int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
        if (from < 0 || to < from) throw new IllegalArgumentException("not a CPU list: " + list);
        cpus.set(from, to + 1);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CPU list: " + list, e);
    }
    return cpus;
  }

  private static void requirePlatformThread() {
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException(
          "a virtual thread has no CPU mask of its own: use a platform thread");
    }
  }
}
