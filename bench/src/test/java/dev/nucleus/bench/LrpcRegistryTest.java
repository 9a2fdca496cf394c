package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LRPC entries in the default registry: where they stand, what they are judged against, and
 * that {@code nucleus bench --quick} runs them (issue 12: "--quick includes lrpc-process-null").
 */
@Timeout(30)
class LrpcRegistryTest {

  private static final MechanismRegistry DEFAULTS = MechanismRegistry.defaults();
  private static final List<String> LRPC = List.of("lrpc-local-null", "lrpc-thread-null", "lrpc-process-null-kernel",
      "lrpc-process-null");

  @Test
  @DisplayName("--quick runs lrpc-process-null, and the other LRPC entries (its kernel-only twin among them), with the raw calls and the floor they are judged against")
  void quickRunsTheLrpcEntries() {
    final List<String> quick = BenchCommand.selection(DEFAULTS, true, null).stream().map(PingPong::name).toList();

    assertThat(quick).contains("lrpc-process-null").containsAll(LRPC);
    assertThat(quick).contains("floor-c-spin", "floor-java-spin", "nucleus-thread-spin", "nucleus-process-spin");
    assertThat(BenchCommand.selection(DEFAULTS, false, null)).extracting(PingPong::name).containsAll(LRPC);
  }

  @Test
  @DisplayName("the LRPC entries follow the raw process-space entries, nearest first")
  void lrpcEntriesFollowTheRawCalls() {
    final List<String> names = DEFAULTS.names();
    final int afterProcessSpaces = names.indexOf("nucleus-root-server-spin") + 1;

    assertThat(names.subList(afterProcessSpaces, afterProcessSpaces + LRPC.size())).isEqualTo(LRPC);
  }

  @Test
  @DisplayName("each LRPC entry runs in a fresh JVM, is no size-sweep member, and has the floor of its placement")
  void lrpcEntriesAreForkedAndJudgedAgainstTheirPlacementsFloor() {
    for (PingPong m : DEFAULTS.select(LRPC)) {
      assertThat(m).as(m.name()).isInstanceOf(ForkedPingPong.class);
      assertThat(m.messageSize()).as(m.name()).isNull();
      assertThat(m.unavailableReason()).as(m.name()).isNull();
    }
    assertThat(floorOf("lrpc-process-null")).isEqualTo(MechanismRegistry.FLOOR_C_SPIN).isEqualTo(floorOf("nucleus-process-spin"))
        .isEqualTo(floorOf("lrpc-process-null-kernel"));
    assertThat(floorOf("lrpc-thread-null")).isEqualTo(MechanismRegistry.FLOOR_JAVA_SPIN).isEqualTo(floorOf("nucleus-thread-spin"));
    assertThat(floorOf("lrpc-local-null")).isEqualTo(MechanismRegistry.FLOOR_JAVA_SPIN);
  }

  @Test
  @DisplayName("the same calls over gRPC and RMI follow the LRPC entries, each sized one after the LRPC entry of its size")
  void kvPeersFollowTheLrpcEntriesOfTheirSize() {
    final List<String> names = DEFAULTS.names();

    assertThat(names).containsSubsequence("lrpc-process-null", "grpc-kv-null", "rmi-kv-null");
    assertThat(names.indexOf("grpc-kv-null")).isEqualTo(names.indexOf("lrpc-process-null") + 1);
    assertThat(names).containsSubsequence("lrpc-process-1KiB", "grpc-kv-1KiB", "rmi-kv-1KiB", "floor-memcpy-64KiB",
        "floor-handoff-64KiB", "lrpc-process-64KiB", "grpc-kv-64KiB", "rmi-kv-64KiB", "floor-memcpy-1MiB",
        "floor-handoff-1MiB", "lrpc-process-1MiB");
    assertThat(names).noneMatch(n -> n.startsWith("grpc-kv-1MiB") || n.startsWith("rmi-kv-1MiB"));
  }

  @Test
  @DisplayName("the kv peers run in full runs, not in --quick, against floor-c-futex; the sized ones are size-sweep members of their series")
  void kvPeersRunInFullRunsOnly() {
    final List<String> quick = BenchCommand.selection(DEFAULTS, true, null).stream().map(PingPong::name).toList();
    final List<String> full = BenchCommand.selection(DEFAULTS, false, null).stream().map(PingPong::name).toList();

    assertThat(quick).noneMatch(n -> n.startsWith("grpc-kv-") || n.startsWith("rmi-kv-"));
    assertThat(full).contains(MechanismRegistry.GRPC_KV_NULL, "rmi-kv-null", "grpc-kv-1KiB", "rmi-kv-64KiB");
    assertThat(DEFAULTS.select(List.of("grpc-kv-null", "rmi-kv-null"))).allMatch(MechanismRegistry::isKvPeer);
    for (String name : List.of("grpc-kv-null", "rmi-kv-null", "grpc-kv-1KiB", "rmi-kv-64KiB")) {
      assertThat(floorOf(name)).as(name).isEqualTo(MechanismRegistry.FLOOR_C_FUTEX);
    }
    final MessageSize sized = DEFAULTS.select(List.of("grpc-kv-64KiB")).get(0).messageSize();
    assertThat(sized).isEqualTo(new MessageSize("grpc-kv-null", 64 << 10, true));
    assertThat(DEFAULTS.select(List.of("rmi-kv-null")).get(0).messageSize()).isEqualTo(MessageSize.nullMessage("rmi-kv-null"));
  }

  private static String floorOf(String name) {
    return DEFAULTS.select(List.of(name)).get(0).floor();
  }
}
