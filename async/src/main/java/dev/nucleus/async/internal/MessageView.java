package dev.nucleus.async.internal;

import dev.nucleus.async.ReceivedMessage;
import java.lang.foreign.MemorySegment;

/** The receiver's {@link ReceivedMessage}: the message being handled, read in place (see {@link PayloadSlots}). */
final class MessageView extends PayloadSlots implements ReceivedMessage {

  MessageView(MemorySegment segment, long mask) {
    super(segment, mask);
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public byte getByte(long at) {
    return segment.get(BYTE, field(at, 1));
  }

  @Override
  public int getInt(long at) {
    return segment.get(INT, field(at, 4));
  }

  @Override
  public long getLong(long at) {
    return segment.get(LONG, field(at, 8));
  }

  @Override
  public void copyTo(long at, MemorySegment dst, long dstOffset, long bytes) {
    copy(at, dst, dstOffset, bytes, true);
  }

  @Override
  String noMessage() {
    return "a received message is valid only inside the handler call it was given to";
  }

  @Override
  public String toString() {
    return isOpen() ? "ReceivedMessage[position " + first + ", " + length + " bytes]" : "ReceivedMessage[none]";
  }
}
