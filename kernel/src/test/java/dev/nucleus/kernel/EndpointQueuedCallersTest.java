package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link Endpoint#hasQueuedCallers()}: true while a sender or a caller waits at the endpoint for a
 * member to take it, false once taken or gone; a hint an RPC pool thread reads to know that
 * callers wait while it does something else.
 */
@DisplayName("Endpoint.hasQueuedCallers: senders waiting at an endpoint, as a hint")
@org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS)
class EndpointQueuedCallersTest {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  @DisplayName("a call queued at an endpoint nobody waits on shows; taken by a member, it does not")
  void queuedCallsShow() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space server = kernel.createSpace("server");
      final Space client = kernel.createSpace("client");
      kernel.createChannel(client, server);
      final Endpoint endpoint = server.createEndpoint("pool");
      assertThat(endpoint.hasQueuedCallers()).as("nobody has called").isFalse();
      final CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> {
        try (IpcThread caller = client.attach("caller", WaitStrategy.BLOCK)) {
          caller.setTag(MessageTag.of(1, 1));
          caller.setMr(1, 41);
          final int status = caller.call(endpoint.id(), Timeout.relative(PATIENCE), Timeout.relative(PATIENCE));
          return status == Status.OK ? (int) caller.mr(1) : -status;
        }
      });
      final long until = System.nanoTime() + PATIENCE.toNanos();
      while (!endpoint.hasQueuedCallers() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(endpoint.hasQueuedCallers()).as("the call waits at the endpoint").isTrue();
      try (IpcThread member = server.attach("member")) {
        assertThat(member.waitAt(endpoint, Timeout.relative(PATIENCE))).isEqualTo(Status.OK);
        assertThat(endpoint.hasQueuedCallers()).as("taken by a member").isFalse();
        member.setTag(MessageTag.of(2, 1));
        member.setMr(1, member.mr(1) + 1);
        assertThat(member.reply()).isEqualTo(Status.OK);
      }
      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(42);
      assertThat(endpoint.hasQueuedCallers()).isFalse();
    }
  }
}
