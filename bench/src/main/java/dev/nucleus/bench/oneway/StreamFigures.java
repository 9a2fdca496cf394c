package dev.nucleus.bench.oneway;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What one size's stream measured, as a child JVM hands it back: the receiver's round times, each
 * side's allocation over the measured messages, the sender's push-backs. A side that did not
 * measure a figure leaves it at -1 (no round times: empty); {@link #merge} joins a sender's
 * figures with its receiver's.
 *
 * @param bytes payload bytes per message
 * @param roundNs how long each measured round took (the receiver's), in ns
 * @param senderBytes bytes the sending thread allocated over the measured messages, or -1
 * @param receiverBytes bytes the receiving thread allocated over the measured messages, or -1
 * @param retries offers the mechanism refused (back-pressure), or -1
 */
public record StreamFigures(int bytes, long[] roundNs, long senderBytes, long receiverBytes, long retries) {

  /** Copies the round times. */
  public StreamFigures {
    roundNs = roundNs.clone();
  }

  /**
   * How long each measured round took.
   *
   * @return a copy, in ns, in order; empty for a sender's figures
   */
  @Override
  public long[] roundNs() {
    return roundNs.clone();
  }

  /**
   * The figures of one side's loop.
   *
   * @param bytes payload bytes
   * @param sender the sender's figures, or null if this side did not send
   * @param receiver the receiver's figures, or null if this side did not receive
   * @return the figures, -1 where not measured
   */
  static StreamFigures of(int bytes, ThroughputLoop.SenderFigures sender, ThroughputLoop.ReceiverFigures receiver) {
    return new StreamFigures(bytes,
        receiver == null ? new long[0] : receiver.roundNs(),
        sender == null ? -1 : sender.allocatedBytes(),
        receiver == null ? -1 : receiver.allocatedBytes(),
        sender == null ? -1 : sender.retries());
  }

  /**
   * This receiver's figures with {@code sender}'s.
   *
   * @param sender the same size's figures from the sending side
   * @return the round times of this, the sender's allocation and retries
   * @throws IllegalArgumentException if the sizes differ
   */
  public StreamFigures merge(StreamFigures sender) {
    if (sender.bytes != bytes) {
      throw new IllegalArgumentException("figures of " + sender.bytes + " B merged with " + bytes + " B");
    }
    return new StreamFigures(bytes, roundNs, sender.senderBytes, receiverBytes, sender.retries);
  }

  /**
   * One word with no spaces: {@code bytes/retries/senderBytes/receiverBytes/ns,ns,...}.
   *
   * @return the encoding {@link #decode} reads
   */
  public String encode() {
    return bytes + "/" + retries + "/" + senderBytes + "/" + receiverBytes + "/"
        + Arrays.stream(roundNs).mapToObj(Long::toString).collect(Collectors.joining(","));
  }

  /**
   * Reads what {@link #encode} wrote.
   *
   * @param word the encoding
   * @return the figures
   * @throws IllegalArgumentException if it is not such an encoding
   */
  public static StreamFigures decode(String word) {
    final String[] parts = word.split("/", -1);
    if (parts.length != 5) {
      throw new IllegalArgumentException("not a stream's figures: " + word);
    }
    try {
      final long[] rounds = parts[4].isEmpty() ? new long[0]
          : Arrays.stream(parts[4].split(",")).mapToLong(Long::parseLong).toArray();
      return new StreamFigures(Integer.parseInt(parts[0]), rounds, Long.parseLong(parts[2]), Long.parseLong(parts[3]),
          Long.parseLong(parts[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a stream's figures: " + word, e);
    }
  }

  /**
   * Encodes several streams' figures as one line (space-separated).
   *
   * @param figures the streams, in order
   * @return the line
   */
  public static String encodeAll(List<StreamFigures> figures) {
    return figures.stream().map(StreamFigures::encode).collect(Collectors.joining(" "));
  }

  /**
   * Decodes a line of {@link #encodeAll}.
   *
   * @param line the line
   * @return the streams, in order
   */
  public static List<StreamFigures> decodeAll(String line) {
    return Arrays.stream(line.strip().split(" +")).filter(w -> !w.isEmpty()).map(StreamFigures::decode).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamFigures f && f.bytes == bytes && Arrays.equals(f.roundNs, roundNs)
        && f.senderBytes == senderBytes && f.receiverBytes == receiverBytes && f.retries == retries;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(roundNs) * 31 + Long.hashCode(senderBytes ^ receiverBytes ^ retries) + bytes;
  }

  @Override
  public String toString() {
    return "StreamFigures[" + encode() + "]";
  }
}
