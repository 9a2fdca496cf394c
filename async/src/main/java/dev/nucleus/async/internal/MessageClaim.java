package dev.nucleus.async.internal;

import dev.nucleus.async.ClaimedMessage;
import java.lang.foreign.MemorySegment;

/** The sender's {@link ClaimedMessage}: the slots claimed for the next message, written in place (see {@link PayloadSlots}). */
final class MessageClaim extends PayloadSlots implements ClaimedMessage {

  /** Slots the open claim takes. */
  int slots;

  MessageClaim(MemorySegment segment, long mask) {
    super(segment, mask);
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public void putByte(long at, byte value) {
    segment.set(BYTE, field(at, 1), value);
  }

  @Override
  public void putInt(long at, int value) {
    segment.set(INT, field(at, 4), value);
  }

  @Override
  public void putLong(long at, long value) {
    segment.set(LONG, field(at, 8), value);
  }

  @Override
  public void copyFrom(MemorySegment src, long srcOffset, long at, long bytes) {
    copy(at, src, srcOffset, bytes, false);
  }

  @Override
  String noMessage() {
    return "no message is claimed: claim first, and write before commit or abort";
  }

  @Override
  public String toString() {
    return isOpen() ? "ClaimedMessage[position " + first + ", " + length + " bytes]" : "ClaimedMessage[none]";
  }
}
