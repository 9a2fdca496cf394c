package dev.nucleus.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.Status;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which leg failed: every exception's delivered(), and the mapping of kernel statuses. */
@Tag("unit")
@Timeout(10)
@DisplayName("RpcException")
class RpcExceptionTest {

  @Test
  @DisplayName("each exception says whether the request was delivered")
  void shouldSayWhichLegFailed() {
    assertThat(new NotDeliveredException("x").delivered()).isFalse();
    assertThat(new FrameOverflowException("x").delivered()).isFalse();
    assertThat(new NotPermittedException("x").delivered()).isFalse();
    assertThat(new ReplyLostException("x").delivered()).isTrue();
    assertThat(new RemoteFailureException("S.m()V", "java.lang.Error", null).delivered()).isTrue();
    assertThat(new UnknownMethodException("S", 1, null).delivered()).isTrue();
    assertThat(new MalformedFrameException("bad", 3).delivered()).isTrue();
    assertThat(new DeadlineExceededException(RpcException.Phase.SEND, "x").delivered()).isFalse();
    assertThat(new DeadlineExceededException(RpcException.Phase.RECEIVE, "x").delivered()).isTrue();
    assertThat(new PeerDeadException(RpcException.Phase.SEND, "x").delivered()).isFalse();
    assertThat(new PeerDeadException(RpcException.Phase.RECEIVE, "x").delivered()).isTrue();
  }

  @Test
  @DisplayName("messages name what failed")
  void shouldNameWhatFailed() {
    assertThat(new UnknownMethodException("Store", 0x1234abcd, "describe()Ljava/lang/String;"))
        .hasMessage("service Store has no method 0x1234abcd (describe()Ljava/lang/String;) at the server; nothing ran");
    assertThat(new MalformedFrameException("negative count -2", 12))
        .hasMessage("malformed frame at offset 12: negative count -2");
    assertThat(new RemoteFailureException("S.m()V", "java.lang.IllegalStateException", "boom"))
        .hasMessage("S.m()V failed at the server: java.lang.IllegalStateException: boom");
  }

  @Test
  @DisplayName("a kernel status becomes the exception of its code and phase")
  void shouldMapKernelStatuses() {
    assertThat(RpcException.fromStatus(Status.send(Status.TIMEOUT), "S.m()V"))
        .isInstanceOfSatisfying(DeadlineExceededException.class,
            e -> assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND));
    assertThat(RpcException.fromStatus(Status.receive(Status.TIMEOUT), "S.m()V"))
        .isInstanceOfSatisfying(DeadlineExceededException.class,
            e -> assertThat(e.phase()).isEqualTo(RpcException.Phase.RECEIVE));
    assertThat(RpcException.fromStatus(Status.receive(Status.PEER_DEAD), "S.m()V"))
        .isInstanceOfSatisfying(PeerDeadException.class, e -> assertThat(e.delivered()).isTrue());
    assertThat(RpcException.fromStatus(Status.send(Status.STALE_ID), "S.m()V")).isInstanceOf(PeerDeadException.class);
    assertThat(RpcException.fromStatus(Status.send(Status.NOT_PERMITTED), "S.m()V"))
        .isInstanceOf(NotPermittedException.class);
    assertThat(RpcException.fromStatus(Status.send(Status.NO_PARTNER), "S.m()V"))
        .isInstanceOf(NotDeliveredException.class).hasMessageContaining("S.m()V");
    assertThat(RpcException.fromStatus(Status.receive(Status.ABORTED), "S.m()V"))
        .isInstanceOf(ReplyLostException.class);
    assertThatThrownBy(() -> RpcException.fromStatus(Status.OK, "S.m()V")).isInstanceOf(IllegalArgumentException.class);
  }
}
