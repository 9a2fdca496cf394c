package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default registry holds the shootout's peers, with the floors and sweep the issue asks for.
 */
@Timeout(30)
class ShootoutRegistryTest {

  private static final MechanismRegistry DEFAULTS = MechanismRegistry.defaults();

  @Test
  void holdsEveryPeerByItsPublishedName() {
    assertThat(DEFAULTS.names())
        .contains(
            "pipe",
            "fifo",
            "unix-socket",
            "tcp-loopback",
            "posix-mq",
            "aeron-ipc",
            "aeron-ipc-backoff",
            "grpc-tcp",
            "grpc-uds",
            "rmi",
            "unix-socket-jvm",
            "tcp-loopback-jvm",
            "aeron-ipc-jvm",
            "grpc-inprocess");
  }

  @Test
  void spinningPeersAreJudgedAgainstASpinFloorAndBlockingOnesAgainstTheFutexFloor() {
    assertThat(floorOf("aeron-ipc")).isEqualTo(MechanismRegistry.FLOOR_C_SPIN);
    assertThat(floorOf("aeron-ipc-jvm")).isEqualTo(MechanismRegistry.FLOOR_JAVA_SPIN);
    for (String blocking :
        List.of(
            "pipe",
            "fifo",
            "unix-socket",
            "tcp-loopback",
            "posix-mq",
            "grpc-tcp",
            "grpc-uds",
            "rmi")) {
      assertThat(floorOf(blocking)).as(blocking).isEqualTo(MechanismRegistry.FLOOR_C_FUTEX);
    }
  }

  @Test
  void everySweepMemberBelongsToASeriesWhoseNullMessageMechanismIsRegistered() {
    Set<String> names = Set.copyOf(DEFAULTS.names());
    List<PingPong> sweep =
        DEFAULTS.all().stream()
            .filter(m -> m.messageSize() != null && m.messageSize().sweep())
            .toList();
    assertThat(sweep)
        .extracting(PingPong::name)
        .contains("nucleus-thread-spin-63w", "unix-socket-64KiB", "aeron-ipc-64B");
    for (PingPong m : sweep) {
      assertThat(names).as(m.name()).contains(m.messageSize().series());
      assertThat(m.messageSize().bytes()).as(m.name()).isPositive();
    }
  }

  @Test
  void processSpaceEntriesFollowTheThreadSpaceOnesAndAreJudgedAgainstACFloor() {
    List<String> names = DEFAULTS.names();
    int afterThreads = names.indexOf("nucleus-thread-adaptive") + 1;
    List<PingPong> process = MechanismRegistry.nucleusProcessSpaces();
    for (int i = 0; i < process.size(); i++) {
      PingPong p = process.get(i);
      assertThat(names.get(afterThreads + i)).isEqualTo(p.name());
      assertThat(p.floor()).isIn(MechanismRegistry.FLOOR_C_SPIN, MechanismRegistry.FLOOR_C_FUTEX);
    }
  }

  @Test
  @DisplayName("the judged blocking pair and its floor have pinned twins, each judged against the pinned floor")
  void theBlockingPairHasPinnedTwins() {
    final List<String> names = DEFAULTS.names();
    assertThat(names).containsSubsequence("pipe", "floor-c-futex-pinned", "nucleus-process-block-pinned", "pipe-pinned");
    assertThat(floorOf("floor-c-futex-pinned")).isNull();
    assertThat(floorOf("nucleus-process-block-pinned")).isEqualTo("floor-c-futex-pinned");
    assertThat(floorOf("pipe-pinned")).isEqualTo("floor-c-futex-pinned");
    assertThat(MechanismRegistry.pinnedBlocking()).allMatch(m -> m instanceof Pinned);
    assertThat(DEFAULTS.all().stream().filter(m -> m.name().endsWith(Pinned.SUFFIX)))
        .as("pinned twins are not in the size sweep, and --quick runs them")
        .allMatch(m -> m.messageSize() == null && !MechanismRegistry.isInJvmPeer(m))
        .hasSize(3);
  }

  @Test
  @DisplayName("the unpinned members of the pinned pair keep their figures, described as placement-dependent")
  void theUnpinnedPairIsDescribedAsPlacementDependent() {
    for (String name : List.of("floor-c-futex", "nucleus-process-block", "pipe")) {
      assertThat(DEFAULTS.select(List.of(name)).get(0).description())
          .as(name)
          .contains("unpinned, so placement-dependent (pinned twin: " + name + "-pinned)");
    }
    assertThat(DEFAULTS.select(List.of("fifo")).get(0).description()).doesNotContain("placement");
  }

  @Test
  @DisplayName("a fork is never wrapped: its child looks the mechanism up by name and unwraps only the fork")
  void placementDependentGoesInsideTheFork() {
    final ForkedPingPong forked = ForkedPingPong.of(FakePingPong.constant("x", null, 1));
    assertThatThrownBy(() -> PlacementDependent.of(forked)).isInstanceOf(IllegalArgumentException.class);
    for (PingPong m : DEFAULTS.all()) {
      if (m instanceof ForkedPingPong f) {
        assertThat(f.inner()).as(m.name()).isNotInstanceOf(ForkedPingPong.class);
      }
    }
  }

  private static String floorOf(String name) {
    return DEFAULTS.select(List.of(name)).get(0).floor();
  }
}
