package dev.nucleus.async.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The queue's layout and encodings: lines, slots, stamps, payload addressing, format and validate. */
@Tag("unit")
@org.junit.jupiter.api.Timeout(30)
@DisplayName("The queue's layout")
class QueueDescriptorTest {

  @Test
  @DisplayName("the header, the sender's line and the receiver's line each keep to their own 64-byte line")
  void shouldKeepEachSideToItsLine() {
    QueueDescriptor.checkLines();
    assertThat(QueueDescriptor.LINE_0_END).isLessThanOrEqualTo(64);
    assertThat(QueueDescriptor.SENDER_STATE_OFFSET / 64).isEqualTo(QueueDescriptor.SENDER_SLEEPING_OFFSET / 64).isOne();
    assertThat(QueueDescriptor.READ_POSITION_OFFSET / 64).isEqualTo(2)
        .isEqualTo(QueueDescriptor.RECEIVER_SLEEPING_OFFSET / 64).isEqualTo(QueueDescriptor.RECEIVER_STATE_OFFSET / 64);
    assertThat(QueueDescriptor.RING_START).as("a spacer line between the receiver's line and slot 0").isEqualTo(4 * 64);
  }

  @Test
  @DisplayName("a slot is one line: 56 bytes of payload, then its stamp as the last word")
  void shouldEndEachSlotWithItsStamp() {
    assertThat(QueueDescriptor.SLOT_SIZE).isEqualTo(64);
    assertThat(QueueDescriptor.PAYLOAD_SIZE).isEqualTo(56);
    assertThat(QueueDescriptor.STAMP_OFFSET).isEqualTo(56);
    assertThat(QueueDescriptor.slotOffset(0, 7)).isEqualTo(256);
    assertThat(QueueDescriptor.slotOffset(7, 7)).isEqualTo(256 + 7 * 64);
    assertThat(QueueDescriptor.slotOffset(8, 7)).as("the next lap").isEqualTo(256);
  }

  @Test
  @DisplayName("a stamp holds the position's low 32 bits, then the first-slot flag and the length or the index")
  void shouldEncodeStamps() {
    final long first = QueueDescriptor.firstStamp(0x1_2345_6789L, 100);
    assertThat(first).isEqualTo(0x2345_6789_8000_0064L);
    assertThat(QueueDescriptor.sequence(first)).isEqualTo(0x2345_6789);
    assertThat(QueueDescriptor.sequenceOf(0x1_2345_6789L)).isEqualTo(0x2345_6789);
    assertThat(QueueDescriptor.isFirst(first)).isTrue();
    assertThat(QueueDescriptor.infoValue(first)).isEqualTo(100);
    final long continuation = QueueDescriptor.continuationStamp(5, 3);
    assertThat(continuation).isEqualTo(0x5_0000_0003L);
    assertThat(QueueDescriptor.isFirst(continuation)).isFalse();
    assertThat(QueueDescriptor.infoValue(continuation)).isEqualTo(3);
    assertThat(QueueDescriptor.firstStamp(0, 0)).as("never zero, the value of a fresh slot").isNotZero();
    assertThat(QueueDescriptor.describeStamp(first)).isEqualTo("0x2345678980000064 (SEQUENCE 0x23456789, first slot, LENGTH 100)");
  }

  @Test
  @DisplayName("a message takes one slot per 56 bytes, at least one, and at most half the ring")
  void shouldCountSlotsPerMessage() {
    assertThat(QueueDescriptor.slotsFor(0)).isEqualTo(1);
    assertThat(QueueDescriptor.slotsFor(56)).isEqualTo(1);
    assertThat(QueueDescriptor.slotsFor(57)).isEqualTo(2);
    assertThat(QueueDescriptor.slotsFor(112)).isEqualTo(2);
    assertThat(QueueDescriptor.maxPayload(2)).isEqualTo(56);
    assertThat(QueueDescriptor.maxPayload(1024)).isEqualTo(512 * 56);
    final int largest = QueueDescriptor.maxPayload(QueueDescriptor.MAX_SLOT_COUNT);
    assertThat(QueueDescriptor.slotsFor(largest)).isEqualTo(QueueDescriptor.MAX_SLOT_COUNT / 2);
    assertThat((long) largest).as("fits LENGTH's 31 bits").isLessThanOrEqualTo(QueueDescriptor.INFO_VALUE_MASK);
  }

  @Test
  @DisplayName("payload byte b lies in the message's slot b / 56 at b % 56, wrapping to the ring's start")
  void shouldAddressThePayloadAcrossTheRingsEnd() {
    final long mask = 7;
    assertThat(QueueDescriptor.payloadOffset(6, mask, 0)).isEqualTo(256 + 6 * 64);
    assertThat(QueueDescriptor.payloadOffset(6, mask, 55)).isEqualTo(256 + 6 * 64 + 55);
    assertThat(QueueDescriptor.payloadOffset(6, mask, 56)).isEqualTo(256 + 7 * 64);
    assertThat(QueueDescriptor.payloadOffset(6, mask, 112)).as("wrapped").isEqualTo(256);
    assertThat(QueueDescriptor.payloadOffset(6, mask, 170)).isEqualTo(256 + 64 + 2);
  }

  @ParameterizedTest(name = "{0} slots")
  @ValueSource(ints = {2, 8, 1024})
  @DisplayName("format writes a header that validate accepts, the rest zero and MAGIC last")
  void shouldFormatWhatValidateAccepts(int slots) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment s = arena.allocate(QueueDescriptor.totalSize(slots) + 64, 64);
      s.fill((byte) 0x5A);
      QueueDescriptor.format(s, slots);
      assertThat(QueueDescriptor.validate(s)).isEqualTo(slots);
      assertThat(s.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(QueueDescriptor.MAGIC);
      assertThat(s.get(ValueLayout.JAVA_LONG, QueueDescriptor.TOTAL_SIZE_OFFSET)).isEqualTo(256 + 64L * slots);
      for (long at = QueueDescriptor.SENDER_STATE_OFFSET; at < QueueDescriptor.totalSize(slots); at += 8) {
        assertThat(s.get(ValueLayout.JAVA_LONG, at)).as("byte %d", at).isZero();
      }
    }
  }

  @Test
  @DisplayName("validate names the first wrong field of a header, or what is wrong with the segment")
  void shouldNameWhatIsWrong() {
    expectRejected(s -> s.set(ValueLayout.JAVA_LONG, QueueDescriptor.MAGIC_OFFSET, 1L), "not a queue: MAGIC is 0x1");
    expectRejected(s -> s.set(ValueLayout.JAVA_INT, QueueDescriptor.VERSION_OFFSET, 2), "VERSION 2");
    expectRejected(s -> s.set(ValueLayout.JAVA_INT, QueueDescriptor.SLOT_SIZE_OFFSET, 128), "SLOT_SIZE 128");
    expectRejected(s -> s.set(ValueLayout.JAVA_INT, QueueDescriptor.SLOT_COUNT_OFFSET, 6), "SLOT_COUNT 6");
    expectRejected(s -> s.set(ValueLayout.JAVA_INT, QueueDescriptor.SLOT_COUNT_OFFSET, 1), "SLOT_COUNT 1");
    expectRejected(s -> s.set(ValueLayout.JAVA_INT, QueueDescriptor.SLOT_COUNT_OFFSET, -8), "SLOT_COUNT 4294967288");
    expectRejected(s -> s.set(ValueLayout.JAVA_INT, QueueDescriptor.SLOT_COUNT_OFFSET, 1 << 25), "SLOT_COUNT 33554432");
    expectRejected(s -> s.set(ValueLayout.JAVA_LONG, QueueDescriptor.RING_OFFSET_OFFSET, 192L), "RING_OFFSET 192");
    expectRejected(s -> s.set(ValueLayout.JAVA_LONG, QueueDescriptor.TOTAL_SIZE_OFFSET, 1L << 40), "TOTAL_SIZE");
    expectRejected(s -> {
      s.set(ValueLayout.JAVA_INT, QueueDescriptor.SLOT_COUNT_OFFSET, 16);
      s.set(ValueLayout.JAVA_LONG, QueueDescriptor.TOTAL_SIZE_OFFSET, QueueDescriptor.totalSize(16));
    }, "exceeds the segment's " + QueueDescriptor.totalSize(8) + " bytes");
    try (Arena arena = Arena.ofConfined()) {
      assertThatThrownBy(() -> QueueDescriptor.validate(arena.allocate(1024, 64).asSlice(8)))
          .hasMessageContaining("64-byte aligned");
      assertThatThrownBy(() -> QueueDescriptor.validate(arena.allocate(32, 64))).hasMessageContaining("needs 64 bytes");
    }
  }

  private static void expectRejected(Consumer<MemorySegment> damage, String message) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment s = arena.allocate(QueueDescriptor.totalSize(8), 64);
      QueueDescriptor.format(s, 8);
      damage.accept(s);
      assertThatThrownBy(() -> QueueDescriptor.validate(s)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message);
    }
  }
}
