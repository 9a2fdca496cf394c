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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdicts on performance.md's targets, from constructed results (nothing is measured). */
class TargetsTest {

  private static final String SPIN_VS_AERON = "nucleus-process-spin vs aeron-ipc (busy spin)";
  private static final String BLOCK_VS_PIPE =
      "nucleus-process-block-pinned p50 no worse than pipe-pinned";

  private static MechanismResult result(String name, long p50) {
    return result(name, p50, null);
  }

  private static MechanismResult result(String name, long p50, Allocation allocation) {
    return new MechanismResult(
        name, 5, 1000, new Percentiles(p50, p50, p50, p50, p50), 1e9 / p50, null, null, allocation, List.of());
  }

  /** A result with these per-run p50s (its p50 their median) and this p99. */
  private static MechanismResult perRun(String name, long p99, long... p50s) {
    final List<Long> runs = java.util.Arrays.stream(p50s).boxed().toList();
    final long p50 = Medians.of(p50s);
    return new MechanismResult(
        name, p50s.length, 1000, new Percentiles(p50, p50, p99, p99, p99), 1e9 / p50, null, null, null, runs);
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
            perRun("nucleus-process-spin", 400, 171, 190, 175).withAllocations(List.of(zero)),
            result("nucleus-process-block", 22_000, zero),
            result("nucleus-process-adaptive", 200, zero),
            result("pipe", 23_000),
            result("floor-c-futex-pinned", 6_000),
            result("nucleus-process-block-pinned", 6_500, zero),
            result("pipe-pinned", 7_000),
            result("unix-socket", 30_000),
            perRun("aeron-ipc", 3_000, 190, 200, 185),
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
        .isEqualTo("1.25x (175 / 140 ns)");
    assertThat(verdict(verdicts, SPIN_VS_AERON).detail())
        .isEqualTo(
            "p50 0.95x (median of 3 per-run ratios; 175 vs 190 ns), p99 0.13x (400 vs 3000 ns);"
                + " ahead in every run (per-run ratios 0.90..0.95)");
    assertThat(verdict(verdicts, BLOCK_VS_PIPE).detail())
        .isEqualTo("6.5 vs 7.0 µs; unpinned (placement-dependent, not judged): 22.0 vs 23.0 µs");
    assertThat(verdict(verdicts, "nucleus-process-adaptive p50 at least 50x below grpc-tcp").detail())
        .isEqualTo("1250x (200 vs 250000 ns)");
    assertThat(verdict(verdicts, "an idle nucleus-process-adaptive server").detail()).isEqualTo("1.00%");
    assertThat(verdict(verdicts, "0 B per round trip").detail()).isEqualTo("0.00 / 0.00 in all 7");
  }

  @Test
  void eachTargetFailsOnTheFigureItJudges() {
    final List<MechanismResult> results = allMet();
    results.replaceAll(
        r ->
            switch (r.name()) {
              case "nucleus-process-spin" -> perRun(r.name(), 400, 200, 210, 195); // behind every run
              case "nucleus-process-block" -> result(r.name(), 27_000, r.allocation()); // 1.35x futex
              case "nucleus-process-block-pinned" -> result(r.name(), 7_001, r.allocation());
              case "nucleus-thread-adaptive" -> result(r.name(), 200, new Allocation(16.0, 0.0));
              case "unix-socket" -> result(r.name(), 1_999); // 9.995x the adaptive p50
              default -> r;
            });
    final List<Targets.Verdict> verdicts =
        Targets.check(
            report(results.toArray(MechanismResult[]::new)), Map.of("nucleus-thread-adaptive", 0.05));

    assertThat(verdict(verdicts, SPIN_VS_AERON).met()).isFalse();
    assertThat(verdict(verdicts, "nucleus-process-block p50 <= 1.3x").met()).isFalse();
    assertThat(verdict(verdicts, BLOCK_VS_PIPE).met()).isFalse();
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
  @DisplayName("spinning: met when the median per-run p50 ratio is <= 1.0 and the p99 at most a third of Aeron's")
  void spinningIsJudgedOnTheMedianOfPerRunRatiosAndTheP99() {
    final Targets.Verdict v =
        verdict(
            Targets.check(
                report(
                    perRun("nucleus-process-spin", 700, 180, 590, 200),
                    perRun("aeron-ipc", 21_000, 200, 600, 210)),
                Map.of()),
            SPIN_VS_AERON);
    assertThat(v.met()).isTrue();
    assertThat(v.target())
        .isEqualTo(SPIN_VS_AERON + ": median per-run p50 ratio <= 1.0, p99 <= 1/3 of aeron-ipc's");
    assertThat(v.detail())
        .isEqualTo(
            "p50 0.95x (median of 3 per-run ratios; 200 vs 210 ns), p99 0.03x (700 vs 21000 ns);"
                + " ahead in every run (per-run ratios 0.90..0.98)");
  }

  @Test
  @DisplayName("spinning: the per-run ratios are judged, not the ratio of the medians")
  void perRunRatiosAreJudgedNotTheRatioOfTheMedians() {
    // Run 1 in the VM's fast phase, runs 2 and 3 in its slow one, for both alike.
    final Targets.Verdict v =
        verdict(
            Targets.check(
                report(
                    perRun("nucleus-process-spin", 700, 190, 570, 600),
                    perRun("aeron-ipc", 21_000, 200, 560, 610)),
                Map.of()),
            SPIN_VS_AERON);
    assertThat(v.met()).as("570 / 560 ns would miss; run by run 0.95, 1.02, 0.98").isTrue();
    assertThat(v.detail()).startsWith("p50 0.98x (median of 3 per-run ratios; 570 vs 560 ns)");
  }

  @Test
  @DisplayName("spinning: per-run ratios on both sides of 1.0 are reported as parity within the spread, not as a win")
  void parityWithinTheSpreadIsReportedAsSuch() {
    final Targets.Verdict v =
        verdict(
            Targets.check(
                report(
                    perRun("nucleus-process-spin", 730, 591, 601, 561, 171, 611),
                    perRun("aeron-ipc", 21_000, 601, 631, 661, 171, 490)),
                Map.of()),
            SPIN_VS_AERON);
    assertThat(v.met()).as("the median rule is met").isTrue();
    assertThat(v.detail())
        .isEqualTo(
            "p50 0.98x (median of 5 per-run ratios; 591 vs 601 ns), p99 0.03x (730 vs 21000 ns);"
                + " parity within the spread (per-run ratios 0.85..1.25)");
  }

  @Test
  @DisplayName("spinning: a median per-run ratio above 1.0 misses, even with a far lower p99")
  void aMedianRatioAboveOneMisses() {
    final Targets.Verdict v =
        verdict(
            Targets.check(
                report(
                    perRun("nucleus-process-spin", 700, 210, 196, 220),
                    perRun("aeron-ipc", 21_000, 200, 200, 200)),
                Map.of()),
            SPIN_VS_AERON);
    assertThat(v.met()).isFalse();
    assertThat(v.detail()).startsWith("p50 1.05x").endsWith("parity within the spread (per-run ratios 0.98..1.10)");
  }

  @Test
  @DisplayName("spinning: a p99 above a third of Aeron's misses on its own, however far ahead the p50")
  void theP99RuleFailsAlone() {
    final MechanismResult aeron = perRun("aeron-ipc", 3_000, 200, 200, 200);
    final Targets.Verdict over =
        verdict(
            Targets.check(report(perRun("nucleus-process-spin", 1_001, 100, 100, 100), aeron), Map.of()),
            SPIN_VS_AERON);
    assertThat(over.met()).isFalse();
    assertThat(over.detail())
        .isEqualTo(
            "p50 0.50x (median of 3 per-run ratios; 100 vs 200 ns), p99 0.33x (1001 vs 3000 ns);"
                + " ahead in every run (per-run ratios 0.50..0.50)");
    final Targets.Verdict third =
        verdict(
            Targets.check(report(perRun("nucleus-process-spin", 1_000, 100, 100, 100), aeron), Map.of()),
            SPIN_VS_AERON);
    assertThat(third.met()).as("exactly a third").isTrue();
  }

  @Test
  @DisplayName("spinning: runs that do not pair up fall back to the ratio of the medians, and say so")
  void unpairedRunsFallBackToTheMedians() {
    final Targets.Verdict v =
        verdict(
            Targets.check(
                report(
                    perRun("nucleus-process-spin", 500, 180, 188),
                    perRun("aeron-ipc", 21_000, 200, 200, 200)),
                Map.of()),
            SPIN_VS_AERON);
    assertThat(v.met()).isTrue();
    assertThat(v.detail())
        .isEqualTo("p50 0.92x (ratio of the medians: runs not paired; 184 vs 200 ns), p99 0.02x (500 vs 21000 ns)");
  }

  @Test
  @DisplayName("blocking: judged on the pinned pair; the unpinned figures follow, marked placement-dependent")
  void blockingIsJudgedOnThePinnedPair() {
    final Targets.Verdict v =
        verdict(
            Targets.check(
                report(
                    perRun("nucleus-process-block", 500_000, 60_000, 7_000, 58_000),
                    perRun("pipe", 500_000, 7_400, 7_500, 7_300),
                    perRun("nucleus-process-block-pinned", 500_000, 6_600, 6_700, 7_500),
                    perRun("pipe-pinned", 500_000, 7_100, 7_400, 7_200)),
                Map.of()),
            BLOCK_VS_PIPE);
    assertThat(v.met()).as("the pinned pair decides; unpinned, Nucleus drew the slow band").isTrue();
    assertThat(v.target()).isEqualTo(BLOCK_VS_PIPE + " (each pair on one CPU)");
    assertThat(v.detail())
        .isEqualTo(
            "6.7 vs 7.2 µs; run by run: ahead in 2, level in 0, behind in 1 of 3;"
                + " unpinned (placement-dependent, not judged): 58.0 vs 7.4 µs");
  }

  @Test
  @DisplayName("blocking: the unpinned pair alone is not judged; the pinned pair alone is, without unpinned figures")
  void blockingNeedsThePinnedPair() {
    final List<Targets.Verdict> unpinnedOnly =
        Targets.check(report(result("nucleus-process-block", 7_000), result("pipe", 60_000)), Map.of());
    assertThat(unpinnedOnly).as("nothing else is measured for another target either").isEmpty();

    final Targets.Verdict pinnedOnly =
        verdict(
            Targets.check(
                report(result("nucleus-process-block-pinned", 7_000), result("pipe-pinned", 7_000)),
                Map.of()),
            BLOCK_VS_PIPE);
    assertThat(pinnedOnly.met()).as("equal p50s are no worse").isTrue();
    assertThat(pinnedOnly.detail()).isEqualTo("7.0 vs 7.0 µs");
  }

  @Test
  void runsThatDoNotPairUpAreNotCompared() {
    final MechanismResult a = result("x", 1);
    final MechanismResult withRuns =
        new MechanismResult("y", 2, 1000, new Percentiles(1, 0, 0, 0, 0), 1, null, null, null, List.of(1L, 2L));
    assertThat(Targets.byRun(a, withRuns)).isEmpty();
    assertThat(Targets.byRun(withRuns, a)).isEmpty();
    assertThat(Targets.perRunRatios(a, withRuns)).isEmpty();
    assertThat(Targets.perRunRatios(withRuns, a)).isEmpty();
  }

  @Test
  @DisplayName("queue ping-pong: judged against floor-c-spin; the detail adds the Java floor of the same JVMs where measured")
  void queuePingPongIsJudgedAgainstTheCFloorWithTheJavaFloorTold() {
    final String target = "queue-pingpong-process p50 <= 1.2x floor-c-spin";
    final Targets.Verdict alone = verdict(
        Targets.check(report(result("floor-c-spin", 400), result("queue-pingpong-process", 480)), Map.of()), target);
    assertThat(alone.met()).isTrue();
    assertThat(alone.detail()).as("no Java floor measured").isEqualTo("1.20x (480 / 400 ns)");

    final Targets.Verdict told = verdict(Targets.check(report(result("floor-c-spin", 400),
        result("floor-java-process-spin", 300), result("queue-pingpong-process", 490)), Map.of()), target);
    assertThat(told.met()).as("judged on the C floor alone").isFalse();
    assertThat(told.detail()).isEqualTo("1.23x (490 / 400 ns); 1.63x floor-java-process-spin (300 ns)");
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
    final String detail = "p50 1.05x (ratio of the medians: runs not paired; 200 vs 190 ns), p99 1.05x (200 vs 190 ns)";
    final List<Targets.Verdict> verdicts = Targets.check(report, Map.of());
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReportTable.print(report, verdicts, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines)
        .contains(
            "  NOT MET  " + SPIN_VS_AERON + ": median per-run p50 ratio <= 1.0, p99 <= 1/3 of aeron-ipc's: " + detail,
            "targets: 0 of 1 met in this bench");
    assertThat(lines.getLast()).startsWith("bench: 2 measured");

    final Path file = dir.resolve("bench.json");
    ReportJson.write(report, Map.of(), verdicts, file);
    final String json = Files.readString(file);
    assertThat(json)
        .contains("\"targets\"")
        .contains("\"target\" : \"" + SPIN_VS_AERON + ": median per-run p50 ratio <= 1.0, p99 <= 1/3 of aeron-ipc's\"")
        .contains("\"met\" : false")
        .contains("\"detail\" : \"" + detail + "\"");
  }
}
