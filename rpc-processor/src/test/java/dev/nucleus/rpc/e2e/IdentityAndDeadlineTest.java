package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.LocalBinding;
import dev.nucleus.rpc.ServerCall;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What an implementation sees through ServerCall.current(): the caller and the deadline. */
@Tag("unit")
@Timeout(60)
@DisplayName("ServerCall.current() through a LocalBinding")
class IdentityAndDeadlineTest {

  private final Fixture fixture = new Fixture();
  private final AtomicReference<Introspect> self = new AtomicReference<>();
  private final LocalBinding binding = LocalBinding.create(fixture.space,
      Introspect_Service.INSTANCE.newAdapter(this::serve));

  /** The implementation: reports its ServerCall, after calling itself {@code depth} times. */
  private CallInfo serve(int depth) {
    final ServerCall before = ServerCall.current();
    final int nested = depth > 0 ? self.get().whoIsCalling(depth - 1).nestedCalls() + 1 : 0;
    final ServerCall call = ServerCall.current();
    assertThat(call).as("the outer call is current again after a nested one").isSameAs(before);
    return new CallInfo(call.callerSpace(), call.callerThread(), call.callerPid(), call.remainingNanos(), nested);
  }

  @AfterEach
  void close() {
    binding.close();
    fixture.close();
  }

  @Test
  @DisplayName("the server sees the caller's space, thread NIL (a plain thread) and pid 0 (this process)")
  void shouldShowTheCaller() {
    self.set(binding.proxy(Introspect_Service.INSTANCE));
    final CallInfo info = self.get().whoIsCalling(0);
    assertThat(info.space()).isEqualTo(fixture.space.number());
    assertThat(info.thread()).isEqualTo(ThreadId.NIL);
    assertThat(info.pid()).isZero();
  }

  @Test
  @DisplayName("the deadline travels with the call: the server sees no more time left than the caller gave")
  void shouldCarryTheDeadline() {
    self.set(binding.proxy(Introspect_Service.INSTANCE));
    final Duration given = Duration.ofSeconds(5);
    final CallInfo info = Deadlines.within(given, () -> self.get().whoIsCalling(0));
    assertThat(info.remainingNanos()).isPositive().isLessThanOrEqualTo(given.toNanos());
    final CallInfo byDefault = self.get().whoIsCalling(0);
    assertThat(byDefault.remainingNanos()).isPositive().isLessThanOrEqualTo(LocalBinding.DEFAULT_TIMEOUT.toNanos());
  }

  @Test
  @DisplayName("a deadline only shrinks: an inner within() cannot extend the outer one")
  void shouldKeepTheEarlierDeadline() {
    self.set(binding.proxy(Introspect_Service.INSTANCE));
    final CallInfo info = Deadlines.within(Duration.ofSeconds(2),
        () -> Deadlines.within(Duration.ofDays(1), () -> self.get().whoIsCalling(0)));
    assertThat(info.remainingNanos()).isLessThanOrEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  @DisplayName("calls nest: an implementation calling a local service sees its own ServerCall again afterwards")
  void shouldNestCalls() {
    self.set(binding.proxy(Introspect_Service.INSTANCE));
    final CallInfo info = self.get().whoIsCalling(3);
    assertThat(info.nestedCalls()).isEqualTo(3);
    assertThat(binding.slots()).as("one slot per call in flight").isEqualTo(4);
  }

  @Test
  @DisplayName("outside a call, ServerCall.current() is an IllegalStateException")
  void shouldRefuseCurrentOutsideACall() {
    assertThat(ServerCall.inCall()).isFalse();
    assertThatThrownBy(ServerCall::current).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not serving");
  }
}
