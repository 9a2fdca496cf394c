package dev.nucleus.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.bench.lrpc.BenchServer;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gRPC form of the LRPC entries' service: its messages are checked before use, and it serves
 * {@code BenchServer} (over gRPC's in-process transport here: the wiring, not the network).
 */
@Timeout(30)
class GrpcKvServiceTest {

  /**
   * Where gRPC logs, at SEVERE, the server's failure to parse a malformed request (after the call
   * has failed): expected in these tests, so kept out of the build's output while they run. A
   * strong reference keeps the level.
   */
  private static final Logger PARSE_FAILURES = Logger.getLogger("io.grpc.internal.SerializingExecutor");

  private Server server;
  private ManagedChannel channel;
  private Level levelBefore;

  @BeforeEach
  void serveInProcess() throws Exception {
    levelBefore = PARSE_FAILURES.getLevel();
    PARSE_FAILURES.setLevel(Level.OFF);
    final String name = "grpc-kv-service-test-" + System.nanoTime();
    server = InProcessServerBuilder.forName(name).addService(GrpcKvService.serving(new BenchServer())).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    PARSE_FAILURES.setLevel(levelBefore);
  }

  private <Q, R> R call(MethodDescriptor<Q, R> method, Q request) {
    return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  @Test
  @DisplayName("each method answers as Bench does: nothing, the value, the byte[]'s length")
  void servesTheBenchOperations() {
    assertThat(call(GrpcKvService.NOTHING, GrpcKvService.Empty.INSTANCE)).isSameAs(GrpcKvService.Empty.INSTANCE);
    assertThat(call(GrpcKvService.ECHO, -42L)).isEqualTo(-42L);
    assertThat(call(GrpcKvService.TAKE, new byte[1 << 10])).isEqualTo(1 << 10);
    assertThat(call(GrpcKvService.TAKE, new byte[0])).isZero();
  }

  @Test
  @DisplayName("a message of the wrong length is refused, naming both lengths")
  void wrongLengthsAreRefused() {
    assertThatThrownBy(() -> GrpcKvService.ECHO.parseRequest(new ByteArrayInputStream(new byte[7])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a message of 7 bytes where 8 were expected");
    assertThatThrownBy(() -> GrpcKvService.TAKE.parseResponse(new ByteArrayInputStream(new byte[5])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a message of more than 4 bytes where 4 were expected");
    assertThatThrownBy(() -> GrpcKvService.NOTHING.parseRequest(new ByteArrayInputStream(new byte[1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a message of more than 0 bytes where 0 were expected");
  }

  @Test
  @DisplayName("a malformed request fails that call only: the server goes on serving")
  void aMalformedRequestFailsOnlyItsCall() {
    final MethodDescriptor<byte[], byte[]> rawEcho =
        GrpcKvService.ECHO.toBuilder(GrpcPeer.BYTES, GrpcPeer.BYTES).build();

    assertThatThrownBy(() -> call(rawEcho, new byte[3]))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isNotEqualTo(Status.Code.OK));
    assertThat(call(GrpcKvService.ECHO, 7L)).isEqualTo(7L);
  }
}
