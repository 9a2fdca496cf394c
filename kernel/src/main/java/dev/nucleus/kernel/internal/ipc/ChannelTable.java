package dev.nucleus.kernel.internal.ipc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Which pairs of spaces hold a channel: the capability to exchange IPC. A symmetric bit matrix,
 * one bit per ordered pair, in a segment; read on every send, written only by channel creation
 * and removal. Space 0 (the kernel's own: interrupt pseudo-threads) may reach every space.
 *
 * <pre>
 *  bit (a * maxSpaces + b) of the table, a and b space numbers; stored as longs
 * </pre>
 *
 * Thread-safe: bits are set and cleared atomically and read with acquire loads.
 */
public final class ChannelTable {

  /** The kernel's own space (Kernel.KERNEL_SPACE): its interrupt pseudo-threads reach every space. */
  public static final int KERNEL_SPACE = 0;

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  private final int maxSpaces;
  private final MemorySegment bits;

  public ChannelTable(Arena arena, int maxSpaces) {
    this.maxSpaces = maxSpaces;
    final long words = ((long) maxSpaces * maxSpaces + 63) / 64;
    this.bits = arena.allocate(words * 8, 64);
  }

  /** Whether threads of {@code a} may send to threads of {@code b}. */
  public boolean permitted(int a, int b) {
    if (a == b || a == KERNEL_SPACE) {
      return true;
    }
    if (a >= maxSpaces || b >= maxSpaces) {
      return false;
    }
    final long bit = (long) a * maxSpaces + b;
    return (((long) LONG.getAcquire(bits, (bit >>> 6) * 8)) & (1L << bit)) != 0;
  }

  public void set(int a, int b, boolean on) {
    flip(a, b, on);
    flip(b, a, on);
  }

  private void flip(int a, int b, boolean on) {
    final long bit = (long) a * maxSpaces + b;
    final long offset = (bit >>> 6) * 8;
    if (on) {
      LONG.getAndBitwiseOr(bits, offset, 1L << bit);
    } else {
      LONG.getAndBitwiseAnd(bits, offset, ~(1L << bit));
    }
  }
}
