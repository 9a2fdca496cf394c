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
 * {@link #KEPT_LIMIT} bytes (8 MiB: a 1 MiB argument with its growth headroom fits, and a 4 MiB
 * reply with its request) is kept from
 * call to call, as LRPC's A-stacks are, so the server can
 * keep its mapping too and a large call costs no system call; a larger request gets a region of
 * its own for that call, given back when it ends. There is no size cliff below what memory allows:
 * a region that cannot be had is a FrameOverflowException for that call, before anything is sent.
 *
 * <p>Layout of a region: the token at offset 0 (a random u64 that names this region, so that a
 * server's cached mapping of an earlier region with the same descriptor number is never taken for
 * it), the frame from {@link RegisterFrames#REGION_FRAME_OFFSET}, and for a call that offers
 * space for its reply ({@link #reserveResult}), that space from
 * {@link RegisterFrames#resultOffset} (from the frame's offset when the request stayed in the
 * registers). Regions are sparse memory files: what is offered and never
 * written costs no memory.
 *
 * <p>Used by one thread, its call's.
 */
final class RegionGrowth implements Frame.Growth {

  /** The largest region kept between calls: larger requests get a region for the call only. */
  static final long KEPT_LIMIT = 8L << 20;
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
  /** What the call in progress offers for its reply, beyond its request; 0 if it offers nothing. */
  private long resultReserve;
  /** A region of the call's own for the reply of a request in the registers (too large to keep), or null. */
  private SharedRegion resultOwn;
  private long resultOwnToken;

  /**
   * Begins a call that offers {@code resultBytes} for its reply (LRPC's A-stack holds results
   * too): any region its request grows into keeps that room after the request, and a request
   * that stays in the registers offers {@link #resultRegion}.
   */
  void reserveResult(long resultBytes) {
    resultReserve = resultBytes + 64; // in a region with the request, the reply starts on the next line
  }

  /**
   * The region a call whose request stayed in the registers offers for its reply, from
   * {@link RegisterFrames#REGION_FRAME_OFFSET}: the kept argument stack, made or enlarged to
   * hold the reservation if that size is kept, else a region of the call's own. Call after
   * {@link #reserveResult}, once the request is written.
   *
   * @throws FrameOverflowException if no such region can be had
   */
  SharedRegion resultRegion() {
    final long needed = RegisterFrames.REGION_FRAME_OFFSET + resultReserve;
    if (needed <= KEPT_LIMIT) {
      if (kept == null || kept.segment().byteSize() < needed) {
        final SharedRegion next = create(Math.max(needed, MIN_REGION));
        closeQuietly(kept);
        kept = next;
        keptToken = next.segment().get(ValueLayout.JAVA_LONG, 0);
      }
      return kept;
    }
    if (resultOwn == null) {
      resultOwn = create(needed);
      resultOwnToken = resultOwn.segment().get(ValueLayout.JAVA_LONG, 0);
    }
    return resultOwn;
  }

  /** The token of {@link #resultRegion()}. */
  long resultToken() {
    return resultOwn != null ? resultOwnToken : keptToken;
  }

  /** Whether {@link #resultRegion()} is the kept argument stack (the server may keep its mapping). */
  boolean resultKept() {
    return resultOwn == null;
  }

  /** The bytes after a request of {@code requestLength} in {@link #region()} that it offers for the reply. */
  long resultSpace(long requestLength) {
    return resultReserve == 0 || current == null ? 0
        : Math.max(0, current.segment().byteSize() - RegisterFrames.resultOffset(requestLength));
  }

  /** A new region of {@code size} bytes with a fresh token at offset 0. */
  private static SharedRegion create(long size) {
    final SharedRegion next;
    try {
      next = SharedRegion.create(size);
    } catch (IllegalStateException e) {
      throw new FrameOverflowException("no region of " + size + " bytes for the request: " + e.getMessage());
    }
    next.segment().set(ValueLayout.JAVA_LONG, 0, TOKENS.nextLong());
    return next;
  }

  @Override
  public MemorySegment larger(long minimumBytes) {
    final long needed = minimumBytes + RegisterFrames.REGION_FRAME_OFFSET + resultReserve;
    if (kept != null && kept.segment().byteSize() >= needed) {
      current = kept;
      currentToken = keptToken;
      return frameOf(kept);
    }
    final boolean keep = needed <= KEPT_LIMIT;
    final long size = keep ? Math.min(KEPT_LIMIT, Math.max(needed, Math.max(MIN_REGION,
        kept == null ? 0 : 2 * kept.segment().byteSize()))) : needed;
    final SharedRegion next = create(size);
    final long token = next.segment().get(ValueLayout.JAVA_LONG, 0);
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
    resultReserve = 0;
    closeQuietly(resultOwn);
    resultOwn = null;
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
