package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {

  private static MechanismResult result(String name, long p50) {
    return result(name, p50, null);
  }

  private static MechanismResult result(String name, long p50, Allocation allocation) {
    return new MechanismResult(
        name, 5, 1000, new Percentiles(p50, p50, p50, p50, p50), 1e9 / p50, null, null, allocation, List.of());
  }

  private static BenchReport report(MechanismResult... results) {
    return new BenchReport(List.of(results), List.of(), 5, Duration.ofSeconds(1));
  }

  private static Targets.Verdict verdict(List<Targets.Verdict> verdicts, String targetPrefix) {
    return verdicts.stream()
        .filter(v -> v.target().startsWith(targetPrefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no verdict for " + targetPrefix + " in " + verdicts));
  }

  /** Every figure the targets compare, each target met by a margin. */
  private static List<MechanismResult> allMet() {
    final Allocation zero = new Allocation(0.0, 0.0);
    return new ArrayList<>(
        List.of(
            result("floor-c-spin", 140),
            result("floor-c-futex", 20_000),
            result("floor-java-spin", 130),
            result("nucleus-thread-spin", 200, zero),
            result("nucleus-thread-block", 21_000, zero),
            result("nucleus-thread-adaptive", 200, zero),
            result("nucleus-process-spin", 180, zero),
            result("nucleus-process-block", 22_000, zero),
            result("nucleus-process-adaptive", 200, zero),
            result("pipe", 23_000),
            result("unix-socket", 30_000),
            result("aeron-ipc", 190),
            result("grpc-tcp", 250_000)));
  }

  @Test
  void aBenchThatMeetsEveryTargetGetsAVerdictForEach() {
    final Map<String, Double> idle = new LinkedHashMap<>();
    idle.put("nucleus-thread-adaptive", 0.0025);
    idle.put("nucleus-process-adaptive", 0.01);
    final List<Targets.Verdict> verdicts =
        Targets.check(report(allMet().toArray(MechanismResult[]::new)), idle);

    assertThat(verdicts).hasSize(13).allMatch(Targets.Verdict::met);
    assertThat(verdict(verdicts, "nucleus-process-spin p50 <= 2.0x").detail())
        .isEqualTo("1.29x (180 / 140 ns)");
    assertThat(verdict(verdicts, "nucleus-process-spin p50 below aeron-ipc").detail())
        .isEqualTo("180 vs 190 ns");
    assertThat(verdict(verdicts, "nucleus-process-block p50 no worse than pipe").detail())
        .isEqualTo("22.0 vs 23.0 µs");
    assertThat(verdict(verdicts, "nucleus-process-adaptive p50 at least 50x below grpc-tcp").detail())
        .isEqualTo("1250x (200 vs 250000 ns)");
    assertThat(verdict(verdicts, "an idle nucleus-process-adaptive server").detail()).isEqualTo("1.00%");
    assertThat(verdict(verdicts, "0 B per round trip").detail()).isEqualTo("0.00 / 0.00 in all 6");
  }

  @Test
  void eachTargetFailsOnTheFigureItJudges() {
    final List<MechanismResult> results = allMet();
    results.replaceAll(
        r ->
            switch (r.name()) {
              case "nucleus-process-spin" -> result(r.name(), 200, r.allocation()); // = aeron-ipc + 10
              case "aeron-ipc" -> result(r.name(), 190);
              case "nucleus-process-block" -> result(r.name(), 27_000, r.allocation()); // 1.35x futex
              case "nucleus-thread-adaptive" -> result(r.name(), 200, new Allocation(16.0, 0.0));
              case "unix-socket" -> result(r.name(), 1_999); // 9.995x the adaptive p50
              default -> r;
            });
    final List<Targets.Verdict> verdicts =
        Targets.check(
            report(results.toArray(MechanismResult[]::new)), Map.of("nucleus-thread-adaptive", 0.05));

    assertThat(verdict(verdicts, "nucleus-process-spin p50 below aeron-ipc").met()).isFalse();
    assertThat(verdict(verdicts, "nucleus-process-block p50 <= 1.3x").met()).isFalse();
    assertThat(verdict(verdicts, "nucleus-process-block p50 no worse than pipe").met()).isFalse();
    assertThat(verdict(verdicts, "nucleus-process-adaptive p50 at least 10x below unix-socket").met())
        .isFalse();
    assertThat(verdict(verdicts, "an idle nucleus-thread-adaptive server").met())
        .as("5.00% is not under 5%")
        .isFalse();
    final Targets.Verdict alloc = verdict(verdicts, "0 B per round trip");
    assertThat(alloc.met()).isFalse();
    assertThat(alloc.detail()).isEqualTo("nucleus-thread-adaptive 16.00 / 0.00");
    assertThat(verdict(verdicts, "nucleus-process-spin p50 <= 2.0x").met()).isTrue();
  }

  @Test
  void aOneOffAllocationSpreadOverTheWindowIsNotAnAllocationPerRoundTrip() {
    final List<Targets.Verdict> verdicts =
        Targets.check(
            report(
                result("nucleus-process-spin", 180, new Allocation(0.0, 0.0)),
                result("nucleus-root-server-spin", 190, new Allocation(0.10, 0.0))),
            Map.of());
    final Targets.Verdict alloc = verdict(verdicts, "0 B per round trip");
    assertThat(alloc.met()).isTrue();
    assertThat(alloc.detail())
        .isEqualTo("nucleus-root-server-spin 0.10 / 0.00 (one-off, under 1 B); the others 0.00");
  }

  @Test
  void aHeadToHeadSaysHowItWentRunByRun() {
    final MechanismResult spin =
        new MechanismResult("nucleus-process-spin", 5, 1000, new Percentiles(591, 0, 0, 0, 0), 1, null, null,
            null, List.of(591L, 601L, 561L, 171L, 611L));
    final MechanismResult aeron =
        new MechanismResult("aeron-ipc", 5, 1000, new Percentiles(601, 0, 0, 0, 0), 1, null, null,
            null, List.of(601L, 631L, 661L, 171L, 490L));
    final Targets.Verdict v =
        verdict(Targets.check(report(spin, aeron), Map.of()), "nucleus-process-spin p50 below aeron-ipc");
    assertThat(v.met()).isTrue();
    assertThat(v.detail())
        .isEqualTo("591 vs 601 ns; run by run: ahead in 3, level in 1, behind in 1 of 5");
  }

  @Test
  void runsThatDoNotPairUpAreNotCompared() {
    final MechanismResult a = result("x", 1);
    final MechanismResult withRuns =
        new MechanismResult("y", 2, 1000, new Percentiles(1, 0, 0, 0, 0), 1, null, null, null, List.of(1L, 2L));
    assertThat(Targets.byRun(a, withRuns)).isEmpty();
    assertThat(Targets.byRun(withRuns, a)).isEmpty();
  }

  @Test
  void equalP50sMeetNoWorseThanButNotBelow() {
    final List<Targets.Verdict> verdicts =
        Targets.check(
            report(
                result("nucleus-process-spin", 190),
                result("aeron-ipc", 190),
                result("nucleus-process-block", 20_000),
                result("pipe", 20_000)),
            Map.of());
    assertThat(verdict(verdicts, "nucleus-process-spin p50 below aeron-ipc").met()).isFalse();
    assertThat(verdict(verdicts, "nucleus-process-block p50 no worse than pipe").met()).isTrue();
  }

  @Test
  void aTargetIsJudgedOnlyWhenEverythingItComparesWasMeasured() {
    final List<Targets.Verdict> verdicts =
        Targets.check(
            report(result("nucleus-process-spin", 180), result("floor-java-spin", 130)), Map.of());
    assertThat(verdicts).as("no floor-c-spin, no aeron-ipc, no allocation figures").isEmpty();
  }

  @Test
  void verdictsAppearBeforeTheSummaryAndInTheJson(@TempDir Path dir) throws Exception {
    final BenchReport report = report(result("nucleus-process-spin", 200), result("aeron-ipc", 190));
    final List<Targets.Verdict> verdicts = Targets.check(report, Map.of());
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReportTable.print(report, verdicts, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines)
        .contains(
            "  NOT MET  nucleus-process-spin p50 below aeron-ipc (busy spin): 200 vs 190 ns",
            "targets: 0 of 1 met in this bench");
    assertThat(lines.getLast()).startsWith("bench: 2 measured");

    final Path file = dir.resolve("bench.json");
    ReportJson.write(report, Map.of(), verdicts, file);
    final String json = Files.readString(file);
    assertThat(json)
        .contains("\"targets\"")
        .contains("\"target\" : \"nucleus-process-spin p50 below aeron-ipc (busy spin)\"")
        .contains("\"met\" : false")
        .contains("\"detail\" : \"200 vs 190 ns\"");
  }
}
