package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.rpc.DeadlineExceededException;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.LocalBinding;
import dev.nucleus.rpc.NotDeliveredException;
import dev.nucleus.rpc.RemoteFailureException;
import dev.nucleus.rpc.RpcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The KeyValue service, generated and called through a LocalBinding. */
@Tag("unit")
@Timeout(60)
@DisplayName("KeyValue through a LocalBinding")
class KeyValueTest {

  private final Fixture fixture = new Fixture();
  private final KeyValueStore store = new KeyValueStore();
  private final LocalBinding binding = LocalBinding.create(fixture.space, KeyValue_Service.INSTANCE.newAdapter(store));
  private final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);

  @AfterEach
  void close() {
    binding.close();
    fixture.close();
  }

  @Test
  @DisplayName("get(long) returns the server's result and put(String, byte[]) stores a copy")
  void shouldRoundTripValues() throws Exception {
    assertThat(kv.get(41)).isEqualTo(42);
    final byte[] value = {1, 2, 3};
    kv.put("k", value);
    value[0] = 9;
    assertThat(store.values.get("k")).containsExactly(1, 2, 3);
  }

  @Test
  @DisplayName("a declared exception is rethrown at the client with its type and message")
  void shouldRethrowDeclaredExceptions() {
    assertThatThrownBy(() -> kv.put("a key much longer than sixteen", new byte[0]))
        .isExactlyInstanceOf(KeyTooLong.class)
        .hasMessage("key of 30 chars, at most 16");
    assertThat(store.values).isEmpty();
  }

  @Test
  @DisplayName("an undeclared exception is a RemoteFailureException with the server's class and message; the next call works")
  void shouldReportUndeclaredFailures() {
    assertThatThrownBy(() -> kv.get(-1))
        .isInstanceOfSatisfying(RemoteFailureException.class, e -> {
          assertThat(e.remoteClass()).isEqualTo(IllegalStateException.class.getName());
          assertThat(e.remoteMessage()).isEqualTo("no key -1 here");
          assertThat(e.delivered()).isTrue();
          assertThat(e.getMessage()).contains("KeyValue.get(J)J");
        });
    assertThat(kv.get(1)).isEqualTo(2);
  }

  @Test
  @DisplayName("a oneway call returns once delivered; a failure at the server does not reach the client")
  void shouldDeliverOnewayCalls() {
    kv.log("hello");
    kv.log("fail");
    kv.log("world");
    assertThat(store.log).containsExactly("hello", "world");
    assertThat(store.calls).hasValue(3);
  }

  @Test
  @DisplayName("a deadline already passed fails in the SEND phase: not delivered, nothing ran")
  void shouldFailAnExpiredDeadlineBeforeDispatch() {
    assertThatThrownBy(() -> Deadlines.within(Duration.ZERO, () -> kv.get(1)))
        .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
          assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND);
          assertThat(e.delivered()).isFalse();
        });
    assertThatThrownBy(() -> Deadlines.within(Duration.ofNanos(-5), () -> kv.log("late")))
        .isInstanceOf(DeadlineExceededException.class);
    assertThat(store.calls).hasValue(0);
    assertThat(kv.get(1)).as("the binding's default deadline applies again").isEqualTo(2);
  }

  @Test
  @DisplayName("a binding whose default timeout is zero fails every call in the SEND phase")
  void shouldApplyTheBindingsDefaultDeadline() {
    try (LocalBinding expired = LocalBinding.create(fixture.space, KeyValue_Service.INSTANCE.newAdapter(store),
        Duration.ZERO, LocalBinding.DEFAULT_STACK_BYTES)) {
      final KeyValue late = expired.proxy(KeyValue_Service.INSTANCE);
      assertThatThrownBy(() -> late.get(1)).isInstanceOf(DeadlineExceededException.class);
      assertThat(Deadlines.within(Duration.ofMinutes(1), () -> late.get(1)))
          .as("a per-call deadline replaces the default").isEqualTo(2);
    }
  }

  @Test
  @DisplayName("a closed binding refuses calls with NotDeliveredException")
  void shouldRefuseCallsOnAClosedBinding() {
    binding.close();
    assertThatThrownBy(() -> kv.get(1))
        .isInstanceOfSatisfying(NotDeliveredException.class, e -> assertThat(e.delivered()).isFalse());
    assertThat(store.calls).hasValue(0);
  }

  @Test
  @DisplayName("threads calling through one binding at once each get their own result")
  void shouldServeConcurrentCallers() throws Exception {
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        final long base = t * 1_000_000L;
        results.add(pool.submit(() -> {
          for (long i = 0; i < 2_000; i++) {
            if (kv.get(base + i) != base + i + 1) {
              return false;
            }
          }
          return true;
        }));
      }
      for (final Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(binding.slots()).isBetween(1, 4);
  }
}
