package dev.nucleus.bench.oneway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nucleus.bench.Skipped;

/**
 * The one-way figures in the bench's JSON, under {@code "one_way"}:
 *
 * <pre>{@code
 * "one_way": {
 *   "results": [{"name": "queue-process", "bytes": 8, "rounds": 5, "messages_per_round": 10000000,
 *                "msgs_per_s": {"median": 25310000, "min": 24100000, "max": 26000000},
 *                "msgs_per_s_per_round": [24100000, ...],
 *                "alloc_bytes_per_msg": {"sender": 0.0, "receiver": 0.0},
 *                "back_pressure_retries": 1234}, ...],
 *   "skipped": [{"name": "...", "reason": "...", "failed": true}]}
 * }</pre>
 *
 * Rates are whole messages per second; bytes per message three decimals, {@code null} where not
 * counted.
 */
public final class OneWayJson {

  private OneWayJson() {}

  /**
   * Adds {@code report} to {@code root} as {@code "one_way"}; nothing for an empty report.
   *
   * @param root the bench's JSON object
   * @param report the one-way figures
   */
  public static void addTo(ObjectNode root, OneWayReport report) {
    if (report.isEmpty()) {
      return;
    }
    final ObjectNode oneWay = root.putObject("one_way");
    final ArrayNode results = oneWay.putArray("results");
    for (OneWayResult r : report.results()) {
      final ObjectNode o = results.addObject();
      o.put("name", r.name());
      o.put("bytes", r.bytes());
      o.put("rounds", r.rounds());
      o.put("messages_per_round", r.messages());
      o.putObject("msgs_per_s")
          .put("median", Math.round(r.medianRate()))
          .put("min", Math.round(r.minRate()))
          .put("max", Math.round(r.maxRate()));
      final ArrayNode perRound = o.putArray("msgs_per_s_per_round");
      r.ratesPerRound().forEach(rate -> perRound.add(Math.round(rate)));
      final ObjectNode alloc = o.putObject("alloc_bytes_per_msg");
      put(alloc, "sender", r.senderBytesPerMessage());
      put(alloc, "receiver", r.receiverBytesPerMessage());
      o.put("back_pressure_retries", r.retries());
    }
    final ArrayNode skipped = oneWay.putArray("skipped");
    for (Skipped s : report.skipped()) {
      skipped.addObject().put("name", s.name()).put("reason", s.reason()).put("failed", s.failed());
    }
  }

  private static void put(ObjectNode o, String key, Double value) {
    if (value == null) {
      o.putNull(key);
    } else {
      o.put(key, Math.round(value * 1000.0) / 1000.0);
    }
  }
}
