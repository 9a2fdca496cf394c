package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.IpcState.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link IpcState}: the snapshot {@code nucleus ps} prints. */
@Tag("unit")
@DisplayName("IpcState")
class IpcStateTest {

  private static final long THREAD = ThreadId.of(3, 17, 2);
  private static final long ENDPOINT = ThreadId.endpoint(1, 0, 1);

  @Test
  @DisplayName("a sender names its destination")
  void shouldPrintTheDestinationOfASender() {
    assertThat(new IpcState(Kind.SENDING, THREAD, ThreadId.NIL)).hasToString("sending to T3.17v2");
  }

  @Test
  @DisplayName("a receiver names its source, and the endpoint it waits on if any")
  void shouldPrintTheSourceAndEndpointOfAReceiver() {
    assertThat(new IpcState(Kind.RECEIVING, THREAD, ThreadId.NIL)).hasToString("receiving from T3.17v2");
    assertThat(new IpcState(Kind.RECEIVING, ThreadId.ANY, ThreadId.NIL)).hasToString("receiving from any");
    assertThat(new IpcState(Kind.RECEIVING, ThreadId.ANY, ENDPOINT)).hasToString("receiving from any on E1.0v1");
  }

  @Test
  @DisplayName("a caller waiting for its reply names the thread it waits for")
  void shouldPrintThePartnerOfAWaitingCaller() {
    assertThat(new IpcState(Kind.WAITING_FOR_REPLY, THREAD, ThreadId.NIL)).hasToString("waiting for reply from T3.17v2");
  }

  @Test
  @DisplayName("the other kinds print their name in words")
  void shouldPrintTheOtherKindsInWords() {
    assertThat(new IpcState(Kind.IDLE, ThreadId.NIL, ThreadId.NIL)).hasToString("idle");
    assertThat(new IpcState(Kind.WAITING_FOR_NOTIFICATION, ThreadId.NIL, ThreadId.NIL))
        .hasToString("waiting for notification");
    assertThat(new IpcState(Kind.TRANSFERRING, ThreadId.NIL, ThreadId.NIL)).hasToString("transferring");
    assertThat(new IpcState(Kind.DEAD, ThreadId.NIL, ThreadId.NIL)).hasToString("dead");
  }

  @Test
  @DisplayName("two snapshots of the same state are equal")
  void shouldCompareByValue() {
    assertThat(new IpcState(Kind.SENDING, THREAD, ENDPOINT)).isEqualTo(new IpcState(Kind.SENDING, THREAD, ENDPOINT))
        .isNotEqualTo(new IpcState(Kind.SENDING, THREAD, ThreadId.NIL));
  }
}
