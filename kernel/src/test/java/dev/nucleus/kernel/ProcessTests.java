package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.os.LinkFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** What every test with process spaces does: wait for states, and clean up and check it did. */
final class ProcessTests {

  private ProcessTests() {}

  /**
   * Closes {@code kernel} (if the test got that far), checks that each of its process spaces has
   * exited, and that nothing of this process is left in /dev/shm.
   */
  static void closeAndCheckNothingLeft(Kernel kernel) throws Exception {
    if (kernel != null) {
      final List<ProcessSpace> all = kernel.processSpaces();
      kernel.close();
      for (ProcessSpace p : all) {
        assertThat(p.awaitExit(Duration.ofSeconds(10))).as("%s exited", p).isTrue();
      }
    }
    assertThat(segmentsOfThisProcess()).as("segments left in /dev/shm").isEmpty();
  }

  /**
   * Closes {@code kernel}, checks that each of its process spaces has exited and that their link
   * files are gone from /dev/shm: for a kernel closed while others of this JVM may be starting
   * process spaces (whose links are in /dev/shm until the process maps them).
   */
  static void closeAndCheckItsLinksGone(Kernel kernel) throws Exception {
    final List<ProcessSpace> all = kernel.processSpaces();
    kernel.close();
    for (ProcessSpace p : all) {
      assertThat(p.awaitExit(Duration.ofSeconds(10))).as("%s exited", p).isTrue();
      assertThat(p.linkPath()).as("the link of %s", p).doesNotExist();
    }
  }

  /** The channel files in /dev/shm that this process created. */
  static List<Path> segmentsOfThisProcess() throws IOException {
    try (Stream<Path> files = Files.list(LinkFile.defaultDirectory())) {
      final String mine = LinkFile.PREFIX + ProcessHandle.current().pid() + "-";
      return files.filter(f -> f.getFileName().toString().startsWith(mine)).toList();
    }
  }

  /** Waits (up to 30 s) until thread {@code id}, of this kernel or one of its process spaces, is in {@code kind}. */
  static void awaitState(Kernel k, long id, IpcState.Kind kind) throws InterruptedException {
    for (int i = 0; i < 30_000; i++) {
      if (k.ipcState(id).kind() == kind) {
        return;
      }
      Thread.sleep(1);
    }
    throw new AssertionError(ThreadId.toString(id) + " never became " + kind + ", is " + k.ipcState(id));
  }

  /** Sends signal {@code name} (STOP, CONT, ...) to process {@code pid}, with kill(1). */
  static void signal(String name, long pid) throws IOException, InterruptedException {
    final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s %d", name, pid).isZero();
  }

  /**
   * Waits (up to 10 s) until every thread of process {@code pid} is stopped (state T in /proc):
   * kill(2) only makes SIGSTOP pending, and a thread running on another CPU (a partner spinning
   * in its adaptive wait) may still take a call before it stops.
   */
  static void awaitStopped(long pid) throws IOException, InterruptedException {
    final Path tasks = Path.of("/proc", Long.toString(pid), "task");
    for (int i = 0; i < 10_000 && !allStopped(tasks); i++) {
      Thread.sleep(1);
    }
    assertThat(allStopped(tasks)).as("every thread of process %d stopped", pid).isTrue();
  }

  private static boolean allStopped(Path tasks) throws IOException {
    try (Stream<Path> dirs = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) dirs::iterator) {
        final String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException threadEnded) {
          continue;
        }
        // The state follows the parenthesised command name, which may itself hold spaces.
        final char state = stat.charAt(stat.lastIndexOf(')') + 2);
        if (state != 'T' && state != 't') {
          return false;
        }
      }
    }
    return true;
  }
}
