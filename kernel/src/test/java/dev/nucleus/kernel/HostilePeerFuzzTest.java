package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer drives the {@link HostilePeer}: each input is a sequence of writes into a live channel,
 * interleaved with calls across it. Whatever the input, a call returns a status this kernel
 * defines (no exception, no hang past its timeout) and the echo process survives.
 *
 * <p>Under {@code ./nucleus test} this runs the seed inputs in
 * {@code src/test/resources/dev/nucleus/kernel/HostilePeerFuzzTestInputs/}; to fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl kernel test -Dtest=HostilePeerFuzzTest}.
 */
@Tag("system")
class HostilePeerFuzzTest {

  private static Kernel kernel;
  private static ProcessSpace echo;
  private static long server;
  private static int episode;

  /** A fresh echo process whenever the previous one's channel was broken or it went away. */
  private static void ensureEcho() throws Exception {
    if (kernel == null) {
      kernel = Kernel.create();
    }
    if (echo == null || !echo.isAlive()) {
      final Space client = kernel.createSpace("fuzz-client-" + episode);
      echo = kernel.spawnProcessSpace("fuzz-echo-" + episode++, EchoComponent.class, client);
      server = echo.awaitPublished(Duration.ofSeconds(30));
    }
  }

  @FuzzTest(maxDuration = "60s")
  void anyWritesIntoAChannelGiveStatusesNeverCrashes(FuzzedDataProvider data) throws Exception {
    ensureEcho();
    final long timeout = Timeout.relative(Duration.ofMillis(5));
    try (IpcThread me = echo.peer().attach("me")) {
      final HostilePeer peer = new HostilePeer(echo.link(), ThreadId.index(server), me.engine.index);
      while (data.remainingBytes() > 0) {
        if (data.consumeBoolean()) {
          peer.scribble(() -> data.consumeInt(), data::consumeLong);
        }
        me.setTag(MessageTag.of(1, 1));
        final int status = me.call(server, timeout, timeout);
        assertThat(Status.isValid(status)).as("status %s", status).isTrue();
      }
    }
    assertThat(echo.isAlive()).as("the echo survived").isTrue();
    if (data.remainingBytes() == 0) {
      echo.close(); // a broken channel is not reused: the next input gets a fresh one
      echo = null;
    }
  }

  @AfterAll
  static void tearDown() {
    if (kernel != null) {
      kernel.close();
    }
  }
}
