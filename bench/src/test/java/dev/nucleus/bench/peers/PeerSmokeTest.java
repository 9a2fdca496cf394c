package dev.nucleus.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.PingPong;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every peer family once with tiny counts, null messages and one payload size each: behaviour
 * only (every measured round trip recorded, all positive), never timing. A peer whose dependency
 * cannot run here is skipped with its reason.
 */
class PeerSmokeTest {

  private static final int WARMUP = 20;
  private static final int ITERATIONS = 50;

  static Stream<Arguments> peers() {
    List<PingPong> all =
        List.of(
            new PeerPingPong(new PipePeer()),
            new PeerPingPong(new PipePeer(), 64 << 10),
            new PeerPingPong(new FifoPeer()),
            new PeerPingPong(new FifoPeer(), 8 << 10),
            new PeerPingPong(SocketPeer.unix(false)),
            new PeerPingPong(SocketPeer.unix(false), 64 << 10),
            new PeerPingPong(SocketPeer.unix(true)),
            new PeerPingPong(SocketPeer.tcp(false)),
            new PeerPingPong(SocketPeer.tcp(true), 1 << 10),
            new PeerPingPong(new PosixMqPeer()),
            new PeerPingPong(new PosixMqPeer(), 1 << 10),
            AeronPingPong.busySpin(0),
            AeronPingPong.busySpin(64 << 10), // fragmented and reassembled
            AeronPingPong.sameJvm(),
            new PeerPingPong(GrpcPeer.tcp()),
            new PeerPingPong(GrpcPeer.uds(), 1 << 10),
            new PeerPingPong(GrpcPeer.inProcess()),
            new PeerPingPong(new RmiPeer()),
            new PeerPingPong(new RmiPeer(), 8 << 10));
    return all.stream().map(m -> Arguments.of(m.name(), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peers")
  @Timeout(60)
  void recordsEveryMeasuredRoundTrip(String name, PingPong peer) throws Exception {
    String reason = peer.unavailableReason();
    assumeTrue(reason == null, () -> name + " unavailable here: " + reason);
    Histogram h = Latencies.newHistogram();
    peer.run(WARMUP, ITERATIONS, h);
    assertThat(h.getTotalCount()).isEqualTo(ITERATIONS);
    assertThat(h.getMinValue()).isPositive();
  }
}
