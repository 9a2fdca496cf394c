package dev.nucleus.bench.oneway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.bench.Skipped;
import dev.nucleus.bench.Targets.Outcome;
import dev.nucleus.bench.Targets.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one-way verdicts, from given figures (nothing is measured). */
@Timeout(10)
@DisplayName("The one-way targets")
class OneWayTargetsTest {

  private static final String PROCESS_8 = "queue-process 8 B throughput >= 2.0x aeron-ipc-oneway (bar: >= 1x)";
  private static final String PROCESS_56 = "queue-process 56 B throughput >= 2.0x aeron-ipc-oneway (bar: >= 1x)";
  private static final String THREAD_8 = "queue-thread 8 B throughput >= the best of agrona-oneway and jctools-oneway";
  private static final String ALLOCATION = "0 B per message";

  /** A result of {@code millions} of messages per second in every round, allocating {@code bytes} per message. */
  private static OneWayResult result(String name, int bytes, double millions, double allocated) {
    return new OneWayResult(name, bytes, 1_000_000, List.of(millions * 1e6, millions * 1e6, millions * 1e6),
        allocated, allocated, 0);
  }

  private static OneWayReport report(OneWayResult... results) {
    return new OneWayReport(List.of(results), List.of());
  }

  private static Verdict verdict(List<Verdict> verdicts, String prefix) {
    return verdicts.stream().filter(v -> v.target().startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no verdict " + prefix + " in " + verdicts));
  }

  @Test
  @DisplayName("twice Aeron's rate meets the goal, Aeron's rate the bar, less misses, each size on its own")
  void shouldJudgeTheProcessQueueAgainstAeron() {
    final List<Verdict> goal = OneWayTargets.check(report(
        result("queue-process", 8, 40, 0), result("aeron-ipc-oneway", 8, 20, 0),
        result("queue-process", 56, 15, 0), result("aeron-ipc-oneway", 56, 20, 0)));
    final List<Verdict> bar = OneWayTargets.check(report(
        result("queue-process", 8, 30, 0), result("aeron-ipc-oneway", 8, 20, 0)));
    final List<Verdict> level = OneWayTargets.check(report(
        result("queue-process", 8, 20, 0), result("aeron-ipc-oneway", 8, 20, 0)));

    assertThat(verdict(goal, PROCESS_8).outcome()).isEqualTo(Outcome.MET);
    assertThat(verdict(goal, PROCESS_8).detail()).startsWith("2.00x (40.00 M msg/s, rounds 40.00..40.00 vs 20.00");
    assertThat(verdict(goal, PROCESS_56).outcome()).isEqualTo(Outcome.MISSED);
    assertThat(verdict(goal, PROCESS_56).met()).isFalse();
    assertThat(verdict(bar, PROCESS_8).outcome()).isEqualTo(Outcome.BAR_MET);
    assertThat(verdict(bar, PROCESS_8).met()).as("the bar is met").isTrue();
    assertThat(verdict(level, PROCESS_8).outcome()).as("equal to Aeron: the bar").isEqualTo(Outcome.BAR_MET);
  }

  @Test
  @DisplayName("the thread queue is judged against the better of Agrona and JCTools")
  void shouldJudgeTheThreadQueueAgainstTheBestInJvmPeer() {
    final List<Verdict> behindJctools = OneWayTargets.check(report(
        result("queue-thread", 8, 50, 0), result("agrona-oneway", 8, 40, 0), result("jctools-oneway", 8, 60, 0)));
    final List<Verdict> ahead = OneWayTargets.check(report(
        result("queue-thread", 8, 70, 0), result("agrona-oneway", 8, 40, 0), result("jctools-oneway", 8, 60, 0)));
    final List<Verdict> agronaOnly = OneWayTargets.check(report(
        result("queue-thread", 8, 50, 0), result("agrona-oneway", 8, 40, 0)));

    assertThat(verdict(behindJctools, THREAD_8).outcome()).isEqualTo(Outcome.MISSED);
    assertThat(verdict(behindJctools, THREAD_8).detail()).startsWith("0.83x jctools-oneway").contains("agrona-oneway 40.00");
    assertThat(verdict(ahead, THREAD_8).outcome()).isEqualTo(Outcome.MET);
    assertThat(verdict(agronaOnly, THREAD_8).outcome()).isEqualTo(Outcome.MET);
    assertThat(verdict(agronaOnly, THREAD_8).detail()).endsWith("jctools-oneway not measured");
  }

  @Test
  @DisplayName("a Nucleus side that allocates a byte or more per message misses the allocation target; peers are not judged")
  void shouldJudgeAllocationOnTheNucleusQueuesOnly() {
    final List<Verdict> clean = OneWayTargets.check(report(
        result("queue-process", 8, 1, 0.02), result("queue-thread", 56, 1, 0), result("jctools-oneway", 8, 1, 16)));
    final List<Verdict> allocating = OneWayTargets.check(report(
        result("queue-process", 8, 1, 0), result("queue-thread", 56, 1, 16)));

    assertThat(verdict(clean, ALLOCATION).outcome()).isEqualTo(Outcome.MET);
    assertThat(verdict(clean, ALLOCATION).detail())
        .isEqualTo("queue-process 8 B 0.02 / 0.02, queue-thread 56 B 0.00 / 0.00");
    assertThat(verdict(allocating, ALLOCATION).outcome()).isEqualTo(Outcome.MISSED);
    assertThat(verdict(allocating, ALLOCATION).detail()).contains("queue-thread 56 B 16.00 / 16.00");
  }

  @Test
  @DisplayName("a target whose figures were not all measured is not judged")
  void shouldJudgeOnlyWhatWasMeasured() {
    final List<Verdict> processOnly = OneWayTargets.check(report(result("queue-process", 8, 40, 0)));
    final List<Verdict> failed = OneWayTargets.check(new OneWayReport(List.of(result("aeron-ipc-oneway", 8, 20, 0)),
        List.of(new Skipped("queue-process", "failed: x", true))));

    assertThat(processOnly).extracting(Verdict::target).containsExactly(
        "0 B per message: no Nucleus queue side allocates per message (sender / receiver, each < 1 B)");
    assertThat(failed).isEmpty();
    assertThat(OneWayTargets.check(OneWayReport.empty())).isEmpty();
  }

  @Test
  @DisplayName("the verdicts come size by size, then allocation")
  void shouldOrderTheVerdicts() {
    final List<OneWayResult> all = new ArrayList<>();
    for (int bytes : Payload.SIZES) {
      for (String name : List.of("queue-process", "aeron-ipc-oneway", "queue-thread", "agrona-oneway",
          "jctools-oneway")) {
        all.add(result(name, bytes, 10, 0));
      }
    }
    assertThat(OneWayTargets.check(report(all.toArray(OneWayResult[]::new)))).extracting(Verdict::target)
        .satisfiesExactly(
            t -> assertThat(t).isEqualTo(PROCESS_8),
            t -> assertThat(t).isEqualTo(THREAD_8),
            t -> assertThat(t).isEqualTo(PROCESS_56),
            t -> assertThat(t).startsWith("queue-thread 56 B"),
            t -> assertThat(t).startsWith(ALLOCATION));
  }
}
