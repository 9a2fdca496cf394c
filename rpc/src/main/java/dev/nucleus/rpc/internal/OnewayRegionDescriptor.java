package dev.nucleus.rpc.internal;

import dev.nucleus.async.QueueMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Layout of the region a client thread shares with a server for its one-way requests
 * (docs/rpc-wire.md, section 9): a one-way queue, then two lines of the binding's own, through
 * which the client learns how far the server has handled its requests (so that a later two-way
 * call can wait for them) and the server wakes a client that sleeps on that.
 *
 * <pre>
 *  region, size(SLOT_COUNT) bytes, page aligned (a SharedRegion)
 *  +----------------------+  0             the queue (docs/queue-wire.md), QueueMemory.bytesFor(SLOT_COUNT)
 *  | queue                |                bytes; the client is its sender, the server its receiver
 *  +----------------------+  LANE = bytesFor(SLOT_COUNT)
 *  | server line          |  written by the server only
 *  +----------------------+  LANE + 64
 *  | client line          |  written by the client only (and CASed 1 to 0 by the server)
 *  +----------------------+  LANE + 128
 *
 *  lane lines, offsets from LANE
 *     0  HANDLED          u64  requests the server has taken from the queue and finished (handled,
 *                              or dropped as malformed); ENDED (all ones) once it takes no more.
 *                              Written by the server's one-way thread (volatile), read by the client
 *                              (acquire)
 *    64  CLIENT_SLEEPING  u32  1 while the client is, or is about to be, asleep waiting for HANDLED
 *                              to grow; its futex word
 * </pre>
 *
 * The wake-up is the lazy one of docs/queue-wire.md, section 5: the client stores
 * CLIENT_SLEEPING = 1 (volatile), re-reads HANDLED (volatile) and sleeps only if it still falls
 * short; the server stores HANDLED (volatile), then reads CLIENT_SLEEPING (volatile) and, only
 * if it is 1 and its CAS to 0 succeeds, wakes the word (futex). One side's store comes before its
 * load in the total order of volatile accesses, so either the client sees the new HANDLED or the
 * server sees CLIENT_SLEEPING = 1: no wake-up is lost.
 *
 * <p>Neither side trusts the other's line: the server only CASes CLIENT_SLEEPING and wakes it (a
 * hostile client can cost it a wake call per request, no more); the client takes any HANDLED as
 * a hint of order, never as an index or a size (a hostile server can only end a client's wait
 * early).
 *
 * <p>Memory modes: each accessor's name says its mode as in {@link VarHandle}. Stateless and
 * thread-safe.
 */
public final class OnewayRegionDescriptor {

  /** A cache line. */
  public static final int LINE = 64;
  /** Offset of HANDLED from LANE: the server line's first word. */
  public static final long HANDLED_OFFSET = 0;
  /** Offset of CLIENT_SLEEPING from LANE: the client line's first word. */
  public static final long CLIENT_SLEEPING_OFFSET = LINE;
  /** Bytes after the queue: the server line and the client line. */
  public static final long LANE_LINES = 2L * LINE;
  /** HANDLED once the server takes no more requests from the queue. */
  public static final long ENDED = -1L;

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private OnewayRegionDescriptor() {}

  /**
   * Bytes of a region whose queue has {@code slots} slots.
   *
   * @param slots a valid slot count ({@link QueueMemory#bytesFor})
   * @return the queue's bytes plus the two lines
   * @throws IllegalArgumentException if {@code slots} is not a valid slot count
   */
  public static long size(int slots) {
    return QueueMemory.bytesFor(slots) + LANE_LINES;
  }

  /**
   * Where the server line starts in a region whose queue has {@code slots} slots.
   *
   * @param slots a valid slot count
   * @return the queue's bytes
   */
  public static long laneOffset(int slots) {
    return QueueMemory.bytesFor(slots);
  }

  /** HANDLED, volatile: the server's half of the wake-up. */
  public static void setHandledVolatile(MemorySegment region, long lane, long handled) {
    LONG.setVolatile(region, lane + HANDLED_OFFSET, handled);
  }

  /** HANDLED, acquire: the client's look. */
  public static long handledAcquire(MemorySegment region, long lane) {
    return (long) LONG.getAcquire(region, lane + HANDLED_OFFSET);
  }

  /** HANDLED, volatile: the client's re-check after it announced that it sleeps. */
  public static long handledVolatile(MemorySegment region, long lane) {
    return (long) LONG.getVolatile(region, lane + HANDLED_OFFSET);
  }

  /** The offset of CLIENT_SLEEPING in the region: the futex word. */
  public static long clientSleepingOffset(long lane) {
    return lane + CLIENT_SLEEPING_OFFSET;
  }

  /** CLIENT_SLEEPING, volatile store (the client announces or ends its sleep). */
  public static void setClientSleepingVolatile(MemorySegment region, long lane, int value) {
    INT.setVolatile(region, clientSleepingOffset(lane), value);
  }

  /** CLIENT_SLEEPING, volatile load (the server's half of the wake-up). */
  public static int clientSleepingVolatile(MemorySegment region, long lane) {
    return (int) INT.getVolatile(region, clientSleepingOffset(lane));
  }

  /** CAS of CLIENT_SLEEPING from 1 to 0: true if this side is the one to wake the client. */
  public static boolean casClientSleeping(MemorySegment region, long lane) {
    return INT.compareAndSet(region, clientSleepingOffset(lane), 1, 0);
  }
}
