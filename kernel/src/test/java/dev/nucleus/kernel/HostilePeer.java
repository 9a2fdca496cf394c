package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.layout.TcbDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Plays a hostile or broken peer: writes chosen values at chosen places of a live channel
 * segment, aiming at the fields the rendezvous reads (states, ids, links, lengths, tags, locks),
 * with values that look plausible (valid states with odd epochs, indices just in and out of
 * range, -1, extremes) as well as noise. The choices come from the supplied sources, so a fuzzer
 * or a seeded generator drives it.
 */
final class HostilePeer {

  private static final long[] TCB_FIELDS = {
    TcbDescriptor.STATE_OFFSET, TcbDescriptor.SENDER_OFFSET, TcbDescriptor.MR0_OFFSET,
    TcbDescriptor.PARTNER_OFFSET, TcbDescriptor.REPLY_TO_OFFSET, TcbDescriptor.REPLY_EPOCH_OFFSET,
    TcbDescriptor.ABORT_EPOCH_OFFSET, TcbDescriptor.ID_OFFSET, TcbDescriptor.WAIT_RP_OFFSET,
    TcbDescriptor.WAIT_BIT_OFFSET, TcbDescriptor.STATUS_OFFSET, TcbDescriptor.FLAGS_OFFSET,
    TcbDescriptor.Q_NEXT_OFFSET, TcbDescriptor.Q_PREV_OFFSET, TcbDescriptor.SLEEPING_OFFSET,
    TcbDescriptor.LINKED_RP_OFFSET, TcbDescriptor.NOTIFY_BITS_OFFSET, TcbDescriptor.NOTIFY_MASK_OFFSET
  };
  private static final long[] RP_FIELDS = {
    ReceivePointDescriptor.WAITERS_OFFSET, ReceivePointDescriptor.OWNER_OFFSET, ReceivePointDescriptor.LOCK_OFFSET,
    ReceivePointDescriptor.LENGTH_OFFSET, ReceivePointDescriptor.HEAD_OFFSET, ReceivePointDescriptor.TAIL_OFFSET,
    ReceivePointDescriptor.MEMBERS_OFFSET
  };

  private final MemorySegment segment;
  private final LinkDescriptor.Geometry g;
  private final int[] targets;

  /** Scribbles on the ports and receive points of the TCB indices in {@code targets}. */
  HostilePeer(Link channel, int... targets) {
    this.segment = channel.segment();
    this.g = channel.geometry();
    this.targets = targets;
  }

  /** One write: where and what come from {@code choose} (bounded picks) and {@code value} (raw longs). */
  void scribble(IntSupplier choose, LongSupplier value) {
    final int target = targets[Math.floorMod(choose.getAsInt(), targets.length)];
    final boolean tcb = (choose.getAsInt() & 1) == 0;
    final long base = tcb ? g.tcbOffset() + target * g.stride()
        : g.rpOffset() + target * ReceivePointDescriptor.SIZE;
    final long[] fields = tcb ? TCB_FIELDS : RP_FIELDS;
    final long offset = base + fields[Math.floorMod(choose.getAsInt(), fields.length)];
    final long v = plausible(Math.floorMod(choose.getAsInt(), 8), value.getAsLong());
    final long field = offset - base;
    final boolean isInt = tcb
        ? field == TcbDescriptor.STATUS_OFFSET || field == TcbDescriptor.SLEEPING_OFFSET
            || (field >= TcbDescriptor.WAIT_RP_OFFSET && field <= TcbDescriptor.LINKED_RP_OFFSET)
        : field >= ReceivePointDescriptor.LOCK_OFFSET;
    if (isInt) {
      segment.set(ValueLayout.JAVA_INT, offset, (int) v);
    } else {
      segment.set(ValueLayout.JAVA_LONG, offset, v);
    }
  }

  private long plausible(int kind, long raw) {
    return switch (kind) {
      case 0 -> raw;
      case 1 -> -1;
      case 2 -> 0;
      case 3 -> TcbDescriptor.state(raw >>> 40, (int) Math.floorMod(raw, 11)); // a state, any epoch
      case 4 -> Math.floorMod(raw, g.maxThreads() + 3) - 1;                  // an index near range
      case 5 -> g.maxThreads() + g.maxEndpoints() + Math.floorMod(raw, 100);  // just out of range
      case 6 -> raw == 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
      default -> MessageTag.of(raw >>> 50, (int) Math.floorMod(raw, 64), (int) Math.floorMod(raw >> 8, 64), 0);
    };
  }
}
