package dev.nucleus.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract between generated code and transports, without generated code: ServerCall turns
 * what a dispatcher does into an outcome and a reply, and ClientCall turns an outcome and a reply
 * (possibly hostile) into a result or an exception.
 */
@Tag("unit")
@Timeout(10)
@DisplayName("ServerCall and ClientCall")
class CallContractTest {

  private static final MethodDescriptor GET = new MethodDescriptor("S", "get", "(J)J", MethodIds.methodId("get", "(J)J"),
      false, 2);
  private static final MethodDescriptor LOG = new MethodDescriptor("S", "log", "()V", MethodIds.methodId("log", "()V"),
      true, 0);

  private final Arena arena = Arena.ofAuto();
  private final Frame request = new Frame(arena.allocate(256, 8));
  private final Frame reply = new Frame(arena.allocate(256, 8));
  private final ServerCall server = new ServerCall(request, reply);

  /** A dispatcher that runs {@code body} for method 1 and knows no other. */
  private static Dispatcher dispatcher(Consumer<ServerCall> body) {
    return new Dispatcher() {
      @Override
      public ServiceDescriptor<?> service() {
        return null;
      }

      @Override
      public boolean dispatch(int methodId, ServerCall call) {
        if (methodId != 1) {
          return false;
        }
        body.accept(call);
        return true;
      }
    };
  }

  private int serve(Consumer<ServerCall> body) {
    request.flip();
    server.begin(1, false, Deadlines.NONE, 3, 0, 0);
    final int outcome = server.serve(dispatcher(body));
    reply.flip();
    return outcome;
  }

  @Test
  @DisplayName("a result is OK, a declared failure is its index and message")
  void shouldReportResultsAndDeclaredFailures() {
    assertThat(serve(call -> {
      call.argumentsRead();
      call.reply().putLong(5);
    })).isEqualTo(Outcome.OK);
    assertThat(reply.getLong()).isEqualTo(5);
    request.clear();
    assertThat(serve(call -> call.fail(1, "too long"))).isEqualTo(Outcome.DECLARED_FAILURE);
    assertThat(reply.getInt()).isEqualTo(1);
    assertThat(reply.getString()).isEqualTo("too long");
  }

  @Test
  @DisplayName("an unknown method is UNKNOWN_METHOD with an empty reply")
  void shouldReportUnknownMethods() {
    request.flip();
    server.begin(2, false, Deadlines.NONE, 3, 0, 0);
    assertThat(server.serve(dispatcher(call -> { }))).isEqualTo(Outcome.UNKNOWN_METHOD);
    assertThat(reply.position()).isZero();
  }

  @Test
  @DisplayName("a MalformedFrameException before argumentsRead() is the request's; after, the implementation's")
  void shouldTellMalformedRequestsFromImplementationFailures() {
    assertThat(serve(call -> call.request().getLong())).isEqualTo(Outcome.MALFORMED_REQUEST);
    assertThat(reply.getString()).contains("long");
    assertThat(reply.getLong()).isZero();
    request.clear();
    assertThat(serve(call -> {
      call.argumentsRead();
      throw new MalformedFrameException("from a call the implementation made", 7);
    })).isEqualTo(Outcome.UNDECLARED_FAILURE);
    assertThat(reply.getString()).isEqualTo(MalformedFrameException.class.getName());
  }

  @Test
  @DisplayName("an undeclared exception is UNDECLARED_FAILURE; a VirtualMachineError propagates; current() is restored")
  void shouldContainFailures() {
    assertThat(serve(call -> {
      assertThat(ServerCall.current()).isSameAs(call);
      throw new IllegalStateException("boom");
    })).isEqualTo(Outcome.UNDECLARED_FAILURE);
    assertThat(reply.getString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(reply.getString()).isEqualTo("boom");
    assertThat(server.failure()).isInstanceOf(IllegalStateException.class);
    assertThat(ServerCall.inCall()).isFalse();
    request.clear();
    assertThatThrownBy(() -> serve(call -> {
      throw new StackOverflowError();
    })).isInstanceOf(StackOverflowError.class);
    assertThat(ServerCall.inCall()).isFalse();
  }

  @Test
  @DisplayName("the server sees the identity and deadline the transport stamped")
  void shouldExposeIdentityAndDeadline() {
    server.begin(1, true, Deadlines.NONE, 9, 42, 1234);
    assertThat(server.caller()).isEqualTo(new Caller(9, 42, 1234));
    assertThat(server.caller().sameProcess()).isFalse();
    assertThat(server.oneway()).isTrue();
    assertThat(server.remainingNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(server.expired()).isFalse();
    assertThat(server.timeout()).isEqualTo(dev.nucleus.kernel.Timeout.NEVER);
    server.begin(1, false, 0, 9, 42, 0);
    assertThat(server.expired()).isTrue();
    assertThat(server.remaining()).isZero();
  }

  /** A client call whose transport answers with {@code outcome} and the reply {@code writer} writes. */
  private final class Scripted extends ClientCall {
    private final int outcome;
    private final Consumer<Frame> writer;

    Scripted(MethodDescriptor method, int outcome, Consumer<Frame> writer) {
      super(request, reply);
      this.outcome = outcome;
      this.writer = writer;
      open(method, Deadlines.NONE);
    }

    @Override
    protected int transmit() {
      reply().clear();
      writer.accept(reply());
      reply().flip();
      return outcome;
    }

    @Override
    protected void transmitOneway() {}

    @Override
    public void close() {}
  }

  @Test
  @DisplayName("the client turns each outcome into the result or the exception it stands for")
  void shouldDecodeOutcomes() {
    assertThat(new Scripted(GET, Outcome.OK, f -> f.putLong(9)).invoke().getLong()).isEqualTo(9);
    final Scripted declared = new Scripted(GET, Outcome.DECLARED_FAILURE, f -> {
      f.putInt(1);
      f.putString("msg");
    });
    declared.invoke();
    assertThat(declared.declaredFailure()).isEqualTo(1);
    assertThat(declared.failureMessage()).isEqualTo("msg");
    assertThatThrownBy(() -> new Scripted(GET, Outcome.UNDECLARED_FAILURE, f -> {
      f.putString("java.lang.Error");
      f.putString(null);
    }).invoke()).isInstanceOfSatisfying(RemoteFailureException.class, e -> {
      assertThat(e.remoteClass()).isEqualTo("java.lang.Error");
      assertThat(e.remoteMessage()).isNull();
    });
    assertThatThrownBy(() -> new Scripted(GET, Outcome.UNKNOWN_METHOD, f -> { }).invoke())
        .isInstanceOf(UnknownMethodException.class).hasMessageContaining("get(J)J");
    assertThatThrownBy(() -> new Scripted(GET, Outcome.MALFORMED_REQUEST, f -> {
      f.putString("negative count -2");
      f.putLong(12);
    }).invoke()).isInstanceOfSatisfying(MalformedFrameException.class, e -> assertThat(e.offset()).isEqualTo(12));
  }

  @Test
  @DisplayName("a hostile reply (bad outcome, declared index out of range, garbage payload) is MalformedFrameException")
  void shouldRejectHostileReplies() {
    assertThatThrownBy(() -> new Scripted(GET, 99, f -> { }).invoke()).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("outcome 99");
    assertThatThrownBy(() -> new Scripted(GET, Outcome.DECLARED_FAILURE, f -> {
      f.putInt(2);
      f.putString("x");
    }).invoke()).isInstanceOf(MalformedFrameException.class).hasMessageContaining("index 2");
    assertThatThrownBy(() -> new Scripted(GET, Outcome.UNDECLARED_FAILURE, f -> f.putInt(1 << 20)).invoke())
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  @DisplayName("invoke() is for two-way methods and send() for oneway ones")
  void shouldMatchTheCallKind() {
    assertThatThrownBy(() -> new Scripted(LOG, Outcome.OK, f -> { }).invoke()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new Scripted(GET, Outcome.OK, f -> { }).send()).isInstanceOf(IllegalStateException.class);
    new Scripted(LOG, Outcome.OK, f -> { }).send();
  }

  @Test
  @DisplayName("a oneway method declares no exceptions")
  void shouldRefuseOnewayWithExceptions() {
    assertThatThrownBy(() -> new MethodDescriptor("S", "x", "()V", 1, true, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(GET).hasToString("S.get(J)J");
  }
}
