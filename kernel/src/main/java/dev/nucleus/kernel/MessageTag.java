package dev.nucleus.kernel;

/**
 * The message tag held in MR0, laid out as L4 X.2's 64-bit tag:
 *
 * <pre>
 *  63                                      16 15   12 11      6 5       0
 * +------------------------------------------+-------+---------+---------+
 * |                 label (48)               | flags |  typed  | untyped |
 * +------------------------------------------+-------+---------+---------+
 * </pre>
 *
 * A message is MR0 followed by {@code untyped + typed} words in MR1 onwards. Typed items (map and
 * grant items in L4) are carried verbatim: the kernel copies them as words and leaves their
 * meaning to the layers above. A tag whose words do not fit the message registers fails with
 * {@link Status#MSG_TOO_LONG} at the sender, before any rendezvous.
 *
 * <p>Two labels are reserved for messages the kernel makes: {@link #INTERRUPT_LABEL} and
 * {@link #NOTIFICATION_LABEL}.
 *
 * <p>Tags are plain {@code long}s so that no IPC allocates; this class only builds and takes them
 * apart. It is stateless and thread-safe.
 */
public final class MessageTag {

  /** Label of an interrupt delivery (L4 X.2 uses {@code -1 << 4} in 16 bits: 0xFFF0). */
  public static final long INTERRUPT_LABEL = 0xFFF0L;
  /** Label of a notification delivered to a receive that accepts notifications. */
  public static final long NOTIFICATION_LABEL = 0xFFF1L;

  /** Largest untyped or typed count a tag can express. */
  public static final int MAX_COUNT = 63;
  /** Largest label. */
  public static final long MAX_LABEL = (1L << 48) - 1;

  private MessageTag() {}

  /**
   * A tag with {@code label} and {@code untyped} untyped words, no typed items, no flags.
   *
   * @param label the label, 0..{@link #MAX_LABEL}
   * @param untyped the number of untyped words, 0..{@link #MAX_COUNT}
   * @return the tag, for MR0
   * @throws IllegalArgumentException if a field does not fit its width
   */
  public static long of(long label, int untyped) {
    return of(label, untyped, 0, 0);
  }

  /**
   * A tag from all four fields; each must fit its width. Whether the message fits the message
   * registers is checked only by the IPC operations (MSG_TOO_LONG), which know their number.
   *
   * @param label the label, 0..{@link #MAX_LABEL}
   * @param untyped the number of untyped words, 0..{@link #MAX_COUNT}
   * @param typed the number of typed words, 0..{@link #MAX_COUNT}; copied verbatim
   * @param flags the four flag bits, 0..15
   * @return the tag, for MR0
   * @throws IllegalArgumentException if a field does not fit its width
   */
  public static long of(long label, int untyped, int typed, int flags) {
    if (label < 0 || label > MAX_LABEL) {
      throw new IllegalArgumentException("label must fit 48 bits, got " + label);
    }
    if (untyped < 0 || untyped > MAX_COUNT || typed < 0 || typed > MAX_COUNT) {
      throw new IllegalArgumentException("untyped/typed counts must be in [0, 63], got " + untyped + "/" + typed);
    }
    if (flags < 0 || flags > 0xF) {
      throw new IllegalArgumentException("flags must fit 4 bits, got " + flags);
    }
    return (label << 16) | ((long) flags << 12) | ((long) typed << 6) | untyped;
  }

  /**
   * The label of a tag.
   *
   * @param tag a tag (MR0)
   * @return bits 16..63
   */
  public static long label(long tag) {
    return tag >>> 16;
  }

  /**
   * The number of untyped words of a tag.
   *
   * @param tag a tag (MR0)
   * @return bits 0..5
   */
  public static int untyped(long tag) {
    return (int) (tag & 0x3F);
  }

  /**
   * The number of typed words of a tag.
   *
   * @param tag a tag (MR0)
   * @return bits 6..11
   */
  public static int typed(long tag) {
    return (int) ((tag >>> 6) & 0x3F);
  }

  /**
   * The flags of a tag.
   *
   * @param tag a tag (MR0)
   * @return bits 12..15
   */
  public static int flags(long tag) {
    return (int) ((tag >>> 12) & 0xF);
  }

  /**
   * Number of message registers after MR0 that the message occupies: the words the kernel copies.
   *
   * @param tag a tag (MR0)
   * @return {@code untyped(tag) + typed(tag)}, 0..126
   */
  public static int words(long tag) {
    return untyped(tag) + typed(tag);
  }

  /**
   * Human-readable form, e.g. {@code tag[label=0x2a, u=2, t=0, flags=0]}.
   *
   * @param tag a tag (MR0)
   * @return its fields, the label in hex
   */
  public static String toString(long tag) {
    return "tag[label=0x" + Long.toHexString(label(tag)) + ", u=" + untyped(tag) + ", t=" + typed(tag)
        + ", flags=" + flags(tag) + "]";
  }
}
