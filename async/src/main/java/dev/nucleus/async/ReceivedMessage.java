package dev.nucleus.async;

import java.lang.foreign.MemorySegment;

/**
 * A message in the ring, read in place: valid only inside the {@link MessageHandler#onMessage}
 * call it is given to (the receiver reuses one instance, and frees the message's slots when the
 * handler returns). Payload offsets run from 0 to {@link #length()}; the bytes may lie in
 * several slots, which this view hides.
 *
 * <p>The bytes are in memory the sender can write: a handler that checks a field and then uses
 * it should copy it out first (read it once), as with any shared memory. Not thread-safe: used by
 * the receiving thread only.
 */
public interface ReceivedMessage {

  /**
   * The message's length.
   *
   * @return payload bytes, 0 .. the queue's maxPayload; -1 outside its handler call
   */
  int length();

  /**
   * The byte at {@code at}.
   *
   * @param at payload offset, 0 .. length - 1
   * @return the byte
   * @throws IndexOutOfBoundsException if {@code at} is outside the payload
   * @throws IllegalStateException if called outside its handler call
   */
  byte getByte(long at);

  /**
   * The little-endian int at {@code at}.
   *
   * @param at payload offset, a multiple of 4, at most length - 4
   * @return the int
   * @throws IndexOutOfBoundsException if the int is not inside the payload
   * @throws IllegalArgumentException if {@code at} is not a multiple of 4
   * @throws IllegalStateException if called outside its handler call
   */
  int getInt(long at);

  /**
   * The little-endian long at {@code at}.
   *
   * @param at payload offset, a multiple of 8, at most length - 8
   * @return the long
   * @throws IndexOutOfBoundsException if the long is not inside the payload
   * @throws IllegalArgumentException if {@code at} is not a multiple of 8
   * @throws IllegalStateException if called outside its handler call
   */
  long getLong(long at);

  /**
   * Copies {@code bytes} bytes from payload offset {@code at} to {@code dst} at {@code dstOffset}.
   *
   * @param at payload offset of the first byte
   * @param dst where to copy to
   * @param dstOffset offset in {@code dst}
   * @param bytes how many
   * @throws IndexOutOfBoundsException if the range is not inside the payload or {@code dst}
   * @throws IllegalStateException if called outside its handler call
   */
  void copyTo(long at, MemorySegment dst, long dstOffset, long bytes);
}
