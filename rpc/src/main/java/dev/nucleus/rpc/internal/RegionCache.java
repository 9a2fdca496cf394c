package dev.nucleus.rpc.internal;

import dev.nucleus.kernel.SharedRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A server thread's mappings of its callers' argument stacks (kept regions, see
 * {@code RegionGrowth}): a caller that calls again with the same region finds it mapped, so a
 * large call costs no system call. A mapping is known by the caller's pid, the region's handle
 * and its token, which the region holds at offset 0: a handle whose descriptor number the caller
 * has since given to another region does not match the old mapping's token, and is mapped anew.
 * At most {@link #ENTRIES} mappings are kept; the oldest goes first.
 *
 * <p>Used by one server thread only.
 */
public final class RegionCache implements AutoCloseable {

  /** Mappings kept per server thread. */
  static final int ENTRIES = 4;

  private final long[] pids = new long[ENTRIES];
  private final long[] handles = new long[ENTRIES];
  private final Arena[] arenas = new Arena[ENTRIES];
  private final MemorySegment[] segments = new MemorySegment[ENTRIES];
  private int next;

  /** A cache holding no mapping yet. */
  public RegionCache() {}

  /**
   * The frame of {@code frameBytes} bytes in the kept region {@code handle} of process
   * {@code sender} whose token is {@code token}: from a mapping kept from an earlier call, or
   * mapped now and kept.
   *
   * @throws IllegalArgumentException if the handle names no such region (see SharedRegion#map), or
   *     its token is not {@code token}
   */
  public MemorySegment frame(long sender, long handle, long token, long frameBytes) {
    final long needed = RegisterFrames.REGION_FRAME_OFFSET + frameBytes;
    for (int i = 0; i < ENTRIES; i++) {
      final MemorySegment s = segments[i];
      if (s != null && pids[i] == sender && handles[i] == handle && s.byteSize() >= needed
          && s.get(ValueLayout.JAVA_LONG, 0) == token) {
        return s.asSlice(RegisterFrames.REGION_FRAME_OFFSET, frameBytes);
      }
    }
    final Arena arena = Arena.ofConfined();
    final MemorySegment s;
    try {
      s = map(sender, handle, token, needed, arena);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
    evict(next);
    pids[next] = sender;
    handles[next] = handle;
    arenas[next] = arena;
    segments[next] = s;
    next = (next + 1) % ENTRIES;
    return s.asSlice(RegisterFrames.REGION_FRAME_OFFSET, frameBytes);
  }

  /**
   * Maps the frame of {@code frameBytes} bytes in region {@code handle} of process {@code sender}
   * into {@code arena}, for one call: a region of the call's own, not kept.
   *
   * @throws IllegalArgumentException if the handle names no such region, or its token is not {@code token}
   */
  public static MemorySegment mapFrame(long sender, long handle, long token, long frameBytes, Arena arena) {
    return map(sender, handle, token, RegisterFrames.REGION_FRAME_OFFSET + frameBytes, arena)
        .asSlice(RegisterFrames.REGION_FRAME_OFFSET, frameBytes);
  }

  /** The whole region, {@code bytes} of it, once its token is checked. */
  private static MemorySegment map(long sender, long handle, long token, long bytes, Arena arena) {
    final MemorySegment s = SharedRegion.map(handle, sender, bytes, arena);
    if (s.get(ValueLayout.JAVA_LONG, 0) != token) {
      throw new IllegalArgumentException("region handle 0x" + Long.toHexString(handle) + " holds another token");
    }
    return s;
  }

  private void evict(int i) {
    if (arenas[i] != null) {
      arenas[i].close();
      arenas[i] = null;
      segments[i] = null;
    }
  }

  /** Unmaps every kept mapping. */
  @Override
  public void close() {
    for (int i = 0; i < ENTRIES; i++) {
      evict(i);
    }
  }
}
