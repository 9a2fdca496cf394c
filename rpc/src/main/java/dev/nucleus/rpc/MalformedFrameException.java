package dev.nucleus.rpc;

/**
 * A frame failed validation: a length, count, ordinal or flag out of range, a value that runs
 * past the end of the frame, ill-formed UTF-8, or bytes left over. Thrown where the frame is read:
 * at the server for a request (the call fails, the server goes on serving, and the client gets
 * this exception with the server's description), at the client for a reply.
 *
 * <p>{@link #delivered()} is true: the frame reached its reader.
 */
public final class MalformedFrameException extends RpcException {

  /** What was wrong. */
  private final String what;
  /** Where in the frame the value that failed starts. */
  private final long offset;

  /**
   * An exception for a frame that is malformed at {@code offset}.
   *
   * @param what what was wrong, e.g. {@code "string length 4096 exceeds the 12 bytes left"}
   * @param offset the offset in the frame of the value that failed
   */
  public MalformedFrameException(String what, long offset) {
    super("malformed frame at offset " + offset + ": " + what);
    this.what = what;
    this.offset = offset;
  }

  /**
   * What was wrong.
   *
   * @return the description, without the offset
   */
  public String what() {
    return what;
  }

  /**
   * Where in the frame the value that failed starts.
   *
   * @return a byte offset from the start of the frame
   */
  public long offset() {
    return offset;
  }

  /**
   * {@return true: the frame reached its reader}
   */
  @Override
  public boolean delivered() {
    return true;
  }
}
