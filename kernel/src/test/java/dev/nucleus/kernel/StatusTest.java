package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link Status}: the codes, the phase flags and the names (protocol.md section 3). */
@Tag("unit")
@DisplayName("Status")
class StatusTest {

  /** Every error code of the IPC path, in the order of protocol.md's table. */
  private static final int[] ERRORS = {
    Status.TIMEOUT, Status.NO_PARTNER, Status.INVALID_ID, Status.STALE_ID, Status.PEER_DEAD, Status.ABORTED,
    Status.NOT_PERMITTED, Status.MSG_TOO_LONG, Status.INVALID_ARGUMENT, Status.CLOSED, Status.PROTOCOL_ERROR
  };

  @Test
  @DisplayName("the codes are 0 (OK) to 11, numbered as protocol.md lists them")
  void shouldNumberTheCodesAsTheProtocolDoes() {
    assertThat(Status.OK).isZero();
    assertThat(ERRORS).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
  }

  @Test
  @DisplayName("every code constant is named after itself")
  void shouldNameEveryCodeAfterItsConstant() throws IllegalAccessException {
    final List<String> codes = new ArrayList<>();
    for (Field f : Status.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && !f.getName().endsWith("_PHASE")) {
        final int code = f.getInt(null);
        codes.add(f.getName());
        assertThat(Status.name(code)).as("name of %s", f.getName()).isEqualTo(f.getName());
        assertThat(Status.name(Status.send(code))).as("the phase is not part of the name").isEqualTo(f.getName());
      }
    }
    assertThat(codes).hasSize(ERRORS.length + 1);
  }

  @Test
  @DisplayName("the phase flags lie above the code byte and apart from each other")
  void shouldKeepThePhaseFlagsApartFromTheCode() {
    assertThat(Status.SEND_PHASE).isEqualTo(1 << 8);
    assertThat(Status.RECEIVE_PHASE).isEqualTo(1 << 9);
    assertThat(Status.SEND_PHASE & 0xFF).isZero();
    assertThat(Status.RECEIVE_PHASE & 0xFF).isZero();
  }

  @Test
  @DisplayName("send(code) and receive(code) keep the code and say which phase failed")
  void shouldRoundTripEveryCodeThroughEachPhase() {
    for (int code : ERRORS) {
      final int sent = Status.send(code);
      final int received = Status.receive(code);
      assertThat(Status.code(sent)).isEqualTo(code);
      assertThat(Status.code(received)).isEqualTo(code);
      assertThat(Status.failedInSend(sent)).isTrue();
      assertThat(Status.failedInReceive(sent)).isFalse();
      assertThat(Status.failedInReceive(received)).isTrue();
      assertThat(Status.failedInSend(received)).isFalse();
      assertThat(Status.isOk(sent)).isFalse();
      assertThat(Status.isOk(received)).isFalse();
      assertThat(sent).isNotEqualTo(received);
    }
  }

  @Test
  @DisplayName("OK has no phase and is the only status isOk accepts")
  void shouldTreatOnlyOkAsSuccess() {
    assertThat(Status.isOk(Status.OK)).isTrue();
    assertThat(Status.failedInSend(Status.OK)).isFalse();
    assertThat(Status.failedInReceive(Status.OK)).isFalse();
    assertThat(Status.code(Status.OK)).isEqualTo(Status.OK);
    for (int code : ERRORS) {
      assertThat(Status.isOk(code)).as(Status.name(code)).isFalse();
    }
  }

  @Test
  @DisplayName("isValid accepts OK and every code alone or with a phase")
  void shouldAcceptEveryStatusTheKernelReturns() {
    assertThat(Status.isValid(Status.OK)).isTrue();
    for (int code : ERRORS) {
      assertThat(Status.isValid(code)).as(Status.name(code)).isTrue();
      assertThat(Status.isValid(Status.send(code))).as(Status.toString(Status.send(code))).isTrue();
      assertThat(Status.isValid(Status.receive(code))).as(Status.toString(Status.receive(code))).isTrue();
    }
  }

  @Test
  @DisplayName("isValid rejects unknown codes, OK with a phase, stray bits and negative values")
  void shouldRejectWhatNoCorrectPeerWrites() {
    assertThat(Status.isValid(ERRORS.length + 1)).as("the first unknown code").isFalse();
    assertThat(Status.isValid(0xFF)).isFalse();
    assertThat(Status.isValid(Status.send(Status.OK))).as("OK in the send phase").isFalse();
    assertThat(Status.isValid(Status.receive(Status.OK))).as("OK in the receive phase").isFalse();
    assertThat(Status.isValid(1 << 10 | Status.TIMEOUT)).as("a bit above the phases").isFalse();
    assertThat(Status.isValid(Integer.MIN_VALUE | Status.TIMEOUT)).as("the sign bit").isFalse();
    assertThat(Status.isValid(-1)).isFalse();
  }

  @Test
  @DisplayName("an unknown code is named UNKNOWN(n)")
  void shouldNameAnUnknownCode() {
    assertThat(Status.name(42)).isEqualTo("UNKNOWN(42)");
    assertThat(Status.name(Status.receive(0xFF))).isEqualTo("UNKNOWN(255)");
  }

  @Test
  @DisplayName("toString names the code and the phase that failed")
  void shouldPrintTheCodeAndItsPhase() {
    assertThat(Status.toString(Status.OK)).isEqualTo("OK");
    assertThat(Status.toString(Status.TIMEOUT)).isEqualTo("TIMEOUT");
    assertThat(Status.toString(Status.send(Status.STALE_ID))).isEqualTo("STALE_ID (send phase)");
    assertThat(Status.toString(Status.receive(Status.PEER_DEAD))).isEqualTo("PEER_DEAD (receive phase)");
  }
}
