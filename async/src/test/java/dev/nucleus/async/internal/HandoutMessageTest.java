package dev.nucleus.async.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.WaitStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handout request's encoding of a queue name in message registers (docs/queues.md). */
@Tag("unit")
@org.junit.jupiter.api.Timeout(30)
@DisplayName("The handout message")
class HandoutMessageTest {

  private Kernel kernel;
  private IpcThread t;

  @BeforeEach
  void start() {
    kernel = new Kernel(Kernel.Config.defaults().withMessageRegisters(8));
    t = kernel.createSpace("s").attach("t", WaitStrategy.SPIN);
  }

  @AfterEach
  void stop() {
    t.close();
    kernel.close();
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"q", "eight ch", "nine char", "stream/ünïcödé", "€€€€€€€€€€€€€€€€",
      "forty-eight bytes of name, the most there may be"})
  @DisplayName("a name of 1 to 48 bytes fits in the eight registers every kernel has and reads back the same")
  void shouldCarryANameInEightRegisters(String name) {
    final byte[] utf8 = HandoutMessage.checkName(name);
    HandoutMessage.putRequest(t, true, utf8);
    assertThat(MessageTag.label(t.tag())).isEqualTo(HandoutMessage.OPEN_SENDER_LABEL);
    assertThat(MessageTag.untyped(t.tag())).isEqualTo(1 + (utf8.length + 7) / 8).isLessThanOrEqualTo(7);
    assertThat(t.mr(HandoutMessage.NAME_LENGTH_MR)).isEqualTo(utf8.length);
    assertThat(HandoutMessage.takeName(t)).isEqualTo(name);
  }

  @Test
  @DisplayName("packs the name's bytes little-endian, eight to a register, the unused bytes zero")
  void shouldPackLittleEndian() {
    HandoutMessage.putRequest(t, false, HandoutMessage.checkName("abcdefghi"));
    assertThat(MessageTag.label(t.tag())).isEqualTo(HandoutMessage.OPEN_RECEIVER_LABEL);
    assertThat(t.mr(HandoutMessage.NAME_MR)).isEqualTo(0x6867_6665_6463_6261L);
    assertThat(t.mr(HandoutMessage.NAME_MR + 1)).isEqualTo(0x69L);
  }

  @Test
  @DisplayName("reads no name from a malformed request")
  void shouldRejectMalformedRequests() {
    HandoutMessage.putRequest(t, true, HandoutMessage.checkName("abc"));
    t.setMr(HandoutMessage.NAME_MR, 0x0000_0000_FF63_6261L); // a byte past the length
    assertThat(HandoutMessage.takeName(t)).isNull();
    t.setMr(HandoutMessage.NAME_MR, 0x0000_0000_00FF_FE61L); // not UTF-8
    assertThat(HandoutMessage.takeName(t)).isNull();
    t.setMr(HandoutMessage.NAME_MR, 0x0000_0000_0062_0061L); // a NUL
    assertThat(HandoutMessage.takeName(t)).isNull();
    t.setMr(HandoutMessage.NAME_MR, 0x63_6261L);
    assertThat(HandoutMessage.takeName(t)).isEqualTo("abc");
    t.setTag(MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 3)); // a word more than the length needs
    assertThat(HandoutMessage.takeName(t)).isNull();
    t.setTag(MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 2, 1, 0)); // a typed word
    assertThat(HandoutMessage.takeName(t)).isNull();
    t.setTag(MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 2));
    t.setMr(HandoutMessage.NAME_LENGTH_MR, 0);
    assertThat(HandoutMessage.takeName(t)).isNull();
    t.setMr(HandoutMessage.NAME_LENGTH_MR, -1);
    assertThat(HandoutMessage.takeName(t)).isNull();
  }

  @Test
  @DisplayName("refuses names that are empty, longer than 48 bytes, hold a NUL, or are not text")
  void shouldRefuseBadNames() {
    assertThatThrownBy(() -> HandoutMessage.checkName("")).hasMessageContaining("has 0");
    assertThatThrownBy(() -> HandoutMessage.checkName("x".repeat(49))).hasMessageContaining("1 to 48 bytes");
    assertThatThrownBy(() -> HandoutMessage.checkName("€".repeat(17))).hasMessageContaining("has 51");
    assertThatThrownBy(() -> HandoutMessage.checkName("a\0b")).hasMessageContaining("NUL");
    assertThatThrownBy(() -> HandoutMessage.checkName("\uDC00")).hasMessageContaining("lone surrogates");
  }
}
