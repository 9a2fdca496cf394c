package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nucleus.bench.oneway.OneWayReport;
import dev.nucleus.bench.scaling.ScalingPoint;
import dev.nucleus.bench.scaling.ScalingReport;
import dev.nucleus.bench.scaling.ScalingResult;
import dev.nucleus.bench.scaling.ScalingSeries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scaling series in {@code nucleus bench}: which runs select it, how {@code --only} and
 * {@code --list} know it, and how the table, the summary and the JSON show it. One test runs it
 * end to end at quick sizes; nothing is timed.
 */
@Timeout(120)
@DisplayName("Scaling series in the bench")
class ScalingBenchTest {

  @Test
  @DisplayName("a full run takes the scaling series; --quick does not")
  void shouldRunInFullRunsOnly() {
    final List<ScalingSeries> series = ScalingSeries.defaults();

    assertThat(series).extracting(ScalingSeries::name).containsExactly("lrpc-scaling");
    assertThat(BenchCommand.scalingSelection(series, false)).isEqualTo(series);
    assertThat(BenchCommand.scalingSelection(series, true)).isEmpty();
  }

  @Test
  @DisplayName("--list shows the series; an unknown name in --only lists it among the known ones")
  void shouldListTheSeries() {
    final Captured list = capture(() -> BenchMain.run("bench", "--list"));
    final Captured unknown = capture(() -> BenchMain.run("bench", "--only", "lrpc-scaling,no-such-thing"));

    assertThat(list.exit()).isZero();
    assertThat(list.out().lines().toList()).anySatisfy(l ->
        assertThat(l).startsWith("lrpc-scaling ").contains("scaling series").contains("not --quick"));
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err().lines().toList()).singleElement().asString()
        .contains("unknown mechanism no-such-thing;").contains("lrpc-scaling");
  }

  private static ScalingResult result() {
    return new ScalingResult("lrpc-scaling", "Bench.echo(long), one word each way", 4, 4, 16, 2, "ADAPTIVE", 3, 500,
        300, 40_000, List.of(
            new ScalingPoint(1, 1, List.of(100_000.0, 110_000.0, 90_000.0), 30_000, 50_000, 8_000, 20_000),
            new ScalingPoint(2, 2, List.of(150_000.0, 160_000.0, 140_000.0), 45_000, 75_000, 12_000, 40_000),
            new ScalingPoint(64, 4, List.of(120_000.0, 125_000.0, 115_000.0), 36_000, 60_000, -1, -1)));
  }

  private static ScalingReport report() {
    return new ScalingReport(List.of(result()), List.of());
  }

  private static BenchReport noRoundTrips() {
    return new BenchReport(List.of(), List.of(), 3, Duration.ZERO);
  }

  @Test
  @DisplayName("the table gives each count's rate, spread, latencies, speedup and efficiency, the CPUs, and the summary counts it")
  void shouldPrintTheTable() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReportTable.print(noRoundTrips(), OneWayReport.empty(), report(), List.of(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    final String text = bytes.toString(StandardCharsets.UTF_8);

    assertThat(text).doesNotContain("Round-trip latency").contains("Throughput against concurrent clients (lrpc-scaling)");
    assertThat(text).contains("one RpcServer pool of 4 threads").contains("ADAPTIVE waits").contains("(225,000 calls in all)");
    assertThat(text).contains("This machine has 2 CPU(s) for the clients and the server's threads together, so the curve flattens from about 2 clients on");
    assertThat(text).containsPattern("clients +processes +median calls/s +min\\.\\.max calls/s +p50 +p99 +speedup +efficiency");
    assertThat(text).containsPattern("\\n +1 +1 +100,000 +90,000\\.\\.110,000 +8\\.0 us +20\\.0 us +1\\.00x +100%");
    assertThat(text).containsPattern("\\n +2 +2 +150,000 +140,000\\.\\.160,000 +12\\.0 us +40\\.0 us +1\\.50x +75%");
    assertThat(text).containsPattern("\\n +64 +4 +120,000 +115,000\\.\\.125,000 +- +- +1\\.20x +2%");
    assertThat(text.strip().lines().reduce((a, b) -> b).orElseThrow())
        .endsWith("; scaling: 1 measured, 0 skipped, 0 failed");
  }

  @Test
  @DisplayName("a failed series is printed as FAILED with its reason")
  void shouldPrintAFailure() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final ScalingReport failed =
        new ScalingReport(List.of(), List.of(new Skipped("lrpc-scaling", "failed: client 3: wrong reply", true)));
    ReportTable.print(noRoundTrips(), OneWayReport.empty(), failed, List.of(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("FAILED  lrpc-scaling: failed: client 3: wrong reply")
        .contains("; scaling: 0 measured, 0 skipped, 1 failed");
    assertThat(failed.anyFailed()).isTrue();
  }

  @Test
  @DisplayName("the JSON has the series under scaling: setup, and per count rates, latencies, speedup and efficiency")
  void shouldWriteTheJson(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("bench.json");
    ReportJson.write(noRoundTrips(), OneWayReport.empty(), report(), Map.of(), List.of(), file);
    final JsonNode root = new ObjectMapper().readTree(Files.readString(file));

    final JsonNode series = root.at("/scaling/results/0");
    assertThat(series.get("name").asText()).isEqualTo("lrpc-scaling");
    assertThat(series.get("server_threads").asInt()).isEqualTo(4);
    assertThat(series.get("client_processes").asInt()).isEqualTo(4);
    assertThat(series.get("cpus").asInt()).isEqualTo(2);
    assertThat(series.get("checked_calls").asLong()).isEqualTo(225_000);
    final JsonNode two = series.at("/points/1");
    assertThat(two.get("clients").asInt()).isEqualTo(2);
    assertThat(two.at("/calls_per_s/median").asLong()).isEqualTo(150_000);
    assertThat(two.at("/calls_per_s/min").asLong()).isEqualTo(140_000);
    assertThat(two.get("calls_per_s_per_round")).hasSize(3);
    assertThat(two.at("/latency_ns/p99").asLong()).isEqualTo(40_000);
    assertThat(two.get("speedup").asDouble()).isEqualTo(1.5);
    assertThat(two.get("efficiency").asDouble()).isEqualTo(0.75);
    assertThat(series.at("/points/2/latency_ns/p50").isNull()).isTrue();
    assertThat(root.at("/scaling/skipped")).isEmpty();
  }

  @Test
  @DisplayName("bench --only lrpc-scaling runs the series alone, end to end: its table, its JSON, exit 0")
  void shouldRunTheSeriesAloneEndToEnd(@TempDir Path dir) throws Exception {
    final Path json = dir.resolve("scaling.json");

    final Captured r = capture(() ->
        BenchMain.run("bench", "--only", "lrpc-scaling", "--quick", "--runs", "1", "--json", json.toString()));

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).doesNotContain("Round-trip latency").contains("Throughput against concurrent clients");
    assertThat(r.err()).contains("[scaling] lrpc-scaling 64 client(s) in 4 process(es): median ");
    final JsonNode root = new ObjectMapper().readTree(Files.readString(json));
    assertThat(root.at("/scaling/results/0/points")).hasSize(7);
    assertThat(root.at("/results")).as("no round-trip entry ran").isEmpty();
  }

  /** What a command printed: {@code out} stdout, {@code err} stderr. */
  private record Captured(int exit, String out, String err) {}

  private static Captured capture(java.util.function.IntSupplier command) {
    final PrintStream savedOut = System.out;
    final PrintStream savedErr = System.err;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = command.getAsInt();
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new Captured(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
