package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The verdicts on the LRPC entries' targets (issue 12, item 6), from constructed results: the null
 * call over a process binding within 1.15x {@code floor-c-spin} (the goal) and within 1.3x the raw
 * kernel call of the same placement (the bar), and the thread binding within the same bar; the
 * process binding at least 100x below the same call over gRPC ({@code grpc-kv-null}); the 1 MiB
 * argument within 2x {@code floor-memcpy-1MiB}, with its ratio to {@code floor-handoff-1MiB} told.
 */
class LrpcTargetsTest {

  private static final String PROCESS_GOAL = "lrpc-process-null p50 <= 1.15x floor-c-spin";
  private static final String PROCESS_BAR = "lrpc-process-null p50 <= 1.3x nucleus-process-spin (the raw kernel call)";
  private static final String BULK_GOAL = "lrpc-process-1MiB p50 <= 2.0x floor-memcpy-1MiB";
  private static final String THREAD_BAR = "lrpc-thread-null p50 <= 1.3x nucleus-thread-spin (the raw kernel call)";

  /** A result with these per-run p50s (its p50 their median). */
  private static MechanismResult result(String name, long... p50s) {
    final long p50 = Medians.of(p50s);
    return new MechanismResult(name, p50s.length, 1000, new Percentiles(p50, p50, p50, p50, p50), 1e9 / p50, null,
        null, null, java.util.Arrays.stream(p50s).boxed().toList());
  }

  private static List<Targets.Verdict> check(MechanismResult... results) {
    return Targets.check(new BenchReport(List.of(results), List.of(), 3, Duration.ofSeconds(1)), Map.of());
  }

  private static Targets.Verdict verdict(List<Targets.Verdict> verdicts, String target) {
    return verdicts.stream()
        .filter(v -> v.target().equals(target))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no verdict '" + target + "' in " + verdicts));
  }

  @Test
  @DisplayName("the process binding meets its goal and its bar: both verdicts, with the figures and the per-run ratios")
  void processBindingMeetsGoalAndBar() {
    final List<Targets.Verdict> verdicts = check(
        result("floor-c-spin", 200, 200, 200),
        result("nucleus-process-spin", 200, 210, 220),
        result("lrpc-process-null", 220, 230, 240));

    assertThat(verdict(verdicts, PROCESS_GOAL)).satisfies(v -> {
      assertThat(v.met()).isTrue();
      assertThat(v.detail()).isEqualTo("1.15x (230 / 200 ns)");
    });
    assertThat(verdict(verdicts, PROCESS_BAR)).satisfies(v -> {
      assertThat(v.met()).isTrue();
      assertThat(v.detail()).isEqualTo("1.10x (230 / 210 ns); per-run ratios 1.09..1.10");
    });
  }

  @Test
  @DisplayName("each LRPC target fails on the figure it judges")
  void eachTargetFailsOnItsOwnFigure() {
    final List<Targets.Verdict> slowerThanTheFloorAllows = check(
        result("floor-c-spin", 200),
        result("nucleus-process-spin", 200),
        result("lrpc-process-null", 231));
    final List<Targets.Verdict> slowerThanTheRawCallAllows = check(
        result("floor-c-spin", 100),
        result("nucleus-process-spin", 150),
        result("lrpc-process-null", 196));

    assertThat(verdict(slowerThanTheFloorAllows, PROCESS_GOAL).met()).isFalse();
    assertThat(verdict(slowerThanTheFloorAllows, PROCESS_BAR).met()).isTrue();
    assertThat(verdict(slowerThanTheRawCallAllows, PROCESS_GOAL).met()).as("1.96x the floor").isFalse();
    assertThat(verdict(slowerThanTheRawCallAllows, PROCESS_BAR).met()).as("1.31x the raw call").isFalse();
  }

  @Test
  @DisplayName("the thread binding is judged against the raw call between thread spaces, with the same bar")
  void threadBindingHasTheSameBar() {
    final List<Targets.Verdict> met = check(result("nucleus-thread-spin", 200), result("lrpc-thread-null", 260));
    final List<Targets.Verdict> missed = check(result("nucleus-thread-spin", 200), result("lrpc-thread-null", 261));

    assertThat(verdict(met, THREAD_BAR).met()).isTrue();
    assertThat(verdict(met, THREAD_BAR).detail()).isEqualTo("1.30x (260 / 200 ns); per-run ratios 1.30..1.30");
    assertThat(verdict(missed, THREAD_BAR).met()).isFalse();
  }

  @Test
  @DisplayName("the process binding's null call must be at least 100x below the same call over gRPC, by the ratio of the medians")
  void processBindingIsAHundredTimesBelowGrpc() {
    final String target = "lrpc-process-null p50 at least 100x below grpc-kv-null";
    final List<Targets.Verdict> met = check(result("lrpc-process-null", 800, 840, 900), result("grpc-kv-null", 90_000, 84_000, 80_000));
    final List<Targets.Verdict> missed = check(result("lrpc-process-null", 840), result("grpc-kv-null", 83_999));

    assertThat(verdict(met, target).met()).isTrue();
    assertThat(verdict(met, target).detail()).isEqualTo("100x (840 vs 84000 ns)");
    assertThat(verdict(missed, target).met()).isFalse();
    assertThat(check(result("lrpc-process-null", 840), result("rmi-kv-null", 40_000)))
        .as("rmi-kv-null is reported, not judged")
        .isEmpty();
  }

  @Test
  @DisplayName("an LRPC target is judged only when both of its figures were measured")
  void judgedOnlyWithBothFigures() {
    assertThat(check(result("lrpc-process-null", 230), result("lrpc-thread-null", 230))).isEmpty();
    assertThat(check(result("floor-c-spin", 200), result("lrpc-process-null", 230)))
        .extracting(Targets.Verdict::target)
        .containsExactly(PROCESS_GOAL);
  }

  @Test
  @DisplayName("a factor is written as performance.md writes it")
  void factorsAreWrittenAsTheDocWritesThem() {
    assertThat(Targets.times(2.0)).isEqualTo("2.0");
    assertThat(Targets.times(1.3)).isEqualTo("1.3");
    assertThat(Targets.times(1.15)).isEqualTo("1.15");
  }

  @Test
  @DisplayName("the 1 MiB argument is judged against memcpy alone; its detail adds the transfer floor where measured")
  void bulkArgumentAgainstMemcpyWithTheTransferFloorTold() {
    final Targets.Verdict alone =
        verdict(check(result("floor-memcpy-1MiB", 20_000), result("lrpc-process-1MiB", 150_000)), BULK_GOAL);
    assertThat(alone.met()).isFalse();
    assertThat(alone.detail()).as("no handoff floor measured").isEqualTo("7.50x (150000 / 20000 ns)");

    final Targets.Verdict told = verdict(check(result("floor-memcpy-1MiB", 20_000),
        result("floor-handoff-1MiB", 100_000), result("lrpc-process-1MiB", 150_000)), BULK_GOAL);
    assertThat(told.met()).as("judged on memcpy alone").isFalse();
    assertThat(told.detail())
        .isEqualTo("7.50x (150000 / 20000 ns); 1.50x floor-handoff-1MiB (100000 ns), which is itself 5.00x memcpy");

    assertThat(verdict(check(result("floor-memcpy-1MiB", 20_000), result("lrpc-process-1MiB", 40_000)), BULK_GOAL)
        .met()).isTrue();
  }
}
