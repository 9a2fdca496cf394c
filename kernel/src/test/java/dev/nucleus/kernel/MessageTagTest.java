package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link MessageTag}: MR0 as L4 X.2's 64-bit tag (protocol.md section 2). */
@Tag("unit")
@DisplayName("MessageTag")
class MessageTagTest {

  private static final long SEED = 0x7A6_5EEDL;
  private static final int SAMPLES = 10_000;

  @Test
  @DisplayName("the fields sit where protocol.md draws them: untyped 0-5, typed 6-11, flags 12-15, label 16-63")
  void shouldPlaceEachFieldInItsBits() {
    assertThat(MessageTag.of(0, 1, 0, 0)).isEqualTo(1L);
    assertThat(MessageTag.of(0, 0, 1, 0)).isEqualTo(1L << 6);
    assertThat(MessageTag.of(0, 0, 0, 1)).isEqualTo(1L << 12);
    assertThat(MessageTag.of(1, 0, 0, 0)).isEqualTo(1L << 16);
    assertThat(MessageTag.of(MessageTag.MAX_LABEL, MessageTag.MAX_COUNT, MessageTag.MAX_COUNT, 0xF)).isEqualTo(-1L);
  }

  @Test
  @DisplayName("of(label, untyped) is a tag with no typed items and no flags")
  void shouldMakeAnUntypedTag() {
    final long tag = MessageTag.of(7, 3);
    assertThat(tag).isEqualTo(MessageTag.of(7, 3, 0, 0));
    assertThat(MessageTag.label(tag)).isEqualTo(7);
    assertThat(MessageTag.untyped(tag)).isEqualTo(3);
    assertThat(MessageTag.typed(tag)).isZero();
    assertThat(MessageTag.flags(tag)).isZero();
    assertThat(MessageTag.words(tag)).isEqualTo(3);
  }

  @Test
  @DisplayName("label, untyped, typed and flags read back what of() was given, for random fields")
  void shouldRoundTripRandomFields() {
    final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED);
    for (int i = 0; i < SAMPLES; i++) {
      final long label = random.nextLong(MessageTag.MAX_LABEL + 1);
      final int untyped = random.nextInt(MessageTag.MAX_COUNT + 1);
      final int typed = random.nextInt(MessageTag.MAX_COUNT + 1);
      final int flags = random.nextInt(16);
      final String what = "seed " + SEED + ", sample " + i;
      final long tag = MessageTag.of(label, untyped, typed, flags);
      assertThat(MessageTag.label(tag)).as(what).isEqualTo(label);
      assertThat(MessageTag.untyped(tag)).as(what).isEqualTo(untyped);
      assertThat(MessageTag.typed(tag)).as(what).isEqualTo(typed);
      assertThat(MessageTag.flags(tag)).as(what).isEqualTo(flags);
      assertThat(MessageTag.words(tag)).as(what).isEqualTo(untyped + typed);
    }
  }

  @Test
  @DisplayName("a label needs 48 bits and a count 6: the limits are 2^48 - 1 and 63")
  void shouldStateTheLimits() {
    assertThat(MessageTag.MAX_LABEL).isEqualTo((1L << 48) - 1);
    assertThat(MessageTag.MAX_COUNT).isEqualTo(63);
    assertThat(MessageTag.words(MessageTag.of(0, 63, 63, 0))).as("words can exceed any register file").isEqualTo(126);
  }

  @Test
  @DisplayName("a field out of range is an IllegalArgumentException")
  void shouldRejectFieldsOutOfRange() {
    assertThatThrownBy(() -> MessageTag.of(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageTag.of(MessageTag.MAX_LABEL + 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageTag.of(0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageTag.of(0, 64)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageTag.of(0, 0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageTag.of(0, 0, 64, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageTag.of(0, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageTag.of(0, 0, 0, 16)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the kernel's two reserved labels are distinct and fit a label")
  void shouldReserveTwoLabels() {
    assertThat(MessageTag.INTERRUPT_LABEL).isEqualTo(0xFFF0L);
    assertThat(MessageTag.NOTIFICATION_LABEL).isEqualTo(0xFFF1L);
    assertThat(MessageTag.label(MessageTag.of(MessageTag.INTERRUPT_LABEL, 1))).isEqualTo(MessageTag.INTERRUPT_LABEL);
    assertThat(MessageTag.label(MessageTag.of(MessageTag.NOTIFICATION_LABEL, 0)))
        .isEqualTo(MessageTag.NOTIFICATION_LABEL);
  }

  @Test
  @DisplayName("toString prints the label in hex and the counts and flags in decimal")
  void shouldPrintATag() {
    assertThat(MessageTag.toString(MessageTag.of(0xAB, 3, 2, 1))).isEqualTo("tag[label=0xab, u=3, t=2, flags=1]");
    assertThat(MessageTag.toString(0)).isEqualTo("tag[label=0x0, u=0, t=0, flags=0]");
  }
}
