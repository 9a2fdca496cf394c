package dev.nucleus.async;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One event taken from a {@link Waitset} by {@link Waitset#next}: a queue's message (copied into
 * this event's buffer), the end of a queue, kernel notification bits, or an IPC message in the
 * waitset's thread's registers (an interrupt, a call, a send). Reused from call to call, so
 * taking events allocates nothing; its content is valid until the next {@code next}.
 *
 * <p>Not thread-safe: it belongs to the waitset's thread.
 */
public final class WaitsetEvent {

  /** What an event is. */
  public enum Kind {
    /** Nothing taken yet. */
    NONE,
    /** A queue's message: {@link #queue()}, {@link #payload()}, {@link #length()}. */
    QUEUE_MESSAGE,
    /**
     * A queue has ended for good: {@link #queue()}, and {@link #status()} is its final status
     * (PEER_DEAD after everything its sender published was taken, CLOSED, PROTOCOL_ERROR). Given
     * once per queue; the waitset no longer waits for it.
     */
    QUEUE_ENDED,
    /** Kernel notification bits, all but the waitset's queue bit: {@link #bits()}. */
    NOTIFICATION,
    /**
     * An IPC message to the waitset's thread, in its registers (tag, sender, MR1..): an interrupt
     * (label {@link dev.nucleus.kernel.MessageTag#INTERRUPT_LABEL}, re-armed by a reply), a call
     * (reply before the next {@code next}), or a send.
     */
    MESSAGE
  }

  private final MemorySegment buffer;
  private Kind kind = Kind.NONE;
  private int queue = -1;
  private int length;
  private long bits;
  private int status;

  /**
   * An event whose buffer holds queue messages of up to {@code capacity} bytes; a longer one is
   * left in its queue and {@link Waitset#next} says MSG_TOO_LONG.
   *
   * @param capacity the buffer's size in bytes, at least 0
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  public WaitsetEvent(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("an event's buffer has 0 or more bytes, not " + capacity);
    }
    this.buffer = Arena.ofAuto().allocate(Math.max(capacity, 1), 64).asSlice(0, capacity);
  }

  /**
   * What this event is.
   *
   * @return the kind, NONE before the first event
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The queue of a QUEUE_MESSAGE or QUEUE_ENDED event (or of a MSG_TOO_LONG status): the key
   * {@link Waitset#add} returned; -1 for other kinds.
   *
   * @return the queue's key
   */
  public int queue() {
    return queue;
  }

  /**
   * The message of a QUEUE_MESSAGE event: the first {@link #length()} bytes of the buffer.
   *
   * @return a slice of this event's buffer, valid until the next event
   */
  public MemorySegment payload() {
    return buffer.asSlice(0, length);
  }

  /**
   * This event's whole buffer, into which queue messages are copied (no allocation, unlike
   * {@link #payload()}).
   *
   * @return the buffer
   */
  public MemorySegment buffer() {
    return buffer;
  }

  /**
   * The length of a QUEUE_MESSAGE's payload in bytes.
   *
   * @return bytes, 0 for other kinds
   */
  public int length() {
    return length;
  }

  /**
   * The bits of a NOTIFICATION event.
   *
   * @return the bits, 0 for other kinds
   */
  public long bits() {
    return bits;
  }

  /**
   * The final status of the queue of a QUEUE_ENDED event.
   *
   * @return a {@link QueueStatus} status, OK for other kinds
   */
  public int status() {
    return status;
  }

  void queueMessage(int q, int len) {
    set(Kind.QUEUE_MESSAGE, q, len, 0, 0);
  }

  void queueEnded(int q, int finalStatus) {
    set(Kind.QUEUE_ENDED, q, 0, 0, finalStatus);
  }

  void notification(long b) {
    set(Kind.NOTIFICATION, -1, 0, b, 0);
  }

  void message() {
    set(Kind.MESSAGE, -1, 0, 0, 0);
  }

  void tooLong(int q) {
    set(Kind.NONE, q, 0, 0, 0);
  }

  private void set(Kind k, int q, int len, long b, int s) {
    kind = k;
    queue = q;
    length = len;
    bits = b;
    status = s;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "WaitsetEvent[none]";
      case QUEUE_MESSAGE -> "WaitsetEvent[queue " + queue + ": " + length + " bytes]";
      case QUEUE_ENDED -> "WaitsetEvent[queue " + queue + " ended: " + QueueStatus.toString(status) + "]";
      case NOTIFICATION -> "WaitsetEvent[notification 0x" + Long.toHexString(bits) + "]";
      case MESSAGE -> "WaitsetEvent[IPC message]";
    };
  }
}
