package dev.nucleus.bench.scaling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nucleus.bench.Skipped;

/**
 * The scaling figures in the bench's JSON, under {@code "scaling"}:
 *
 * <pre>{@code
 * "scaling": {
 *   "results": [{"name": "lrpc-scaling", "call": "Bench.echo(long), one word each way",
 *                "server_threads": 4, "client_processes": 4, "threads_per_process": 16, "cpus": 2,
 *                "wait_strategy": "ADAPTIVE", "rounds": 5, "warmup_ms": 500, "round_ms": 300,
 *                "checked_calls": 1234567,
 *                "points": [{"clients": 1, "processes": 1,
 *                            "calls_per_s": {"median": 250000, "min": 240000, "max": 260000},
 *                            "calls_per_s_per_round": [250000, ...],
 *                            "latency_ns": {"p50": 3900, "p99": 6100},
 *                            "measured_calls": 375000, "checked_calls": 500000,
 *                            "speedup": 1.0, "efficiency": 1.0}, ...]}],
 *   "skipped": [{"name": "...", "reason": "...", "failed": true}]}
 * }</pre>
 *
 * Rates are whole calls per second; {@code speedup} (calls/s over 1 client's) and
 * {@code efficiency} (speedup over clients) three decimals, {@code null} without a 1-client point;
 * a latency is {@code null} where none was recorded.
 */
public final class ScalingJson {

  private ScalingJson() {}

  /**
   * Adds {@code report} to {@code root} as {@code "scaling"}; nothing for an empty report.
   *
   * @param root the bench's JSON object
   * @param report the scaling figures
   */
  public static void addTo(ObjectNode root, ScalingReport report) {
    if (report.isEmpty()) {
      return;
    }
    final ObjectNode scaling = root.putObject("scaling");
    final ArrayNode results = scaling.putArray("results");
    for (ScalingResult r : report.results()) {
      final ObjectNode o = results.addObject();
      o.put("name", r.name());
      o.put("call", r.call());
      o.put("server_threads", r.serverThreads());
      o.put("client_processes", r.processes());
      o.put("threads_per_process", r.threadsPerProcess());
      o.put("cpus", r.cpus());
      o.put("wait_strategy", r.waitStrategy());
      o.put("rounds", r.rounds());
      o.put("warmup_ms", r.warmupMs());
      o.put("round_ms", r.roundMs());
      o.put("checked_calls", r.checkedCalls());
      final ArrayNode points = o.putArray("points");
      for (ScalingPoint p : r.points()) {
        final ObjectNode q = points.addObject();
        q.put("clients", p.clients());
        q.put("processes", p.processes());
        q.putObject("calls_per_s")
            .put("median", Math.round(p.medianRate()))
            .put("min", Math.round(p.minRate()))
            .put("max", Math.round(p.maxRate()));
        final ArrayNode perRound = q.putArray("calls_per_s_per_round");
        p.ratesPerRound().forEach(rate -> perRound.add(Math.round(rate)));
        final ObjectNode latency = q.putObject("latency_ns");
        putNs(latency, "p50", p.p50Ns());
        putNs(latency, "p99", p.p99Ns());
        q.put("measured_calls", p.measuredCalls());
        q.put("checked_calls", p.checkedCalls());
        putRatio(q, "speedup", r.speedup(p).orElse(null));
        putRatio(q, "efficiency", r.efficiency(p).orElse(null));
      }
    }
    final ArrayNode skipped = scaling.putArray("skipped");
    for (Skipped s : report.skipped()) {
      skipped.addObject().put("name", s.name()).put("reason", s.reason()).put("failed", s.failed());
    }
  }

  private static void putNs(ObjectNode o, String key, long ns) {
    if (ns < 0) {
      o.putNull(key);
    } else {
      o.put(key, ns);
    }
  }

  private static void putRatio(ObjectNode o, String key, Double value) {
    if (value == null) {
      o.putNull(key);
    } else {
      o.put(key, Math.round(value * 1000.0) / 1000.0);
    }
  }
}
