package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Closing a channel revokes it for IPC already queued through it too, as seL4 cancels the IPC
 * pending on a deleted capability: the queued sender gets NOT_PERMITTED in the send phase, and the
 * receiver never sees its message.
 */
@DisplayName("Channel revocation")
class ChannelRevocationTest {

  @Test
  @DisplayName("a call queued before the channel closed fails with NOT_PERMITTED (send phase) and is never delivered")
  void closingAChannelRevokesQueuedCalls() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space a = kernel.createSpace("a");
      final Space b = kernel.createSpace("b");
      final Channel channel = kernel.createChannel(a, b);
      final IpcThread receiver = b.attach("receiver", WaitStrategy.BLOCK); // never receives until told
      final CompletableFuture<Integer> result = new CompletableFuture<>();
      final IpcThread caller = a.spawn("caller", WaitStrategy.BLOCK, self -> {
        self.setTag(MessageTag.of(7, 0));
        result.complete(self.call(receiver.id()));
      });
      ProcessTests.awaitState(kernel, caller.id(), IpcState.Kind.SENDING);

      channel.close();

      assertThat(Status.toString(result.get(30, TimeUnit.SECONDS)))
          .isEqualTo(Status.toString(Status.send(Status.NOT_PERMITTED)));
      assertThat(receiver.receive(ThreadId.ANY, Timeout.ZERO)).as("nothing reaches the receiver")
          .isEqualTo(Status.receive(Status.NO_PARTNER));
      receiver.close();
    }
  }

  @Test
  @DisplayName("a queued send that loses its channel is not taken by a receive that starts afterwards")
  void aReceiverDoesNotTakeARevokedSender() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space a = kernel.createSpace("a");
      final Space b = kernel.createSpace("b");
      final Channel channel = kernel.createChannel(a, b);
      final IpcThread receiver = b.attach("receiver", WaitStrategy.BLOCK);
      final CompletableFuture<Integer> result = new CompletableFuture<>();
      final IpcThread sender = a.spawn("sender", WaitStrategy.SPIN, self -> {
        self.setTag(MessageTag.of(8, 0));
        result.complete(self.send(receiver.id(), Timeout.NEVER));
      });
      ProcessTests.awaitState(kernel, sender.id(), IpcState.Kind.SENDING);
      channel.close();
      // Whether the sender has cancelled itself yet or not, the receiver must not get the message.
      assertThat(receiver.receive(ThreadId.ANY, Timeout.ZERO)).isEqualTo(Status.receive(Status.NO_PARTNER));
      assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(Status.send(Status.NOT_PERMITTED));
      receiver.close();
    }
  }
}
