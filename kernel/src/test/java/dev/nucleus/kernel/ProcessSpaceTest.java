package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Process spaces: the same IPC with the partner in another OS process. */
@org.junit.jupiter.api.Timeout(120)
@Tag("system")
class ProcessSpaceTest {

  private Kernel kernel;

  @AfterEach
  void cleanUp() throws Exception {
    ProcessTests.closeAndCheckNothingLeft(kernel);
  }

  @Test
  void callsReachAnEchoServerInAnotherProcess() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, client);
    assertThat(echo.pid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(ProcessTests.segmentsOfThisProcess()).as("the segment is unlinked once both sides mapped it").isEmpty();
    final long server = echo.awaitPublished(Duration.ofSeconds(30));
    assertThat(ThreadId.space(server)).isEqualTo(echo.number());

    try (IpcThread me = client.attach("me")) {
      for (int i = 0; i < 10_000; i++) {
        me.setTag(MessageTag.of(7, 3));
        me.setMr(1, i);
        me.setMr(2, ~i);
        me.setMr(3, 42);
        final int status = me.call(server, Timeout.NEVER, Timeout.relative(Duration.ofSeconds(10)));
        assertThat(status).as(Status.toString(status)).isEqualTo(Status.OK);
        assertThat(me.sender()).isEqualTo(server);
        assertThat(MessageTag.label(me.tag())).isEqualTo(7);
        assertThat(me.mr(1)).isEqualTo(i + 1);
        assertThat(me.mr(2)).isEqualTo(~i);
        assertThat(me.mr(3)).isEqualTo(42);
      }
    }
  }

  @Test
  void aCallerBlockedOnAKilledProcessGetsPeerDead() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, client, "crash-after", "0");
    final long server = echo.awaitPublished(Duration.ofSeconds(30));
    try (IpcThread me = client.attach("me", WaitStrategy.BLOCK)) {
      me.setTag(MessageTag.of(1, 1));
      final int status = me.call(server, Timeout.NEVER, Timeout.NEVER);
      assertThat(status).as(Status.toString(status)).isEqualTo(Status.receive(Status.PEER_DEAD));
      assertThat(echo.awaitExit(Duration.ofSeconds(10))).isTrue();
      assertThat(echo.exitCode()).isEqualTo(1);
      me.setTag(MessageTag.of(1, 1));
      assertThat(me.call(server)).as("the dead server's id is stale").isEqualTo(Status.send(Status.STALE_ID));
    }
  }

  @Test
  void killMinusNineWhileACallWaitsFailsItWithPeerDead() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, client);
    final long server = echo.awaitPublished(Duration.ofSeconds(30));
    try (IpcThread me = client.attach("me", WaitStrategy.ADAPTIVE)) {
      me.setTag(MessageTag.of(1, 1));
      assertThat(me.call(server)).isEqualTo(Status.OK);
      echo.kill();
      int status = Status.OK;
      for (int i = 0; i < 1_000_000 && status == Status.OK; i++) {
        me.setTag(MessageTag.of(1, 1));
        status = me.call(server);
      }
      assertThat(Status.code(status)).as(Status.toString(status)).isIn(Status.PEER_DEAD, Status.STALE_ID);
      assertThat(echo.awaitExit(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void aProcessStartedByOtherMeansAttachesWithTheChannelHandle() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final ProcessSpace space = kernel.openProcessSpace("external", client);
    assertThat(space.pid()).as("nobody attached yet").isEqualTo(-1);
    assertThat(Files.exists(space.linkPath())).as("the handle exists until a process attaches").isTrue();

    // Some other launcher starts the process with the handle.
    final Process external = new ProcessBuilder(space.attachCommand(EchoComponent.class)).inheritIO().start();
    try {
      final long server = space.awaitPublished(Duration.ofSeconds(30));
      assertThat(space.pid()).isEqualTo(external.pid());
      try (IpcThread me = client.attach("me", WaitStrategy.BLOCK)) {
        me.setTag(MessageTag.of(1, 1));
        me.setMr(1, 1);
        assertThat(me.call(server)).isEqualTo(Status.OK);
        assertThat(me.mr(1)).isEqualTo(2);

        external.destroyForcibly();
        me.setTag(MessageTag.of(1, 1));
        final int status = me.call(server, Timeout.NEVER, Timeout.NEVER);
        assertThat(Status.code(status)).as(Status.toString(status)).isIn(Status.PEER_DEAD, Status.STALE_ID);
      }
      assertThat(Files.exists(space.linkPath())).isFalse();
    } finally {
      external.destroyForcibly().waitFor();
    }
  }

  @Test
  void closingAnUnattachedProcessSpaceRemovesItsChannel() throws Exception {
    kernel = Kernel.create();
    final ProcessSpace space = kernel.openProcessSpace("never", kernel.createSpace("client"));
    final Path path = space.linkPath();
    space.close();
    assertThat(Files.exists(path)).isFalse();
    assertThat(space.isAlive()).isFalse();
  }
}
