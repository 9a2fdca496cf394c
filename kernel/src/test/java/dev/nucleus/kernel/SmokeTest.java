package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;


@org.junit.jupiter.api.Timeout(30)
class SmokeTest {
  @Test
  void pingPong() throws Exception {
    for (WaitStrategy w : WaitStrategy.values()) {
      try (Kernel k = new Kernel(Kernel.Config.defaults().withWaitStrategy(w))) {
        Space a = k.createSpace("client");
        Space b = k.createSpace("server");
        k.createChannel(a, b);
        IpcThread server = b.spawn("echo", self -> {
          int st = self.waitAny(Timeout.NEVER);
          while (st == Status.OK) {
            self.setMr(1, self.mr(1) + 1);
            st = self.replyWait(Timeout.NEVER);
          }
        });
        IpcThread c = a.attach("main");
        long t0 = System.nanoTime();
        int n = w == WaitStrategy.BLOCK ? 2000 : 200_000;
        for (int i = 0; i < n; i++) {
          c.setTag(MessageTag.of(1, 1));
          c.setMr(1, i);
          int st = c.call(server.id());
          if (st != Status.OK || c.mr(1) != i + 1 || c.sender() != server.id()) {
            throw new AssertionError(Status.toString(st));
          }
        }
        System.out.println(w + ": " + (System.nanoTime() - t0) / n + " ns/call");
        c.close();
        b.end();
        assertThat(b.awaitTermination(Duration.ofSeconds(5))).isTrue();
      }
    }
  }
}
