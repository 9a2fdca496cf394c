package dev.nucleus.rpc.internal;

import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.FrameOverflowException;
import java.lang.foreign.MemorySegment;

/**
 * How a kernel call's request grows past its registers: into a {@link SharedRegion} made for the
 * call (an anonymous memory file, so not bounded by {@code /dev/shm}), which the server maps
 * through its handle. Growing again replaces the region with a larger one. There is no size
 * cliff below what memory allows: a region that cannot be had is a FrameOverflowException for
 * that call, before anything is sent.
 *
 * <p>Used by one thread, its call's.
 */
final class RegionGrowth implements Frame.Growth {

  private SharedRegion region;
  /** A region replaced by a larger one while the frame still reads it (it copies from it). */
  private SharedRegion replaced;

  @Override
  public MemorySegment larger(long minimumBytes) {
    final SharedRegion next;
    try {
      next = SharedRegion.create(minimumBytes);
    } catch (IllegalStateException e) {
      throw new FrameOverflowException("no region of " + minimumBytes + " bytes for the request: " + e.getMessage());
    }
    if (replaced != null) {
      replaced.close();
    }
    replaced = region; // the frame copies out of it right after this returns
    region = next;
    return next.segment();
  }

  /** The region the request lives in now, or null if it fits the registers. */
  SharedRegion region() {
    return region;
  }

  /** Gives back the regions of the call. */
  void release() {
    if (replaced != null) {
      replaced.close();
      replaced = null;
    }
    if (region != null) {
      region.close();
      region = null;
    }
  }
}
