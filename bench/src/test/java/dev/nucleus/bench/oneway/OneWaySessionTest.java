package dev.nucleus.bench.oneway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.peers.Scratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every one-way entry and the queue ping-pong, each for a few thousand messages in its real child
 * JVMs: they carry every message, hand back figures for every size, and leave nothing behind,
 * whether they end well or a lost message fails them: no child process, no scratch file, no open
 * queue region (an anonymous memory file: none left among this JVM's descriptors), nothing of
 * this JVM's in /dev/shm. Nothing is timed.
 */
@Timeout(120)
@DisplayName("One-way sessions")
class OneWaySessionTest {

  private static final Schedule SCHEDULE = new Schedule(2_000, 5_000, 2);
  private static final int[] SIZES = {8, 56};

  @TempDir Path base;
  private Set<Long> childrenBefore;
  private long regionsBefore;

  @BeforeEach
  void pointScratchAtTempDir() throws IOException {
    Scratch.setBase(base);
    childrenBefore = childPids();
    regionsBefore = openRegions();
  }

  @AfterEach
  void restoreScratch() {
    Scratch.setBase(null);
  }

  private static OneWayMechanism entry(String name) {
    final OneWayMechanism m =
        OneWayMechanism.defaults().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    assumeTrue(m.unavailableReason() == null, name + ": " + m.unavailableReason());
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"queue-process", "aeron-ipc-oneway", "queue-thread", "agrona-oneway", "jctools-oneway"})
  @DisplayName("an entry carries both sizes' streams, hands back each size's figures, and leaves nothing behind")
  void shouldMeasureEverySizeAndLeaveNothing(String name) throws Exception {
    final List<StreamFigures> figures = entry(name).run(SCHEDULE, SIZES);

    assertThat(figures).extracting(StreamFigures::bytes).containsExactly(8, 56);
    assertThat(figures).allSatisfy(f -> {
      assertThat(f.roundNs()).hasSize(2).doesNotContain(0L);
      assertThat(java.util.Arrays.stream(f.roundNs()).min().orElseThrow()).isPositive();
      assertThat(f.senderBytes()).as("the sender's allocation, counted").isNotNegative();
      assertThat(f.receiverBytes()).as("the receiver's allocation, counted").isNotNegative();
      assertThat(f.retries()).isNotNegative();
    });
    assertNothingLeft();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"queue-process", "queue-thread"})
  @DisplayName("a message lost on the way fails the run, naming it, and leaves nothing behind")
  void shouldFailLoudlyOnALostMessage(String name) throws Exception {
    assertThatThrownBy(() -> entry(name).run(SCHEDULE, SIZES, 1_234))
        .hasMessageContaining("expected message 1234, got 1235 (messages lost)");
    assertNothingLeft();
  }

  @Test
  @DisplayName("queue-pingpong-process times every round trip, counts both sides' allocation, and leaves nothing behind")
  void shouldPingPongOverTwoQueues() throws Exception {
    final QueuePingPong pingPong = new QueuePingPong();
    assumeTrue(pingPong.unavailableReason() == null, pingPong.unavailableReason());
    final Histogram h = Latencies.newHistogram();

    pingPong.run(500, 2_000, h);

    assertThat(h.getTotalCount()).isEqualTo(2_000);
    assertThat(pingPong.lastAllocation()).as("both sides counted").isNotNull();
    assertThat(pingPong.lastAllocation().clientBytesPerRoundTrip()).isNotNegative();
    assertThat(pingPong.lastAllocation().serverBytesPerRoundTrip()).isNotNegative();
    assertNothingLeft();
  }

  @Test
  @DisplayName("floor-java-process-spin times every round trip between two JVMs and leaves nothing behind")
  void shouldPingPongOverTwoLines() throws Exception {
    final LinePingPong floor = new LinePingPong();
    assumeTrue(floor.unavailableReason() == null, floor.unavailableReason());
    final Histogram h = Latencies.newHistogram();

    floor.run(500, 2_000, h);

    assertThat(h.getTotalCount()).isEqualTo(2_000);
    assertNothingLeft();
  }

  private void assertNothingLeft() throws IOException {
    try (Stream<Path> left = Files.list(base)) {
      assertThat(left.toList()).as("scratch directories left").isEmpty();
    }
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
