package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.layout.TcbDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Untrusted memory: a peer that writes garbage into a live channel gets errors, and the other
 * side never crashes, never hangs past its timeouts, never touches memory outside the segment.
 * Here the test plays the hostile peer against both a client thread of this process and the echo
 * server in the child process, while they keep calling each other with timeouts. Seeded, so a
 * failure reproduces; {@link HostilePeerFuzzTest} drives the same peer with Jazzer.
 */
@org.junit.jupiter.api.Timeout(value = 180, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
@Tag("system")
class HostilePeerTest {

  @Test
  void garbageInTheChannelGivesErrorsNeverACrashOrAHang() throws Exception {
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(WaitStrategy.ADAPTIVE))) {
      final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(20261128);
      final long timeout = Timeout.relative(Duration.ofMillis(20));
      int ok = 0;
      int failed = 0;
      // Episodes with a fresh victim each: once a peer has broken a channel, it stays broken.
      for (int episode = 0; episode < 6; episode++) {
        final Space client = kernel.createSpace("client-" + episode);
        final ProcessSpace echo = kernel.spawnProcessSpace("echo-" + episode, EchoComponent.class, client);
        final long server = echo.awaitPublished(Duration.ofSeconds(30));
        try (IpcThread me = client.attach("me")) {
          final HostilePeer peer = new HostilePeer(echo.link(), ThreadId.index(server), me.engine.index);
          for (int round = 0; round < 80; round++) {
            if (random.nextInt(8) == 0) {
              peer.scribble(random::nextInt, random::nextLong);
            }
            me.setTag(MessageTag.of(1, 1));
            me.setMr(1, round);
            final int status = me.call(server, timeout, timeout); // must return: no exception, no hang
            if (status == Status.OK) {
              ok++;
            } else {
              failed++;
              assertThat(Status.isValid(status)).as("a status this kernel defines: %s", status).isTrue();
            }
          }
        }
        assertThat(echo.isAlive()).as("the child survived the garbage in its channel (exit code %s)",
            echo.isAlive() ? "none" : echo.exitCode()).isTrue();
        echo.close();
      }
      System.err.println("hostile peer: " + ok + " calls answered, " + failed + " failed cleanly");
      assertThat(ok).as("calls before the first scribble of each episode succeed").isPositive();
      // The damage stays in that channel: a fresh one works as ever.
      final Space other = kernel.createSpace("other");
      final ProcessSpace echo2 = kernel.spawnProcessSpace("echo2", EchoComponent.class, other);
      final long server2 = echo2.awaitPublished(Duration.ofSeconds(30));
      try (IpcThread me2 = other.attach("me2")) {
        me2.setTag(MessageTag.of(1, 1));
        me2.setMr(1, 41);
        assertThat(me2.call(server2, Timeout.relative(Duration.ofSeconds(10)), Timeout.relative(Duration.ofSeconds(10))))
            .isEqualTo(Status.OK);
        assertThat(me2.mr(1)).isEqualTo(42);
      }
      echo2.close();
    }
  }

  @Test
  void aForgedSenderIdIsReportedNeverDelivered() throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space client = kernel.createSpace("client");
      final ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, client);
      final long server = echo.awaitPublished(Duration.ofSeconds(30));
      final java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
      final IpcThread victim = client.spawn("victim", self -> {
        final int status = self.waitAny(Timeout.relative(Duration.ofSeconds(20)));
        final String first = Status.toString(status) + " from " + ThreadId.toString(self.sender());
        self.setTag(MessageTag.of(1, 1));
        self.setMr(1, 6);
        final int call = self.call(server, Timeout.relative(Duration.ofSeconds(10)), Timeout.relative(Duration.ofSeconds(10)));
        outcome.complete(first + "; then " + Status.toString(call) + " " + self.mr(1));
      });
      for (int i = 0; i < 30_000 && kernel.ipcState(victim.id()).kind() != IpcState.Kind.RECEIVING; i++) {
        Thread.sleep(1);
      }
      // Play the process: queue a fake sender at the victim's receive point in the channel,
      // claiming to be a thread of the victim's own space (which the process cannot be).
      final Link channel = echo.link();
      final java.lang.foreign.MemorySegment seg = channel.segment();
      final LinkDescriptor.Geometry g = channel.geometry();
      final int fake = channel.header(LinkDescriptor.B_FIRST_INDEX_OFFSET)
          + channel.header(LinkDescriptor.B_INDEX_COUNT_OFFSET) - 1;
      final long forged = ThreadId.of(client.number(), victim.engine.index + 1, 1);
      final long t = g.tcbOffset() + fake * g.stride();
      final long rp = g.rpOffset() + victim.engine.index * ReceivePointDescriptor.SIZE;
      final java.lang.foreign.ValueLayout.OfLong L = java.lang.foreign.ValueLayout.JAVA_LONG;
      final java.lang.foreign.ValueLayout.OfInt I = java.lang.foreign.ValueLayout.JAVA_INT;
      seg.set(L, t + TcbDescriptor.ID_OFFSET, forged);
      seg.set(L, t + TcbDescriptor.MR0_OFFSET, MessageTag.of(0x666, 0));
      seg.set(I, t + TcbDescriptor.FLAGS_OFFSET, TcbDescriptor.FLAG_CALL);
      seg.set(I, t + TcbDescriptor.Q_NEXT_OFFSET, -1);
      seg.set(I, t + TcbDescriptor.Q_PREV_OFFSET, -1);
      seg.set(I, t + TcbDescriptor.WAIT_RP_OFFSET, victim.engine.index);
      seg.set(I, t + TcbDescriptor.LINKED_RP_OFFSET, victim.engine.index);
      seg.set(L, t + TcbDescriptor.STATE_OFFSET, TcbDescriptor.state(7, TcbDescriptor.SENDING));
      seg.set(I, rp + ReceivePointDescriptor.HEAD_OFFSET, fake);
      seg.set(I, rp + ReceivePointDescriptor.TAIL_OFFSET, fake);
      java.lang.invoke.VarHandle.fullFence();
      seg.set(I, rp + ReceivePointDescriptor.LENGTH_OFFSET, 1);
      assertThat(outcome.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("the forged message is refused, and the thread goes on")
          .startsWith(Status.toString(Status.receive(Status.PROTOCOL_ERROR)))
          .endsWith("then OK 7");
      echo.close();
    }
  }
}
