package dev.nucleus.bench.oneway;

import java.util.Arrays;
import java.util.List;

/**
 * One entry's throughput at one message size: each round's rate, their median and spread, what
 * each side allocated per message, and the sender's push-backs.
 *
 * @param name the entry, e.g. {@code queue-process}
 * @param bytes payload bytes per message
 * @param messages messages per round
 * @param ratesPerRound each round's messages per second, in order
 * @param senderBytesPerMessage bytes the sending thread allocated per measured message, or
 *     {@code null} where not counted
 * @param receiverBytesPerMessage the same for the receiving thread
 * @param retries offers refused (back-pressure) over the whole stream, warm-up included
 */
public record OneWayResult(String name, int bytes, long messages, List<Double> ratesPerRound,
    Double senderBytesPerMessage, Double receiverBytesPerMessage, long retries) {

  /** Copies the rates; there is at least one. */
  public OneWayResult {
    ratesPerRound = List.copyOf(ratesPerRound);
    if (ratesPerRound.isEmpty()) {
      throw new IllegalArgumentException(name + ": no rounds");
    }
  }

  /**
   * The result of one size's stream.
   *
   * @param name the entry
   * @param schedule the stream it ran
   * @param figures what it measured (round times, allocation, retries)
   * @return the rates and per-message figures
   * @throws IllegalArgumentException if the figures have no round times, or a round took no time
   */
  public static OneWayResult of(String name, Schedule schedule, StreamFigures figures) {
    final long[] ns = figures.roundNs();
    if (ns.length == 0 || Arrays.stream(ns).anyMatch(t -> t <= 0)) {
      throw new IllegalArgumentException(name + ": no round times in " + figures);
    }
    final List<Double> rates = Arrays.stream(ns).mapToObj(t -> schedule.messages() * 1e9 / t).toList();
    return new OneWayResult(name, figures.bytes(), schedule.messages(), rates,
        perMessage(figures.senderBytes(), schedule), perMessage(figures.receiverBytes(), schedule), figures.retries());
  }

  private static Double perMessage(long bytes, Schedule schedule) {
    return bytes < 0 ? null : (double) bytes / schedule.measured();
  }

  /**
   * The median of the rounds' rates.
   *
   * @return messages per second
   */
  public double medianRate() {
    final double[] sorted = ratesPerRound.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    final int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * The slowest round.
   *
   * @return messages per second
   */
  public double minRate() {
    return ratesPerRound.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  /**
   * The fastest round.
   *
   * @return messages per second
   */
  public double maxRate() {
    return ratesPerRound.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  /**
   * Rounds measured.
   *
   * @return at least 1
   */
  public int rounds() {
    return ratesPerRound.size();
  }
}
