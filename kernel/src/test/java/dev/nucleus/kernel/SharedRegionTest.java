package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Shared regions: memory one side creates and the other maps by a handle from a message. A
 * handle is believed only for a region of the process the message came from, sealed against
 * shrinking, and as large as the message says.
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(30)
class SharedRegionTest {

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  @DisplayName("a region's handle maps the same memory: what one side writes the other reads, and back")
  void theHandleMapsTheSameMemory() {
    try (SharedRegion region = SharedRegion.create(1 << 20); Arena arena = Arena.ofConfined()) {
      assertThat(region.handle() >>> 32).isEqualTo(SELF);
      region.segment().set(ValueLayout.JAVA_LONG, 4096, 0x1234_5678L);
      final MemorySegment other = SharedRegion.map(region.handle(), 0, 1 << 20, arena);
      assertThat(other.get(ValueLayout.JAVA_LONG, 4096)).isEqualTo(0x1234_5678L);
      other.set(ValueLayout.JAVA_LONG, 8, -1L);
      assertThat(region.segment().get(ValueLayout.JAVA_LONG, 8)).isEqualTo(-1L);
      assertThat(region.segment().get(ValueLayout.JAVA_LONG, 16)).as("zero-filled").isZero();
    }
  }

  @Test
  @DisplayName("a handle of another process than the sender, a descriptor that is no region, or too few bytes are refused, saying why")
  void badHandlesAreRefused() {
    try (SharedRegion region = SharedRegion.create(4096); Arena arena = Arena.ofConfined()) {
      assertThatThrownBy(() -> SharedRegion.map(region.handle(), SELF + 1, 4096, arena))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the sender " + (SELF + 1));
      assertThatThrownBy(() -> SharedRegion.map(SELF << 32 | 0, 0, 1, arena))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a shared region");
      assertThatThrownBy(() -> SharedRegion.map(SELF << 32 | 99_999, 0, 1, arena))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No such file or directory");
      assertThatThrownBy(() -> SharedRegion.map(region.handle(), 0, 8192, arena))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 4096 bytes, not the 8192");
    }
  }

  @Test
  @DisplayName("a relay adopts a region: its own handle names the same memory, after the same checks")
  void adoptionNamesTheSameMemory() {
    try (SharedRegion region = SharedRegion.create(8192); Arena arena = Arena.ofConfined()) {
      region.segment().set(ValueLayout.JAVA_LONG, 64, 42L);
      try (SharedRegion adopted = SharedRegion.adopt(region.handle(), 0, 8192)) {
        assertThat(adopted.handle()).isNotEqualTo(region.handle());
        assertThat(adopted.handle() >>> 32).isEqualTo(SELF);
        assertThat(adopted.segment().byteSize()).as("not mapped by the relay").isZero();
        final MemorySegment seen = SharedRegion.map(adopted.handle(), 0, 8192, arena);
        assertThat(seen.get(ValueLayout.JAVA_LONG, 64)).isEqualTo(42L);
      }
      assertThatThrownBy(() -> SharedRegion.adopt(region.handle(), SELF + 1, 8192))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the sender " + (SELF + 1));
      assertThatThrownBy(() -> SharedRegion.adopt(region.handle(), 0, 8193))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 8192 bytes, not the 8193");
    }
  }

  @Test
  @DisplayName("a mapping outlives the creator's close, and goes with its arena")
  void aMappingOutlivesTheCreatorsClose() {
    final SharedRegion region = SharedRegion.create(4096);
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment other = SharedRegion.map(region.handle(), 0, 4096, arena);
      region.segment().set(ValueLayout.JAVA_INT, 0, 7);
      region.close();
      assertThat(other.get(ValueLayout.JAVA_INT, 0)).isEqualTo(7);
    }
  }

  @Test
  @DisplayName("a size below one byte is refused")
  void sizesAreChecked() {
    assertThatThrownBy(() -> SharedRegion.create(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
