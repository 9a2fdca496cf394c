package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nucleus.bench.oneway.OneWayMechanism;
import dev.nucleus.bench.oneway.OneWayReport;
import dev.nucleus.bench.oneway.OneWayResult;
import dev.nucleus.bench.oneway.OneWayTargets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-way entries in {@code nucleus bench}: which runs select them, how {@code --only} and
 * {@code --list} know them, and how the table, the verdicts and the JSON show them. Nothing is
 * measured.
 */
@Timeout(60)
@DisplayName("One-way entries in the bench")
class OneWayBenchTest {

  private static final List<String> ALL =
      List.of("queue-process", "aeron-ipc-oneway", "queue-thread", "agrona-oneway", "jctools-oneway");

  @Test
  @DisplayName("a full run takes every one-way entry; --quick only the two-process pair that is judged against Aeron")
  void shouldSelectThePairForQuickAndAllForAFullRun() {
    final List<OneWayMechanism> entries = OneWayMechanism.defaults();

    assertThat(entries).extracting(OneWayMechanism::name).containsExactlyElementsOf(ALL);
    assertThat(BenchCommand.oneWaySelection(entries, false)).extracting(OneWayMechanism::name)
        .containsExactlyElementsOf(ALL);
    assertThat(BenchCommand.oneWaySelection(entries, true)).extracting(OneWayMechanism::name)
        .containsExactly("queue-process", "aeron-ipc-oneway");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"floor-java-process-spin", "queue-pingpong-process"})
  @DisplayName("the queue round trip and its Java floor are default entries against floor-c-spin, in full runs and --only, not in --quick")
  void shouldRunTheQueuePingPongInFullRunsOnly(String name) {
    final MechanismRegistry defaults = MechanismRegistry.defaults();
    final PingPong pingPong = defaults.select(List.of(name)).get(0);

    assertThat(pingPong.floor()).isEqualTo(MechanismRegistry.FLOOR_C_SPIN);
    assertThat(pingPong).isInstanceOf(ForkedPingPong.class);
    assertThat(BenchCommand.selection(defaults, false, false)).contains(pingPong);
    assertThat(BenchCommand.selection(defaults, true, false)).doesNotContain(pingPong);
  }

  @Test
  @DisplayName("the Java floor runs right before the queue round trip, next to it in time")
  void shouldRunTheJavaFloorRightBeforeTheQueuePingPong() {
    final List<String> names = MechanismRegistry.defaults().all().stream().map(PingPong::name).toList();

    assertThat(names.indexOf("queue-pingpong-process") - names.indexOf("floor-java-process-spin")).isEqualTo(1);
  }

  @Test
  @DisplayName("an unknown name in --only is a one-line error that lists the one-way entries too")
  void shouldListTheOneWayNamesForAnUnknownName() {
    final PrintStream savedErr = System.err;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = BenchMain.run("bench", "--only", "queue-process,no-such-thing");
    } finally {
      System.setErr(savedErr);
    }
    final String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(2);
    assertThat(text.lines().toList()).singleElement().asString()
        .contains("unknown mechanism no-such-thing;")
        .contains("floor-c-spin")
        .contains("queue-process, aeron-ipc-oneway, queue-thread, agrona-oneway, jctools-oneway");
  }

  @Test
  @DisplayName("--list shows each one-way entry and whether --quick runs it")
  void shouldListTheOneWayEntries() {
    final PrintStream savedOut = System.out;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(BenchMain.run("bench", "--list")).isZero();
    } finally {
      System.setOut(savedOut);
    }
    final List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("queue-process ").contains("one-way, quick"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("jctools-oneway ").contains("one-way ")
        .doesNotContain("quick"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("queue-pingpong-process ").contains("vs floor-c-spin"));
  }

  private static OneWayReport oneWay() {
    final List<OneWayResult> results = new ArrayList<>();
    results.add(new OneWayResult("queue-process", 8, 1_000_000, List.of(30e6, 31e6, 29e6), 0.0, 0.01, 0));
    results.add(new OneWayResult("aeron-ipc-oneway", 8, 1_000_000, List.of(20e6, 21e6, 19e6), 0.02, 0.0, 4_321));
    return new OneWayReport(results, List.of(new Skipped("agrona-oneway", "failed: stall", true)));
  }

  private static BenchReport noRoundTrips() {
    return new BenchReport(List.of(), List.of(), 3, Duration.ZERO);
  }

  @Test
  @DisplayName("the summary prints the one-way table, a bar-met verdict as such, and the one-way counts")
  void shouldPrintTheOneWayTableAndVerdicts() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Targets.Verdict> verdicts = OneWayTargets.check(oneWay());
    ReportTable.print(noRoundTrips(), oneWay(), verdicts, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    final String text = bytes.toString(StandardCharsets.UTF_8);

    assertThat(text).doesNotContain("Round-trip latency").contains("One-way throughput");
    assertThat(text).containsPattern("queue-process +8 B +3 +1,000,000 +30\\.00 +29\\.00\\.\\.31\\.00 +0 +0\\.00 / 0\\.01");
    assertThat(text).contains("FAILED  agrona-oneway: failed: stall");
    assertThat(text).contains("  bar met  queue-process 8 B throughput >= 2.0x aeron-ipc-oneway (bar: >= 1x): 1.50x");
    assertThat(text).contains("targets: 1 of 2 met in this bench, 1 more at their bar");
    assertThat(text.strip().lines().reduce((a, b) -> b).orElseThrow())
        .endsWith("; one-way: 2 measured, 0 skipped, 1 failed");
  }

  @Test
  @DisplayName("the JSON has the one-way figures under one_way and each verdict's outcome")
  void shouldWriteTheOneWayFiguresAsJson(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("bench.json");
    ReportJson.write(noRoundTrips(), oneWay(), Map.of(), OneWayTargets.check(oneWay()), file);
    final JsonNode root = new ObjectMapper().readTree(Files.readString(file));

    final JsonNode queue = root.at("/one_way/results/0");
    assertThat(queue.get("name").asText()).isEqualTo("queue-process");
    assertThat(queue.get("bytes").asInt()).isEqualTo(8);
    assertThat(queue.at("/msgs_per_s/median").asLong()).isEqualTo(30_000_000L);
    assertThat(queue.at("/msgs_per_s/min").asLong()).isEqualTo(29_000_000L);
    assertThat(queue.at("/msgs_per_s/max").asLong()).isEqualTo(31_000_000L);
    assertThat(queue.get("msgs_per_s_per_round")).hasSize(3);
    assertThat(queue.at("/alloc_bytes_per_msg/receiver").asDouble()).isEqualTo(0.01);
    assertThat(root.at("/one_way/results/1/back_pressure_retries").asLong()).isEqualTo(4_321);
    assertThat(root.at("/one_way/skipped/0/failed").asBoolean()).isTrue();
    assertThat(root.at("/targets/0/outcome").asText()).isEqualTo("bar met");
    assertThat(root.at("/targets/0/met").asBoolean()).isTrue();
  }
}
