package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MechanismRegistryTest {

  private static final MechanismRegistry REGISTRY =
      new MechanismRegistry(
          List.of(
              FakePingPong.constant("a", null, 1),
              FakePingPong.constant("b", "a", 1),
              FakePingPong.constant("c", "a", 1)));

  @Test
  void defaultsStartWithTheFloorsInAStableOrder() {
    assertThat(MechanismRegistry.defaults().names())
        .startsWith("floor-c-spin", "floor-c-futex", "floor-java-spin");
  }

  @Test
  void quickRunsLeaveOutExactlyThePeersInJvmVariants() {
    assertThat(MechanismRegistry.defaults().all().stream().filter(MechanismRegistry::isInJvmPeer))
        .extracting(PingPong::name)
        .containsExactly("unix-socket-jvm", "tcp-loopback-jvm", "aeron-ipc-jvm", "grpc-inprocess");
  }

  @Test
  void extrasFollowTheFloors() {
    MechanismRegistry r =
        MechanismRegistry.withFloors(List.of(FakePingPong.constant("x", "floor-java-spin", 1)));
    assertThat(r.names()).containsExactly("floor-c-spin", "floor-c-futex", "floor-java-spin", "x");
    assertThat(r.with(FakePingPong.constant("y", null, 1)).names()).endsWith("x", "y");
  }

  @Test
  void selectKeepsRegistryOrderAndIgnoresDuplicatesAndBlanks() {
    assertThat(REGISTRY.select(List.of("c", " a", "c", "")))
        .extracting(PingPong::name)
        .containsExactly("a", "c");
  }

  @Test
  void unknownNameIsAnErrorListingTheKnownNames() {
    assertThatThrownBy(() -> REGISTRY.select(List.of("a", "nope")))
        .isInstanceOf(UnknownMechanismException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("known: a, b, c")
        .satisfies(
            e -> {
              UnknownMechanismException u = (UnknownMechanismException) e;
              assertThat(u.unknown()).containsExactly("nope");
              assertThat(u.known()).containsExactly("a", "b", "c");
            });
  }

  @Test
  void duplicateNamesAreRejected() {
    assertThatThrownBy(
            () ->
                new MechanismRegistry(
                    List.of(
                        FakePingPong.constant("a", null, 1), FakePingPong.constant("a", null, 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate");
  }
}
