package dev.nucleus.async;

import java.lang.foreign.MemorySegment;

/**
 * The slots a sender has claimed for its next message, written in place (zero copy): valid
 * between {@link QueueSender#claim} and {@link QueueSender#commit} or {@link QueueSender#abort}.
 * Payload offsets run from 0 to {@link #length()}; the bytes may lie in several slots, which
 * this view hides. The receiver sees nothing of the message before the commit; bytes not written
 * hold whatever the slots held before.
 *
 * <p>Not thread-safe: used by the sending thread only.
 */
public interface ClaimedMessage {

  /**
   * The length claimed.
   *
   * @return payload bytes, or -1 while no claim is open
   */
  int length();

  /**
   * Writes the byte at {@code at}.
   *
   * @param at payload offset, 0 .. length - 1
   * @param value the byte
   * @throws IndexOutOfBoundsException if {@code at} is outside the payload
   * @throws IllegalStateException if no claim is open
   */
  void putByte(long at, byte value);

  /**
   * Writes the little-endian int at {@code at}.
   *
   * @param at payload offset, a multiple of 4, at most length - 4
   * @param value the int
   * @throws IndexOutOfBoundsException if the int is not inside the payload
   * @throws IllegalArgumentException if {@code at} is not a multiple of 4
   * @throws IllegalStateException if no claim is open
   */
  void putInt(long at, int value);

  /**
   * Writes the little-endian long at {@code at}.
   *
   * @param at payload offset, a multiple of 8, at most length - 8
   * @param value the long
   * @throws IndexOutOfBoundsException if the long is not inside the payload
   * @throws IllegalArgumentException if {@code at} is not a multiple of 8
   * @throws IllegalStateException if no claim is open
   */
  void putLong(long at, long value);

  /**
   * Copies {@code bytes} bytes from {@code src} at {@code srcOffset} to payload offset {@code at}.
   *
   * @param src where to copy from
   * @param srcOffset offset in {@code src}
   * @param at payload offset of the first byte
   * @param bytes how many
   * @throws IndexOutOfBoundsException if the range is not inside the payload or {@code src}
   * @throws IllegalStateException if no claim is open
   */
  void copyFrom(MemorySegment src, long srcOffset, long at, long bytes);
}
