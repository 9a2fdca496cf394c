package dev.nucleus.rpc.internal;

import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.FrameOverflowException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A server thread's reply frame and where it may grow: into the space a caller offered in its
 * region for this call only, else nowhere (a reply larger than the registers is then a
 * FrameOverflowException, which the client receives as a remote failure). Used by its thread.
 */
public final class ResultSpace implements Frame.Growth {

  /** The reply frame, over the registers' memory until it grows. */
  public final Frame frame;
  private final MemorySegment registers;
  private MemorySegment offered;
  /** An offer of a region not mapped yet (the request came in the registers): where it is. */
  private RegionCache regions;
  private long pid;
  private long handle;
  private long token;
  private long bytes;
  private boolean kept;
  /** The mapping of an offered region that is not the caller's kept stack, for this call. */
  private Arena arena;

  /** A reply frame over {@code registers}, the memory of as much as the registers carry. */
  public ResultSpace(MemorySegment registers) {
    this.registers = registers;
    this.frame = new Frame(registers, this);
  }

  /** Offers {@code space}, mapped already. */
  public void offer(MemorySegment space) {
    offered = space;
  }

  /** Offers {@code bytes} at the frame offset of region {@code handle} of process {@code pid}, mapped if needed. */
  public void offerLater(RegionCache regions, long pid, long handle, long token, long bytes, boolean kept) {
    this.regions = regions;
    this.pid = pid;
    this.handle = handle;
    this.token = token;
    this.bytes = bytes;
    this.kept = kept;
  }

  /** Maps the space offered later, now that the reply needs it. */
  private void map() {
    final RegionCache cache = regions;
    regions = null;
    try {
      if (kept) {
        offered = cache.frame(pid, handle, token, bytes);
      } else {
        arena = Arena.ofConfined();
        offered = RegionCache.mapFrame(pid, handle, token, bytes, arena);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new FrameOverflowException("the reply needs more than the registers carry, and the space the caller"
          + " offered cannot be mapped: " + e.getMessage());
    }
  }

  /** Whether the reply now lives in the offered space. */
  public boolean grown() {
    return frame.segment() != registers;
  }

  /** The call has ended: the reply goes back to the registers' memory, and the offer ends. */
  public void withdraw() {
    offered = null;
    regions = null;
    if (grown()) {
      frame.reset(registers);
    }
    if (arena != null) {
      arena.close();
      arena = null;
    }
  }

  @Override
  public MemorySegment larger(long minimumBytes) {
    return larger(minimumBytes, minimumBytes);
  }

  /** The space offered, whatever was wanted, if the reply needs no more. */
  @Override
  public MemorySegment larger(long neededBytes, long wantedBytes) {
    if (offered == null && regions != null) {
      map();
    }
    if (offered == null) {
      throw new FrameOverflowException("the reply needs " + neededBytes + " bytes, more than the "
          + registers.byteSize() + " the registers carry, and the call offered no space for it");
    }
    if (offered.byteSize() < neededBytes) {
      throw new FrameOverflowException("the reply needs " + neededBytes + " bytes, more than the "
          + offered.byteSize() + " the caller offered for it (KernelBinding.Builder.maxResult)");
    }
    return offered;
  }
}
