package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link ThreadId}: the 64-bit id of protocol.md section 1, built and taken apart. */
@Tag("unit")
@DisplayName("ThreadId")
class ThreadIdTest {

  private static final long SEED = 0x1D5_5EEDL;
  private static final int SAMPLES = 10_000;

  @Test
  @DisplayName("the fields sit where protocol.md draws them: index 0-15, space 16-30, E 31, version 32-63")
  void shouldPlaceEachFieldInItsBits() {
    assertThat(ThreadId.of(0, 1, 1)).isEqualTo(1L << 32 | 1);
    assertThat(ThreadId.of(1, 0, 1)).isEqualTo(1L << 32 | 1L << 16);
    assertThat(ThreadId.of(0, 0, 2)).isEqualTo(2L << 32);
    assertThat(ThreadId.endpoint(0, 0, 1)).isEqualTo(1L << 32 | 1L << 31);
    assertThat(ThreadId.of(ThreadId.MAX_SPACE, ThreadId.MAX_INDEX, ThreadId.MAX_VERSION))
        .isEqualTo(0xFFFF_FFFE_7FFF_FFFFL);
    assertThat(ThreadId.MAX_INDEX).isEqualTo(65_535);
    assertThat(ThreadId.MAX_SPACE).isEqualTo(32_767);
    assertThat(ThreadId.ENDPOINT_FLAG).isEqualTo(1L << 31);
  }

  @Test
  @DisplayName("space, index and version read back what of() and endpoint() were given, for random fields")
  void shouldRoundTripRandomFields() {
    final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED);
    for (int i = 0; i < SAMPLES; i++) {
      final int space = random.nextInt(ThreadId.MAX_SPACE + 1);
      final int index = random.nextInt(ThreadId.MAX_INDEX + 1);
      final long version = random.nextLong(1, ThreadId.MAX_VERSION + 1);
      final String what = "seed " + SEED + ", sample " + i + ": space " + space + ", index " + index
          + ", version " + version;

      final long thread = ThreadId.of(space, index, version);
      assertThat(ThreadId.space(thread)).as(what).isEqualTo(space);
      assertThat(ThreadId.index(thread)).as(what).isEqualTo(index);
      assertThat(ThreadId.version(thread)).as(what).isEqualTo(version);
      assertThat(ThreadId.isEndpoint(thread)).as(what).isFalse();
      assertThat(ThreadId.isWellFormed(thread)).as(what).isTrue();
      assertThat(ThreadId.compose(space, index, version)).as(what).isEqualTo(thread);

      final long endpoint = ThreadId.endpoint(space, index, version);
      assertThat(ThreadId.space(endpoint)).as(what).isEqualTo(space);
      assertThat(ThreadId.index(endpoint)).as(what).isEqualTo(index);
      assertThat(ThreadId.version(endpoint)).as(what).isEqualTo(version);
      assertThat(ThreadId.isEndpoint(endpoint)).as(what).isTrue();
      assertThat(ThreadId.isWellFormed(endpoint)).as(what).isTrue();
      assertThat(endpoint).as(what).isEqualTo(thread | ThreadId.ENDPOINT_FLAG);
    }
  }

  @Test
  @DisplayName("of() accepts every field at its bounds")
  void shouldAcceptFieldsAtTheirBounds() {
    assertThat(ThreadId.space(ThreadId.of(0, 0, 1))).isZero();
    assertThat(ThreadId.space(ThreadId.of(ThreadId.MAX_SPACE, 0, 1))).isEqualTo(ThreadId.MAX_SPACE);
    assertThat(ThreadId.index(ThreadId.of(0, ThreadId.MAX_INDEX, 1))).isEqualTo(ThreadId.MAX_INDEX);
    assertThat(ThreadId.version(ThreadId.of(0, 0, ThreadId.MAX_VERSION))).isEqualTo(ThreadId.MAX_VERSION);
  }

  @Test
  @DisplayName("of() and endpoint() reject a field out of range with an IllegalArgumentException")
  void shouldRejectFieldsOutOfRange() {
    final int[][] badSpaceAndIndex = {{-1, 0}, {ThreadId.MAX_SPACE + 1, 0}, {0, -1}, {0, ThreadId.MAX_INDEX + 1}};
    for (int[] bad : badSpaceAndIndex) {
      assertThatThrownBy(() -> ThreadId.of(bad[0], bad[1], 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ThreadId.endpoint(bad[0], bad[1], 1)).isInstanceOf(IllegalArgumentException.class);
    }
    for (long badVersion : new long[] {0, -1, ThreadId.MAX_VERSION + 1, Long.MAX_VALUE}) {
      assertThatThrownBy(() -> ThreadId.of(0, 0, badVersion))
          .as("version %d", badVersion).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ThreadId.endpoint(0, 0, badVersion))
          .as("version %d", badVersion).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("NIL is 0 and ANY is -1; neither is well formed nor an endpoint")
  void shouldKeepNilAndAnyApartFromRealIds() {
    assertThat(ThreadId.NIL).isZero();
    assertThat(ThreadId.ANY).isEqualTo(-1L);
    assertThat(ThreadId.isWellFormed(ThreadId.NIL)).isFalse();
    assertThat(ThreadId.isWellFormed(ThreadId.ANY)).isFalse();
    assertThat(ThreadId.isEndpoint(ThreadId.NIL)).isFalse();
    assertThat(ThreadId.isEndpoint(ThreadId.ANY)).isFalse();
  }

  @Test
  @DisplayName("an id without a version, or with the all-ones version, is not well formed")
  void shouldRejectIdsWithoutAVersion() {
    assertThat(ThreadId.isWellFormed(5)).as("version 0").isFalse();
    assertThat(ThreadId.isWellFormed(ThreadId.ENDPOINT_FLAG | 5)).as("endpoint, version 0").isFalse();
    assertThat(ThreadId.isWellFormed(0xFFFF_FFFFL << 32)).as("version 0xFFFFFFFF").isFalse();
    assertThat(ThreadId.isWellFormed(ThreadId.MAX_VERSION << 32)).as("version MAX_VERSION").isTrue();
  }

  @Test
  @DisplayName("toString prints nil, any, T<space>.<index>v<version> or E<space>.<index>v<version>")
  void shouldPrintIds() {
    assertThat(ThreadId.toString(ThreadId.NIL)).isEqualTo("nil");
    assertThat(ThreadId.toString(ThreadId.ANY)).isEqualTo("any");
    assertThat(ThreadId.toString(ThreadId.of(3, 17, 2))).isEqualTo("T3.17v2");
    assertThat(ThreadId.toString(ThreadId.endpoint(1, 0, 1))).isEqualTo("E1.0v1");
  }
}
