package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

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
}
