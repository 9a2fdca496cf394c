package dev.nucleus.kernel.internal.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.nucleus.kernel.Status;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The engine's internal result codes never meet a status, a negated status or an index. */
@Tag("unit")
@DisplayName("Engine codes")
class EngineCodesTest {

  private static final List<Integer> CODES = List.of(EngineCodes.QUEUED, EngineCodes.QUEUED_AT_POLLER,
      EngineCodes.WRONG_LENGTH, EngineCodes.LOCK_BUSY, EngineCodes.NOTHING_TAKEN, EngineCodes.WAITING,
      EngineCodes.RESTART);

  /** Every status an IPC can return: each code, without a phase and with either phase. */
  private static IntStream statuses() {
    return IntStream.rangeClosed(Status.OK, Status.PROTOCOL_ERROR)
        .flatMap(code -> IntStream.of(code, Status.send(code), Status.receive(code)));
  }

  @Test
  @DisplayName("the range check passes")
  void shouldLieInTheirRange() {
    assertThatCode(EngineCodes::checkRanges).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("the codes are distinct")
  void shouldBeDistinct() {
    assertThat(CODES).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("no code is a status or a negated status")
  void shouldNeverBeAStatus() {
    statuses().forEach(status -> assertThat(CODES).as("status %d", status)
        .doesNotContain(status, -status));
  }

  @Test
  @DisplayName("no code is an index: every one is negative, and none is -1, the index of none")
  void shouldNeverBeAnIndex() {
    assertThat(CODES).allSatisfy(code -> assertThat(code).isLessThan(-1));
  }
}
