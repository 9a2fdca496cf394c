package dev.nucleus.kernel.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The line checks the descriptors run when they initialise, called here by name. */
@Tag("unit")
@DisplayName("Descriptor lines")
class DescriptorLinesTest {

  @Test
  @DisplayName("a TCB's hot fields fit line 0, and no TCB line overflows")
  void shouldFitTcbLines() {
    assertThatCode(TcbDescriptor::checkLines).doesNotThrowAnyException();
    assertThat(TcbDescriptor.LINE_0_END).isLessThanOrEqualTo(TcbDescriptor.LINE);
  }

  @Test
  @DisplayName("a receive point's hot fields fit line 0, and its queue fits line 1")
  void shouldFitReceivePointLines() {
    assertThatCode(ReceivePointDescriptor::checkLines).doesNotThrowAnyException();
    assertThat(ReceivePointDescriptor.LINE_0_END).isLessThanOrEqualTo(ReceivePointDescriptor.LINE);
  }
}
