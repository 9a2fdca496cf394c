package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.Dispatcher;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.MalformedFrameException;
import dev.nucleus.rpc.MethodDescriptor;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.ServerCall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Jazzer writes the request frame (the A-stack a hostile client controls) of any method of
 * {@link AllTypes}, which has an argument of every supported type, and the generated adapter
 * serves it through {@link ServerCall}. Whatever the bytes, the outcome is OK, a failure of the
 * implementation (DECLARED or UNDECLARED_FAILURE, only once the implementation was invoked), or
 * MALFORMED_REQUEST carrying a {@link MalformedFrameException}; no exception escapes, and the
 * decoding never allocates what the frame cannot hold (the test JVM's heap is 1 GiB).
 *
 * <p>Input: the frame's bytes, then one byte at the end choosing the method (Jazzer's data
 * provider takes numbers from the end). Under {@code ./nucleus test} this replays the regression
 * corpus in {@code src/test/resources/dev/nucleus/rpc/e2e/AllTypesFrameFuzzTestInputs/}; to fuzz
 * for real: {@code JAZZER_FUZZ=1 ./mvnw -pl rpc-processor -am verify -Dtest=AllTypesFrameFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("unit")
class AllTypesFrameFuzzTest {

  private static final List<MethodDescriptor> METHODS = AllTypes_Service.INSTANCE.methods();
  private static final Arena ARENA = Arena.ofAuto();
  private static final Frame REPLY = new Frame(ARENA.allocate(1 << 16), minimum -> ARENA.allocate(minimum, 8));

  /** Whether the implementation was called for the current input. */
  private static boolean invoked;

  /** The echo implementation, behind a proxy that records that it was called. */
  private static AllTypes recordingEcho() {
    final AllTypes echo = new AllTypesEcho();
    return (AllTypes) Proxy.newProxyInstance(AllTypes.class.getClassLoader(), new Class<?>[] {AllTypes.class},
        (proxy, method, args) -> {
          invoked = true;
          try {
            return method.invoke(echo, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @FuzzTest(maxDuration = "5m")
  void anyRequestFrameIsServedOrRejected(FuzzedDataProvider data) {
    final MethodDescriptor method = METHODS.get(data.consumeInt(0, METHODS.size() - 1));
    final byte[] bytes = data.consumeRemainingAsBytes();
    final Dispatcher adapter = AllTypes_Service.INSTANCE.newAdapter(recordingEcho());
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment segment = arena.allocate(Math.max(1, bytes.length), 8);
      MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
      final Frame request = new Frame(segment).wrap(bytes.length);
      final ServerCall call = new ServerCall(request, REPLY.clear());
      call.begin(method.id(), method.oneway(), Deadlines.NONE, 1, 0, 0);
      invoked = false;
      final int outcome = call.serve(adapter);
      switch (outcome) {
        case Outcome.OK -> assertThat(invoked).as("%s served without calling the implementation", method).isTrue();
        case Outcome.MALFORMED_REQUEST -> assertThat(call.failure()).as("%s rejected", method)
            .isInstanceOf(MalformedFrameException.class);
        case Outcome.DECLARED_FAILURE, Outcome.UNDECLARED_FAILURE -> assertThat(invoked)
            .as("%s: %s before the implementation was called: %s", method, Outcome.name(outcome), call.failure())
            .isTrue();
        default -> throw new AssertionError(method + ": outcome " + Outcome.name(outcome), call.failure());
      }
    }
  }
}
