package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;


/**
 * A kernel can start, use and lose process spaces without limit (issue 11): an ended process
 * space gives back its space number, its thread and endpoint slots and its link, and the ids it
 * had stay stale whoever takes the slots next. {@code -Dnucleus.restartCycles=1000} runs the long
 * version.
 */
@Tag("system")
@DisplayName("Process spaces restart without limit")
class RestartWithoutLimitTest {

  private static final int CYCLES = Integer.getInteger("nucleus.restartCycles", 40);

  private Kernel kernel;

  @AfterEach
  void cleanUp() throws Exception {
    ProcessTests.closeAndCheckNothingLeft(kernel);
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.MINUTES)
  @DisplayName("spawn, call, kill, again and again: every cycle works, old ids stay stale, nothing piles up")
  void spawnCallKillCycles() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final List<Long> oldIds = new ArrayList<>();
    int slotsAfterFirst = -1;
    long mapsAfterFirst = -1;
    long fdsAfterFirst = -1;
    int threadsAfterFirst = -1;
    try (IpcThread me = client.attach("me", WaitStrategy.ADAPTIVE)) {
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        final ProcessSpace echo = kernel.spawnProcessSpace("echo-" + cycle, EchoComponent.class, client);
        final long server = echo.awaitPublished(Duration.ofSeconds(60));
        assertThat(oldIds).as("cycle %d: a new id never repeats an old one", cycle).doesNotContain(server);
        for (int i = 0; i < 3; i++) {
          me.setTag(MessageTag.of(1, 1));
          me.setMr(1, cycle * 10L + i);
          assertThat(Status.toString(me.call(server))).as("cycle %d, call %d", cycle, i).isEqualTo("OK");
          assertThat(me.mr(1)).isEqualTo(cycle * 10L + i + 1);
        }
        echo.kill();
        assertThat(echo.awaitExit(Duration.ofSeconds(30))).as("cycle %d: exited", cycle).isTrue();
        // Dead before awaitExit returned: the id is stale at once, and nothing is delivered.
        me.setTag(MessageTag.of(1, 1));
        assertThat(Status.toString(me.call(server))).as("cycle %d: a call after awaitExit", cycle)
            .isEqualTo(Status.toString(Status.send(Status.STALE_ID)));
        for (long old : oldIds) {
          me.setTag(MessageTag.of(1, 0));
          assertThat(Status.code(me.send(old, Timeout.ZERO))).as("an id of an earlier cycle").isEqualTo(Status.STALE_ID);
        }
        oldIds.add(server);
        if (oldIds.size() > 5) {
          oldIds.removeFirst();
        }
        assertThat(kernel.processSpaces()).as("cycle %d: ended spaces are gone from the kernel", cycle).isEmpty();
        if (cycle == 0) {
          System.gc();
          slotsAfterFirst = kernel.registry().threadSlotsTaken();
          mapsAfterFirst = linkMappings();
          fdsAfterFirst = openFds();
          threadsAfterFirst = Thread.getAllStackTraces().size();
        }
      }
    }
    System.gc();
    assertThat(kernel.registry().threadSlotsTaken()).as("thread slots in use").isLessThanOrEqualTo(slotsAfterFirst);
    assertThat(openFds()).as("open file descriptors").isLessThanOrEqualTo(fdsAfterFirst + 5);
    assertThat(Thread.getAllStackTraces().size()).as("threads").isLessThanOrEqualTo(threadsAfterFirst + 5);
    // Unmapping follows reachability (a root thread may still hold a dead link's table until its
    // next IPC), so give the collector a few rounds.
    long maps = linkMappings();
    for (int i = 0; i < 20 && maps > mapsAfterFirst + 2; i++) {
      System.gc();
      Thread.sleep(50);
      maps = linkMappings();
    }
    System.out.printf("RestartWithoutLimitTest: %d cycles; link mappings %d after the first, %d at the end%n",
        CYCLES, mapsAfterFirst, maps);
    assertThat(maps).as("mappings of link files").isLessThanOrEqualTo(mapsAfterFirst + 2);
  }

  /** Lines of /proc/self/maps that map a link file. */
  private static long linkMappings() throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.contains("/nucleus-")).count();
    }
  }

  private static long openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
