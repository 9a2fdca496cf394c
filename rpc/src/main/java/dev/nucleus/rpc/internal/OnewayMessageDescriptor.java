package dev.nucleus.rpc.internal;

/**
 * Layout of one one-way request in a binding's one-way queue (docs/rpc-wire.md, section 9): the
 * payload of one queue message, a header of three words and the request frame. The queue itself
 * (slots, stamps, the lazy read position) is docs/queue-wire.md; this is only what its payload
 * holds.
 *
 * <pre>
 *  payload, HEADER_LENGTH + FRAME_LENGTH bytes
 *     0  METHOD_ID     u32  the method's id (MethodIds)
 *     4  SERVICE_ID    u32  the service's id; another service's is dropped
 *     8  NANOS_LEFT    i64  nanoseconds left before the caller's deadline when it sent, -1 for none
 *    16  FRAME_LENGTH  u32  bytes of the frame; must be the payload's length - HEADER_LENGTH
 *    20  FLAGS         u32  0 (no flag is defined; anything else is dropped)
 *    24  FRAME         the request frame (docs/rpc-wire.md, section 2), from byte 0
 * </pre>
 *
 * Every field is naturally aligned, so none straddles two slots of the ring (56 is a multiple of
 * 8), and the frame starts 8-aligned in the payload as the frame format wants. A message shorter
 * than the header, a FRAME_LENGTH that disagrees with the message's length, a FLAGS other than 0 or
 * another SERVICE_ID is malformed: the server logs it and drops it, and takes the next message.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class OnewayMessageDescriptor {

  /** Offset of the u32 method id. */
  public static final int METHOD_ID_OFFSET = 0;
  /** Offset of the u32 service id. */
  public static final int SERVICE_ID_OFFSET = METHOD_ID_OFFSET + 4;
  /** Offset of the i64 nanoseconds left before the deadline, -1 for none. */
  public static final int NANOS_LEFT_OFFSET = SERVICE_ID_OFFSET + 4;
  /** Offset of the u32 frame length. */
  public static final int FRAME_LENGTH_OFFSET = NANOS_LEFT_OFFSET + 8;
  /** Offset of the u32 flags, 0. */
  public static final int FLAGS_OFFSET = FRAME_LENGTH_OFFSET + 4;
  /** Offset of the frame; also the header's length. */
  public static final int FRAME_OFFSET = FLAGS_OFFSET + 4;
  /** Bytes before the frame. */
  public static final int HEADER_LENGTH = FRAME_OFFSET;
  /** NANOS_LEFT of a call without a deadline. */
  public static final long NO_DEADLINE = -1;

  private OnewayMessageDescriptor() {}

  /**
   * The largest request frame a queue whose messages carry up to {@code maxPayload} bytes takes.
   *
   * @param maxPayload the queue's largest message, in bytes
   * @return {@code maxPayload - HEADER_LENGTH}
   */
  public static int maxFrame(int maxPayload) {
    return maxPayload - HEADER_LENGTH;
  }
}
