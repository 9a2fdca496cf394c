package dev.nucleus.rpc.internal;

import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.FrameOverflowException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The growth of a local binding's frame: each larger segment comes from an arena of its own,
 * shared (an implementation may hand a view of its arguments to another thread for the duration
 * of the call), and every one is closed when the call ends. Doubling in the frame keeps the sum
 * of the segments of one call below twice the largest.
 *
 * <p>Used by one call at a time, on the thread making it: not thread-safe.
 */
public final class ArenaGrowth implements Frame.Growth {

  private final List<Arena> arenas = new ArrayList<>(2);

  /** A growth that has allocated nothing yet. */
  public ArenaGrowth() {}

  @Override
  public MemorySegment larger(long minimumBytes) {
    final Arena arena = Arena.ofShared();
    try {
      final MemorySegment segment = arena.allocate(minimumBytes, Frame.BULK_ALIGNMENT);
      arenas.add(arena);
      return segment;
    } catch (OutOfMemoryError | IllegalArgumentException e) {
      arena.close();
      throw new FrameOverflowException("cannot allocate a frame of " + minimumBytes + " bytes: " + e.getMessage());
    }
  }

  /**
   * Frees every segment given since the last release: views of them fail from now on.
   */
  public void release() {
    if (arenas.isEmpty()) {
      return;
    }
    for (final Arena arena : arenas) {
      arena.close();
    }
    arenas.clear();
  }
}
