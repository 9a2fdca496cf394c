package dev.nucleus.kernel;

/**
 * Thread and endpoint identifiers: 64-bit values, as L4's {@code L4_ThreadId_t} is a word.
 *
 * <pre>
 *  63                              32 31 30            16 15             0
 * +----------------------------------+--+----------------+----------------+
 * |            version               |E |     space      |     index      |
 * +----------------------------------+--+----------------+----------------+
 * </pre>
 *
 * <ul>
 *   <li><b>index</b>: the kernel-wide slot of the thread control block (or of the endpoint's
 *       receive point when E is set).
 *   <li><b>space</b>: the space the thread or endpoint belongs to.
 *   <li><b>E</b>: set for endpoint ids.
 *   <li><b>version</b>: bumped each time the slot is reused, so an id of a thread that has gone
 *       is detected (STALE_ID) and never reaches the slot's next occupant. Never 0, never all ones.
 * </ul>
 *
 * <p>Ids are plain {@code long}s on the IPC path so that no operation allocates; this class only
 * builds, takes apart and prints them. {@link #NIL} names nobody; {@link #ANY} is the wildcard of
 * an open receive. This class is stateless and thread-safe.
 */
public final class ThreadId {

  /** Names no thread. A sender id of NIL on a delivery means "not from a thread" (notifications). */
  public static final long NIL = 0L;

  /** Wildcard source of an open receive. */
  public static final long ANY = -1L;

  /** Bits of the index field (bits 0..15). */
  public static final int INDEX_BITS = 16;
  /** Bits of the space field (bits 16..30). */
  public static final int SPACE_BITS = 15;
  /** The largest thread or endpoint index. */
  public static final int MAX_INDEX = (1 << INDEX_BITS) - 1;
  /** The largest space number. */
  public static final int MAX_SPACE = (1 << SPACE_BITS) - 1;
  /** Bit 31: set in an endpoint's id. */
  public static final long ENDPOINT_FLAG = 1L << 31;
  /** The largest version (bits 32..63); versions start at 1, so a well-formed id is never NIL or ANY. */
  public static final long MAX_VERSION = 0xFFFF_FFFEL;

  private ThreadId() {}

  /**
   * The id of thread {@code index} of space {@code space} at {@code version}. Ids are made by
   * the kernel; this is for tools, tests and peers that decode or compare them. Building an id
   * grants nothing: an IPC to an id that names no current thread fails (INVALID_ID, STALE_ID) and
   * one to another space still needs a channel.
   *
   * @param space the space number, 0..{@link #MAX_SPACE}
   * @param index the thread slot, 0..{@link #MAX_INDEX}
   * @param version the slot's version, 1..{@link #MAX_VERSION}
   * @return the thread id
   * @throws IllegalArgumentException if a field is out of range
   */
  public static long of(int space, int index, long version) {
    if (space < 0 || space > MAX_SPACE || index < 0 || index > MAX_INDEX || version < 1 || version > MAX_VERSION) {
      throw new IllegalArgumentException("thread id fields out of range: space " + space + ", index " + index
          + ", version " + version);
    }
    return compose(space, index, version);
  }

  /** {@link #of} without the range checks, for the kernel's own valid fields. */
  static long compose(int space, int index, long version) {
    return (version << 32) | ((long) space << INDEX_BITS) | index;
  }

  /**
   * The id of endpoint {@code index} of space {@code space} at {@code version}.
   *
   * @param space the space number, 0..{@link #MAX_SPACE}
   * @param index the endpoint slot, 0..{@link #MAX_INDEX}
   * @param version the slot's version, 1..{@link #MAX_VERSION}
   * @return the endpoint id ({@link #ENDPOINT_FLAG} set)
   * @throws IllegalArgumentException if a field is out of range
   */
  public static long endpoint(int space, int index, long version) {
    return of(space, index, version) | ENDPOINT_FLAG;
  }

  /**
   * The kernel-wide slot number encoded in {@code id}.
   *
   * @param id a thread or endpoint id
   * @return bits 0..15: the thread slot, or the endpoint slot for an endpoint id
   */
  public static int index(long id) {
    return (int) (id & MAX_INDEX);
  }

  /**
   * The space number encoded in {@code id}.
   *
   * @param id a thread or endpoint id
   * @return bits 16..30
   */
  public static int space(long id) {
    return (int) ((id >>> INDEX_BITS) & MAX_SPACE);
  }

  /**
   * The version encoded in {@code id}.
   *
   * @param id a thread or endpoint id
   * @return bits 32..63, unsigned; 0 only for ids the kernel never issues
   */
  public static long version(long id) {
    return id >>> 32;
  }

  /**
   * Whether {@code id} names an endpoint rather than a thread.
   *
   * @param id any id
   * @return true if {@link #ENDPOINT_FLAG} is set and {@code id} is not {@link #ANY}
   */
  public static boolean isEndpoint(long id) {
    return id != ANY && (id & ENDPOINT_FLAG) != 0;
  }

  /**
   * Whether {@code id} is shaped like an id the kernel issues (not NIL, not ANY, version set).
   * Says nothing about whether it is current: only an IPC can tell (STALE_ID).
   *
   * @param id any id
   * @return true if it is neither NIL nor ANY and its version is in 1..{@link #MAX_VERSION}
   */
  public static boolean isWellFormed(long id) {
    final long v = version(id);
    return id != NIL && id != ANY && v != 0 && v <= MAX_VERSION;
  }

  /**
   * Human-readable form, e.g. {@code T3.17v2} (space 3, index 17, version 2) or {@code E1.0v1}.
   *
   * @param id any id
   * @return its fields, or {@code nil} / {@code any}
   */
  public static String toString(long id) {
    if (id == NIL) {
      return "nil";
    }
    if (id == ANY) {
      return "any";
    }
    return (isEndpoint(id) ? "E" : "T") + space(id) + "." + index(id) + "v" + version(id);
  }
}
