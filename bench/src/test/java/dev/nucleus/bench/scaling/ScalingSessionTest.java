package dev.nucleus.bench.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A scaling session in real client processes, at a small size (2 processes of 2 threads, counts 1,
 * 2 and 3, rounds of 50 ms): it measures every count with every call checked, fails loudly on a
 * wrong reply, and leaves nothing behind either way: no child process, no open control region,
 * nothing of this JVM's in /dev/shm. Nothing is timed.
 */
@Timeout(120)
@DisplayName("Scaling sessions")
class ScalingSessionTest {

  private static final ScalingPlan SMALL = new ScalingPlan(List.of(1, 2, 3), 2, 2, 2, 2, Duration.ofMillis(100),
      Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(5));

  private Set<Long> childrenBefore;
  private long regionsBefore;
  private ScalingSeries series;

  @BeforeEach
  void recordWhatRuns() throws IOException {
    series = ScalingSeries.defaults().getFirst();
    assumeTrue(series.unavailableReason() == null, series.unavailableReason());
    childrenBefore = childPids();
    regionsBefore = openRegions();
  }

  @Test
  @DisplayName("every count gets its rounds, its calls are checked on both sides and counted, and nothing is left")
  void shouldMeasureEveryCountAndLeaveNothing() throws Exception {
    final List<String> progress = new CopyOnWriteArrayList<>();

    final ScalingResult result = series.run(SMALL, progress::add);

    assertThat(result.name()).isEqualTo("lrpc-scaling");
    assertThat(result.serverThreads()).isEqualTo(2);
    assertThat(result.waitStrategy()).isEqualTo("ADAPTIVE");
    assertThat(result.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(result.points()).extracting(ScalingPoint::clients).containsExactly(1, 2, 3);
    assertThat(result.points()).extracting(ScalingPoint::processes).as("client k in process k mod 2")
        .containsExactly(1, 2, 2);
    assertThat(result.points()).allSatisfy(p -> {
      assertThat(p.ratesPerRound()).hasSize(2).allSatisfy(rate -> assertThat(rate).isPositive());
      assertThat(p.measuredCalls()).isPositive();
      assertThat(p.checkedCalls()).as("the step holds its measured rounds").isGreaterThanOrEqualTo(p.measuredCalls());
      assertThat(p.p50Ns()).isPositive();
      assertThat(p.p99Ns()).isGreaterThanOrEqualTo(p.p50Ns());
    });
    assertThat(result.warmupCalls()).isPositive();
    assertThat(result.checkedCalls()).isEqualTo(result.warmupCalls()
        + result.points().stream().mapToLong(ScalingPoint::checkedCalls).sum());
    assertThat(result.speedup(result.points().getFirst())).hasValue(1.0);
    assertThat(progress).as("a line as it starts, one when the clients are ready, one per count").hasSize(5);
    assertThat(progress.get(4)).startsWith("[scaling] lrpc-scaling  3 client(s) in 2 process(es): median ")
        .contains("efficiency");
    assertNothingLeft();
  }

  @Test
  @DisplayName("a wrong reply fails the session, naming the client, the call and both values, and nothing is left")
  void shouldFailLoudlyOnAWrongReply() throws Exception {
    final long corrupt = SequenceLedger.value(0, 500);

    assertThatThrownBy(() -> series.run(SMALL, line -> { }, corrupt))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("client 0: call 500, echo(0x1f4), came back as 0x1f5 (a wrong reply");
    assertNothingLeft();
  }

  private void assertNothingLeft() throws IOException {
    assertThat(childPids()).as("child processes left").isEqualTo(childrenBefore);
    assertThat(openRegions()).as("shared regions still open").isEqualTo(regionsBefore);
    try (Stream<Path> shm = Files.list(Path.of("/dev/shm"))) {
      final String mine = "nucleus-" + ProcessHandle.current().pid() + "-";
      assertThat(shm.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(mine)).toList())
          .as("files of this JVM in /dev/shm").isEmpty();
    }
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  /** This JVM's descriptors of anonymous memory files made by SharedRegion. */
  private static long openRegions() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith("/memfd:nucleus-region");
        } catch (IOException e) {
          return false; // closed meanwhile (the listing's own descriptor)
        }
      }).count();
    }
  }
}
