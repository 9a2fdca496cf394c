package dev.nucleus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nucleus.bench.oneway.OneWayJson;
import dev.nucleus.bench.oneway.OneWayReport;
import dev.nucleus.bench.scaling.ScalingJson;
import dev.nucleus.bench.scaling.ScalingReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link BenchReport} as JSON in exactly this shape (all times in ns; {@code floor} and
 * {@code ratio_to_floor} are {@code null} for floors and when the floor was not measured):
 *
 * <pre>{@code
 * {"results":[{"name":"floor-c-spin","runs":5,"iterations":200000,
 *              "rtt_ns":{"p50":131,"p90":150,"p99":261,"p999":900,"max":147044},
 *              "p50_per_run_ns":[140,131,120,131,150],
 *              "ops_per_s":6600000,"floor":null,"ratio_to_floor":null}, ...
 *             {"name":"nucleus-thread-spin", ..., "ratio_to_floor":1.4,
 *              "alloc_bytes_per_rt":{"client":0.0,"server":0.0}}, ...],
 *  "skipped":[{"name":"floor-c-futex","reason":"no C compiler ('cc' or $CC) on PATH"}]}
 * }</pre>
 *
 * {@code p50_per_run_ns} lists each run's p50 in run order (runs are interleaved across
 * mechanisms); it is left out when the runs were not kept. {@code ops_per_s} is rounded to a whole number, {@code ratio_to_floor} to three decimals and
 * the bytes allocated per round trip ({@code alloc_bytes_per_rt}, only for mechanisms that count
 * them: see {@link PingPong#lastAllocation()}) to three decimals.
 */
public final class ReportJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The report as a JSON tree. */
  public static ObjectNode toTree(BenchReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode results = root.putArray("results");
    for (MechanismResult r : report.results()) {
      ObjectNode o = results.addObject();
      o.put("name", r.name());
      o.put("runs", r.runs());
      o.put("iterations", r.iterations());
      ObjectNode rtt = o.putObject("rtt_ns");
      rtt.put("p50", r.rttNs().p50());
      rtt.put("p90", r.rttNs().p90());
      rtt.put("p99", r.rttNs().p99());
      rtt.put("p999", r.rttNs().p999());
      rtt.put("max", r.rttNs().max());
      if (!r.p50PerRun().isEmpty()) {
        ArrayNode perRun = o.putArray("p50_per_run_ns");
        r.p50PerRun().forEach(perRun::add);
      }
      o.put("ops_per_s", Math.round(r.opsPerSecond()));
      o.put("floor", r.floor());
      if (r.ratioToFloor() == null) {
        o.putNull("ratio_to_floor");
      } else {
        o.put("ratio_to_floor", Math.round(r.ratioToFloor() * 1000.0) / 1000.0);
      }
      if (r.allocation() != null) {
        o.putObject("alloc_bytes_per_rt")
            .put("client", Math.round(r.allocation().clientBytesPerRoundTrip() * 1000.0) / 1000.0)
            .put("server", Math.round(r.allocation().serverBytesPerRoundTrip() * 1000.0) / 1000.0);
      }
    }
    ArrayNode skipped = root.putArray("skipped");
    for (Skipped s : report.skipped()) {
      skipped.addObject().put("name", s.name()).put("reason", s.reason());
    }
    return root;
  }

  /** The report as pretty-printed JSON text. */
  public static String toJson(BenchReport report) throws IOException {
    return MAPPER.writeValueAsString(toTree(report));
  }

  /** Writes the report to {@code file}, creating parent directories. */
  public static void write(BenchReport report, Path file) throws IOException {
    write(report, java.util.Map.of(), file);
  }

  /**
   * Writes the report plus {@code idleCoreFraction} (what an idle server costs, by setup, as a
   * fraction of one core) under {@code "idle_core_fraction"}.
   */
  public static void write(BenchReport report, java.util.Map<String, Double> idleCoreFraction, Path file)
      throws IOException {
    write(report, idleCoreFraction, List.of(), file);
  }

  /**
   * Writes the report, {@code idleCoreFraction} under {@code "idle_core_fraction"}, and the
   * verdicts under {@code "targets"}: {@code [{"target", "met", "detail"}]} (left out when empty).
   */
  public static void write(
      BenchReport report,
      java.util.Map<String, Double> idleCoreFraction,
      List<Targets.Verdict> targets,
      Path file)
      throws IOException {
    write(report, OneWayReport.empty(), idleCoreFraction, targets, file);
  }

  /**
   * Writes the report, the one-way figures under {@code "one_way"} ({@link OneWayJson}; left out
   * when none), {@code idleCoreFraction} and the verdicts (each with its {@code "outcome"}: met,
   * bar met or missed).
   */
  public static void write(
      BenchReport report,
      OneWayReport oneWay,
      java.util.Map<String, Double> idleCoreFraction,
      List<Targets.Verdict> targets,
      Path file)
      throws IOException {
    write(report, oneWay, ScalingReport.empty(), idleCoreFraction, targets, file);
  }

  /**
   * Writes the report, the one-way figures under {@code "one_way"}, the scaling series under
   * {@code "scaling"} ({@link ScalingJson}; left out when none), {@code idleCoreFraction} and the
   * verdicts.
   */
  public static void write(
      BenchReport report,
      OneWayReport oneWay,
      ScalingReport scaling,
      java.util.Map<String, Double> idleCoreFraction,
      List<Targets.Verdict> targets,
      Path file)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    ObjectNode root = toTree(report);
    OneWayJson.addTo(root, oneWay);
    ScalingJson.addTo(root, scaling);
    if (!idleCoreFraction.isEmpty()) {
      ObjectNode idle = root.putObject("idle_core_fraction");
      idleCoreFraction.forEach((k, v) -> idle.put(k, Math.round(v * 100000.0) / 100000.0));
    }
    if (!targets.isEmpty()) {
      ArrayNode array = root.putArray("targets");
      for (Targets.Verdict v : targets) {
        array.addObject()
            .put("target", v.target())
            .put("met", v.met())
            .put("outcome", v.outcome().label())
            .put("detail", v.detail());
      }
    }
    MAPPER.writeValue(file.toFile(), root);
  }
}
