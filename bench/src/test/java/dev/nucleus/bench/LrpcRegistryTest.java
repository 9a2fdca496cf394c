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
  private static final List<String> LRPC = List.of("lrpc-local-null", "lrpc-thread-null", "lrpc-process-null");

  @Test
  @DisplayName("--quick runs lrpc-process-null, and the other LRPC entries, with the raw calls and the floor they are judged against")
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
    assertThat(floorOf("lrpc-process-null")).isEqualTo(MechanismRegistry.FLOOR_C_SPIN).isEqualTo(floorOf("nucleus-process-spin"));
    assertThat(floorOf("lrpc-thread-null")).isEqualTo(MechanismRegistry.FLOOR_JAVA_SPIN).isEqualTo(floorOf("nucleus-thread-spin"));
    assertThat(floorOf("lrpc-local-null")).isEqualTo(MechanismRegistry.FLOOR_JAVA_SPIN);
  }

  private static String floorOf(String name) {
    return DEFAULTS.select(List.of(name)).get(0).floor();
  }
}
