package dev.nucleus.async;

import dev.nucleus.async.internal.QueueDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * The memory of a queue: how large it is and how to make one. Whoever creates a queue (the root
 * task, or a test) allocates {@link #bytesFor} bytes, 64-byte aligned (an arena's
 * {@code allocate(size, 64)} or a mapped file, which is page aligned), formats them once, and
 * hands the segment to the two ends ({@link QueueSender#attach}, {@link QueueReceiver#attach}).
 * The layout is docs/queue-wire.md.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class QueueMemory {

  /** The fewest slots a queue may have. */
  public static final int MIN_SLOTS = QueueDescriptor.MIN_SLOT_COUNT;
  /** The most slots a queue may have (a 1 GiB ring). */
  public static final int MAX_SLOTS = QueueDescriptor.MAX_SLOT_COUNT;
  /** Bytes per slot: one cache line. */
  public static final int SLOT_SIZE = QueueDescriptor.SLOT_SIZE;
  /** Payload bytes per slot: the slot less its 8-byte sequence stamp. */
  public static final int PAYLOAD_PER_SLOT = QueueDescriptor.PAYLOAD_SIZE;

  private QueueMemory() {}

  /**
   * Bytes of a queue of {@code slots} slots: its header lines and its ring.
   *
   * @param slots a power of two in [{@link #MIN_SLOTS}, {@link #MAX_SLOTS}]
   * @return the segment size the queue needs
   * @throws IllegalArgumentException if {@code slots} is not such a power of two
   */
  public static long bytesFor(int slots) {
    checkSlots(slots);
    return QueueDescriptor.totalSize(slots);
  }

  /**
   * The largest message a queue of {@code slots} slots carries: half its ring, in payload bytes
   * ({@code slots / 2 * 56}). Bulk data goes through a shared region instead.
   *
   * @param slots a power of two in [{@link #MIN_SLOTS}, {@link #MAX_SLOTS}]
   * @return the most payload bytes of one message
   * @throws IllegalArgumentException if {@code slots} is not such a power of two
   */
  public static int maxPayload(int slots) {
    checkSlots(slots);
    return QueueDescriptor.maxPayload(slots);
  }

  /**
   * Formats {@code segment} as an empty, open queue of {@code slots} slots: zeroes it, writes the
   * header, and publishes it last (a peer that maps the segment meanwhile sees no queue). Call it
   * once, before either end attaches.
   *
   * @param segment native memory of at least {@link #bytesFor}{@code (slots)} bytes, 64-byte aligned
   * @param slots a power of two in [{@link #MIN_SLOTS}, {@link #MAX_SLOTS}]
   * @throws IllegalArgumentException if {@code slots} is not such a power of two, or the segment
   *     is on the heap, misaligned or too small
   */
  public static void format(MemorySegment segment, int slots) {
    QueueDescriptor.format(segment, slots);
  }

  private static void checkSlots(int slots) {
    if (!QueueDescriptor.isValidSlotCount(slots)) {
      throw new IllegalArgumentException("a queue's slot count is a power of two in [" + MIN_SLOTS + ", " + MAX_SLOTS
          + "], got " + slots);
    }
  }
}
