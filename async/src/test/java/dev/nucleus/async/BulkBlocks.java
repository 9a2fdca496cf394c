package dev.nucleus.async;

import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Bulk data by shared region over a queue, as docs/queues.md (section 7) says to pass it: the
 * sender fills blocks of a {@link SharedRegion} with seeded bytes and sends, per block, a one-slot
 * message of four words (the region's handle, the block's offset, its length, the CRC-32 of its
 * bytes); the receiver maps each block with {@code SharedRegion.map(handle, peerPid(), ...)} and
 * checks its CRC. Used by the root and by {@link QueueComponent} alike.
 */
final class BulkBlocks {

  /** Bytes per block. */
  static final int BLOCK = 64 * 1024;

  private static final int HANDLE = 0;
  private static final int OFFSET = 8;
  private static final int LENGTH = 16;
  private static final int CRC = 24;
  private static final int MESSAGE = 32;

  private BulkBlocks() {}

  /**
   * Makes a region of {@code count} blocks, fills them and sends one message per block. The caller
   * keeps the region open until the receiver has mapped the blocks, then closes it.
   *
   * @return the region; or throws if a send fails
   */
  static SharedRegion send(QueueSender sender, long seed, int count) {
    final SharedRegion region = SharedRegion.create((long) count * BLOCK);
    try {
      for (int i = 0; i < count; i++) {
        final MemorySegment block = region.segment().asSlice((long) i * BLOCK, BLOCK);
        final SplittableRandom bytes = new SplittableRandom(seed * 1_000 + i);
        for (long at = 0; at < BLOCK; at += Long.BYTES) {
          block.set(ValueLayout.JAVA_LONG_UNALIGNED, at, bytes.nextLong());
        }
        final int status = sender.claim(MESSAGE, Timeout.relative(60_000_000_000L));
        if (status != Status.OK) {
          throw new IllegalStateException("block " + i + ": " + QueueStatus.toString(status) + " " + sender.failure());
        }
        final ClaimedMessage m = sender.claimed();
        m.putLong(HANDLE, region.handle());
        m.putLong(OFFSET, (long) i * BLOCK);
        m.putLong(LENGTH, BLOCK);
        m.putLong(CRC, crc(block));
        sender.commit();
      }
      return region;
    } catch (RuntimeException e) {
      region.close();
      throw e;
    }
  }

  /**
   * Takes {@code count} block messages, maps each block by the handle the message names checked
   * against {@code receiver.peerPid()}, and checks its bytes.
   *
   * @return null if every block arrived intact, else what was wrong
   */
  static String receive(QueueReceiver receiver, int count) {
    final long[] words = new long[4];
    final MessageHandler take = m -> {
      if (m.length() != MESSAGE) {
        words[2] = -1;
        return;
      }
      for (int w = 0; w < words.length; w++) {
        words[w] = m.getLong(w * Long.BYTES);
      }
    };
    try (Arena arena = Arena.ofConfined()) {
      for (int i = 0; i < count; i++) {
        final int status = receiver.receive(take, Timeout.relative(60_000_000_000L));
        if (status != Status.OK) {
          return "block " + i + ": " + QueueStatus.toString(status) + " " + receiver.failure();
        }
        if (words[1] != (long) i * BLOCK || words[2] != BLOCK) {
          return "block " + i + ": a message naming " + words[2] + " bytes at " + words[1];
        }
        final MemorySegment region = SharedRegion.map(words[0], receiver.peerPid(), words[1] + words[2], arena);
        final long crc = crc(region.asSlice(words[1], words[2]));
        if (crc != words[3]) {
          return "block " + i + ": CRC-32 0x" + Long.toHexString(crc) + ", the sender's 0x"
              + Long.toHexString(words[3]);
        }
      }
    } catch (IllegalArgumentException e) {
      return "a block's region: " + e.getMessage();
    }
    return null;
  }

  /** Takes the next block message from {@code receiver}: the handle it names. */
  static long takeHandle(QueueReceiver receiver) {
    final long[] handle = {0};
    final int status = receiver.receive(m -> handle[0] = m.getLong(HANDLE), Timeout.relative(60_000_000_000L));
    if (status != Status.OK) {
      throw new IllegalStateException(QueueStatus.toString(status) + " " + receiver.failure());
    }
    return handle[0];
  }

  private static long crc(MemorySegment bytes) {
    final CRC32 crc = new CRC32();
    crc.update(bytes.asByteBuffer());
    return crc.getValue();
  }
}
