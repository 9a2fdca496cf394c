package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
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

  private static String floorOf(String name) {
    return DEFAULTS.select(List.of(name)).get(0).floor();
  }
}
