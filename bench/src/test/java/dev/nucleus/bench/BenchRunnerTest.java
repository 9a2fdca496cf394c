package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BenchRunnerTest {

  private final List<String> progress = new ArrayList<>();
  private final BenchRunner runner = new BenchRunner(progress::add);

  @Test
  void measuresEachMechanismAndComputesRatiosAgainstTheFloor() {
    FakePingPong floor = FakePingPong.constant("floor", null, 100);
    FakePingPong mech =
        new FakePingPong(
            "mech",
            "floor",
            null,
            List.of(new long[] {300}, new long[] {250}, new long[] {1000}),
            0);
    BenchReport report = runner.run(List.of(floor, mech), BenchPlan.standard().withRuns(3));

    assertThat(report.results()).extracting(MechanismResult::name).containsExactly("floor", "mech");
    MechanismResult m = report.results().get(1);
    assertThat(m.runs()).isEqualTo(3);
    assertThat(m.iterations()).isEqualTo(100);
    assertThat(m.rttNs().p50()).isEqualTo(300); // median of 300, 250, 1000
    assertThat(m.p50PerRun()).as("each run's p50, in run order").containsExactly(300L, 250L, 1000L);
    assertThat(m.ratioToFloor()).isEqualTo(3.0);
    assertThat(report.results().get(0).ratioToFloor()).isNull();
    assertThat(report.skipped()).isEmpty();
    assertThat(report.anyFailed()).isFalse();
  }

  @Test
  void interleavesRunsAndReportsOneProgressLinePerRun() {
    FakePingPong a = FakePingPong.constant("a", null, 10);
    FakePingPong b = FakePingPong.constant("b", null, 20);
    runner.run(List.of(a, b), BenchPlan.standard().withRuns(2));
    List<String> runLines = progress.stream().filter(l -> l.startsWith("[run ")).toList();
    assertThat(runLines).hasSize(4);
    assertThat(runLines.get(0)).startsWith("[run 1/2] a");
    assertThat(runLines.get(1)).startsWith("[run 1/2] b");
    assertThat(runLines.get(2)).startsWith("[run 2/2] a");
    assertThat(runLines.get(3)).startsWith("[run 2/2] b");
  }

  @Test
  void unavailableMechanismsAreSkippedWithTheirReasonAndNeverRun() {
    FakePingPong missing =
        new FakePingPong("missing", null, "no C compiler", List.of(new long[] {1}), 0);
    FakePingPong ok = FakePingPong.constant("ok", "missing", 50);
    BenchReport report = runner.run(List.of(missing, ok), BenchPlan.standard().withRuns(1));

    assertThat(missing.calls).isEmpty();
    assertThat(report.skipped()).containsExactly(new Skipped("missing", "no C compiler", false));
    assertThat(report.results()).extracting(MechanismResult::name).containsExactly("ok");
    assertThat(report.results().get(0).ratioToFloor()).isNull(); // its floor did not run
    assertThat(report.anyFailed()).isFalse();
    assertThat(progress).anyMatch(l -> l.contains("missing") && l.contains("no C compiler"));
  }

  @Test
  void aFailingMechanismIsReportedAndNotRunAgain() {
    FakePingPong flaky = new FakePingPong("flaky", null, null, List.of(new long[] {5}), 2);
    FakePingPong ok = FakePingPong.constant("ok", null, 5);
    BenchReport report = runner.run(List.of(flaky, ok), BenchPlan.standard().withRuns(4));

    assertThat(flaky.calls).hasSize(2);
    assertThat(ok.calls).hasSize(4);
    assertThat(report.anyFailed()).isTrue();
    assertThat(report.skipped()).hasSize(1);
    assertThat(report.skipped().get(0).reason()).contains("run 2/4").contains("partner vanished");
    assertThat(report.results()).extracting(MechanismResult::name).containsExactly("ok");
  }

  @Test
  void aMechanismRecordingTheWrongCountFails() {
    PingPong lazy =
        new PingPong() {
          @Override
          public String name() {
            return "lazy";
          }

          @Override
          public String floor() {
            return null;
          }

          @Override
          public String unavailableReason() {
            return null;
          }

          @Override
          public void run(int warmup, int iterations, org.HdrHistogram.Histogram h) {
            Latencies.record(h, 1); // one value, whatever was asked
          }
        };
    BenchReport report =
        runner.run(List.of(lazy), BenchPlan.standard().withRuns(1).withIterations(10));
    assertThat(report.skipped())
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("expected 10"));
  }

  @Test
  void planPassesIterationsAndWarmup() {
    FakePingPong m = FakePingPong.constant("m", null, 1);
    runner.run(List.of(m), BenchPlan.quickPlan()); // default 100 -> 20 measured, 10 warmup
    assertThat(m.calls).hasSize(BenchPlan.QUICK_RUNS);
    assertThat(m.calls.get(0)).containsExactly(10, 20);

    FakePingPong n = FakePingPong.constant("n", null, 1);
    runner.run(List.of(n), BenchPlan.standard().withRuns(1).withIterations(7).withWarmup(3));
    assertThat(n.calls).singleElement().satisfies(c -> assertThat(c).containsExactly(3, 7));
  }

  @Test
  void tableEndsWithTheSummaryLine() {
    BenchReport report =
        runner.run(
            List.of(
                FakePingPong.constant("floor", null, 100),
                FakePingPong.constant("mech", "floor", 150)),
            BenchPlan.standard().withRuns(1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReportTable.print(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines)
        .anyMatch(l -> l.startsWith("mechanism") && l.contains("p99.9") && l.contains("ratio"));
    assertThat(lines).anyMatch(l -> l.startsWith("mech ") && l.endsWith("1.50x"));
    assertThat(lines.getLast()).startsWith("bench: 2 measured, 0 skipped, 0 failed");
  }
}
