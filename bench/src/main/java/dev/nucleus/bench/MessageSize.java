package dev.nucleus.bench;

/**
 * The message a mechanism carries each way, for the message-size sweep and its chart: mechanisms
 * with the same {@link #series} differ only in size and are drawn as one line of latency against
 * size.
 *
 * <p>Sizes are payload bytes each way. A null message ({@code bytes == 0}) is the smallest the
 * mechanism can send: a tag only for Nucleus, one byte on byte streams (pipes, sockets), an empty
 * message where the mechanism has message boundaries (POSIX mq, Aeron, gRPC, RMI). Message
 * registers count 8 bytes each.
 *
 * @param series the mechanism family this point belongs to, e.g. {@code unix-socket}; equals the
 *     name of its null-message mechanism
 * @param bytes payload bytes each way, {@code >= 0}
 * @param sweep {@code true} for the extra sizes of the sweep (which {@code nucleus bench --quick}
 *     leaves out unless asked), {@code false} for the headline (null-message) mechanism
 */
public record MessageSize(String series, long bytes, boolean sweep) {

  /** Payload sizes of the byte sweep: 64 B, 1 KiB, 8 KiB, 64 KiB. */
  public static final int[] SWEEP_BYTES = {64, 1 << 10, 8 << 10, 64 << 10};

  /** Message-register counts of the Nucleus sweep (0 is the null call). */
  public static final int[] SWEEP_WORDS = {1, 8, 63};

  public MessageSize {
    if (series == null || series.isBlank()) throw new IllegalArgumentException("blank series");
    if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
  }

  /** The headline, null-message member of {@code series}. */
  public static MessageSize nullMessage(String series) {
    return new MessageSize(series, 0, false);
  }

  /** A name suffix for {@code bytes}: {@code 64B}, {@code 1KiB}, {@code 64KiB}. */
  public static String label(long bytes) {
    if (bytes >= 1024 && bytes % 1024 == 0) return (bytes / 1024) + "KiB";
    return bytes + "B";
  }
}
