package dev.nucleus.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.PingPong;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kv peers make the LRPC entries' calls correctly over their framework, to a server in a
 * child JVM, and leave nothing behind: no child process, no file in the run's scratch directory.
 * Behaviour only, never timing.
 */
class KvPeerTest {

  private static final int KIB = 1 << 10;

  @TempDir Path base;
  private Set<Long> childrenBefore;

  @BeforeEach
  void pointScratchAtTempDir() {
    Scratch.setBase(base);
    childrenBefore = childPids();
  }

  @AfterEach
  void restoreScratch() {
    Scratch.setBase(null);
  }

  static Stream<Arguments> peers() {
    return Stream.of(Arguments.of("grpc-kv", new GrpcKvPeer()), Arguments.of("rmi-kv", new RmiKvPeer()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peers")
  @Timeout(60)
  @DisplayName("a value round-trips, the null call returns, the byte[]'s length comes back, and closing leaves nothing")
  void answersEachCallCorrectly(String family, Peer peer) throws Exception {
    try (Scratch scratch = Scratch.create();
        KvConnection connection = (KvConnection) peer.connect(scratch, KIB)) {
      assertThat(connection.echo(0x5EED_CAFE_F00DL)).isEqualTo(0x5EED_CAFE_F00DL);
      assertThat(connection.echo(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
      connection.nothing();
      assertThat(connection.take(new byte[KIB])).isEqualTo(KIB);
      assertThat(connection.take(new byte[64 * KIB])).isEqualTo(64 * KIB);
      assertThat(connection.take(new byte[0])).isZero();
      connection.roundTrip(); // take(1 KiB), its answer checked
    }
    assertNothingLeft();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peers")
  @Timeout(60)
  @DisplayName("as a bench mechanism, the null call records every measured round trip and leaves nothing")
  void recordsEveryMeasuredRoundTrip(String family, Peer peer) throws Exception {
    final PingPong nullCall = new PeerPingPong(peer);
    final Histogram h = Latencies.newHistogram();

    nullCall.run(10, 20, h);

    assertThat(nullCall.name()).isEqualTo(family + "-null");
    assertThat(h.getTotalCount()).isEqualTo(20);
    assertThat(h.getMinValue()).isPositive();
    assertNothingLeft();
  }

  private void assertNothingLeft() throws Exception {
    try (Stream<Path> left = Files.list(base)) {
      assertThat(left.toList()).as("scratch directories left").isEmpty();
    }
    assertThat(childPids()).as("child processes left").isEqualTo(childrenBefore);
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }
}
