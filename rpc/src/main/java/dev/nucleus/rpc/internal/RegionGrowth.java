package dev.nucleus.rpc.internal;

import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.FrameOverflowException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;

/**
 * The argument stack of one calling thread of a kernel binding, for requests too large for the
 * registers: a {@link SharedRegion} (an anonymous memory file, so not bounded by
 * {@code /dev/shm}) that the server maps through its handle and reads in place. A region of up to
 * {@link #KEPT_LIMIT} bytes (4 MiB: a 1 MiB argument with its growth headroom fits) is kept from
 * call to call, as LRPC's A-stacks are, so the server can
 * keep its mapping too and a large call costs no system call; a larger request gets a region of
 * its own for that call, given back when it ends. There is no size cliff below what memory allows:
 * a region that cannot be had is a FrameOverflowException for that call, before anything is sent.
 *
 * <p>Layout of a region: the token at offset 0 (a random u64 that names this region, so that a
 * server's cached mapping of an earlier region with the same descriptor number is never taken for
 * it), the frame from {@link RegisterFrames#REGION_FRAME_OFFSET}.
 *
 * <p>Used by one thread, its call's.
 */
final class RegionGrowth implements Frame.Growth {

  /** The largest region kept between calls: larger requests get a region for the call only. */
  static final long KEPT_LIMIT = 4L << 20;
  /** The smallest region made: room for a few kilobytes of arguments. */
  private static final long MIN_REGION = 64 * 1024;
  private static final SecureRandom TOKENS = new SecureRandom();

  /** The thread's argument stack, kept between calls; null until a request first outgrew the registers. */
  private SharedRegion kept;
  private long keptToken;
  /** The region of the call in progress: {@link #kept}, one of its own, or null (registers). */
  private SharedRegion current;
  private long currentToken;
  /** Regions the call grew out of: the frame copies out of one right after a growth; closed at the end. */
  private SharedRegion retiredKept;
  private SharedRegion retiredOwn;

  @Override
  public MemorySegment larger(long minimumBytes) {
    final long needed = minimumBytes + RegisterFrames.REGION_FRAME_OFFSET;
    if (kept != null && kept.segment().byteSize() >= needed) {
      current = kept;
      currentToken = keptToken;
      return frameOf(kept);
    }
    final boolean keep = needed <= KEPT_LIMIT;
    final long size = keep ? Math.min(KEPT_LIMIT, Math.max(needed, Math.max(MIN_REGION,
        kept == null ? 0 : 2 * kept.segment().byteSize()))) : needed;
    final SharedRegion next;
    try {
      next = SharedRegion.create(size);
    } catch (IllegalStateException e) {
      throw new FrameOverflowException("no region of " + size + " bytes for the request: " + e.getMessage());
    }
    final long token = TOKENS.nextLong();
    next.segment().set(ValueLayout.JAVA_LONG, 0, token);
    if (current != null && current != kept) { // a region of the call's own, outgrown
      closeQuietly(retiredOwn);
      retiredOwn = current;
    }
    if (keep) {
      closeQuietly(retiredKept);
      retiredKept = kept;
      kept = next;
      keptToken = token;
    }
    current = next;
    currentToken = token;
    return frameOf(next);
  }

  private static MemorySegment frameOf(SharedRegion r) {
    return r.segment().asSlice(RegisterFrames.REGION_FRAME_OFFSET);
  }

  /** The region the request lives in now, or null if it fits the registers. */
  SharedRegion region() {
    return current;
  }

  /** The token of {@link #region()}. */
  long token() {
    return currentToken;
  }

  /** Whether {@link #region()} is the thread's kept argument stack (the server may keep its mapping). */
  boolean kept() {
    return current != null && current == kept;
  }

  /** The call has ended: gives back what it outgrew and a region of its own; keeps the argument stack. */
  void endCall() {
    if (current != null && current != kept) {
      closeQuietly(current);
    }
    current = null;
    closeQuietly(retiredKept);
    retiredKept = null;
    closeQuietly(retiredOwn);
    retiredOwn = null;
  }

  /** The binding is closed: gives back the argument stack too. */
  void close() {
    endCall();
    closeQuietly(kept);
    kept = null;
  }

  private static void closeQuietly(SharedRegion r) {
    if (r != null) {
      r.close();
    }
  }
}
