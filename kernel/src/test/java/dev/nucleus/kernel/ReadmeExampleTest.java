package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example in README.md, verbatim: if this stops compiling or passing, fix the README too. */
@org.junit.jupiter.api.Timeout(30)
class ReadmeExampleTest {

  @Test
  void theReadmeExampleWorks() {
    try (Kernel kernel = Kernel.create()) {
      Space serverSpace = kernel.createSpace("server");
      Space clientSpace = kernel.createSpace("client");
      kernel.createChannel(serverSpace, clientSpace);

      IpcThread echo = serverSpace.spawn("echo", self -> {
        int status = self.waitAny(Timeout.NEVER);
        while (status == Status.OK) {
          self.setMr(1, self.mr(1) + 1);           // the reply, in the registers
          status = self.replyWait(Timeout.NEVER);  // answer and wait for the next call at once
        }
      });

      IpcThread client = clientSpace.attach("main");
      client.setTag(MessageTag.of(1, 1));
      client.setMr(1, 41);
      int status = client.call(echo.id());         // Status.OK, and client.mr(1) == 42

      assertThat(status).isEqualTo(Status.OK);
      assertThat(client.mr(1)).isEqualTo(42);
      assertThat(client.sender()).isEqualTo(echo.id());
    }
  }

  // The process-space example in README.md.
  public static final class Echo implements ProcessComponent {
    public void run(ProcessContext context) {
      IpcThread self = context.space().attach("echo");
      context.publish(self.id());
      int status = self.waitAny(Timeout.NEVER);
      while (Status.code(status) != Status.CLOSED) {
        status = self.replyWait(Timeout.NEVER);
      }
    }
  }

  @Test
  void theReadmeProcessSpaceExampleWorks() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      Space client = kernel.createSpace("client");
      try (ProcessSpace echo = kernel.spawnProcessSpace("echo", Echo.class, client)) {
        long server = echo.awaitPublished(Duration.ofSeconds(30));
        IpcThread me = client.attach("me");
        me.setTag(MessageTag.of(1, 0));
        int status = me.call(server);   // OK; PEER_DEAD (receive phase) within ms if the process dies

        assertThat(status).isEqualTo(Status.OK);
        me.close();
      }
    }
  }
}
