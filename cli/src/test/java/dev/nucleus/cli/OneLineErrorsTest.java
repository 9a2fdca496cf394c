package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every error a user can cause is one line on stderr and a non-zero exit, never a stack trace
 * (issue 11, item 5). Paths are made unwritable in ways that hold for root too: a directory that
 * does not exist, or a regular file where a directory should be.
 */
@Timeout(120)
class OneLineErrorsTest {

  @TempDir Path dir;

  @AfterEach
  void noProcessOrSegmentLeft() throws IOException {
    echoProcesses().forEach(ProcessHandle::destroyForcibly);
    try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
      final String mine = "nucleus-" + ProcessHandle.current().pid() + "-";
      assertThat(files.filter(f -> f.getFileName().toString().startsWith(mine))).as("segments left").isEmpty();
    }
  }

  @Test
  void demoWithJsonInAMissingDirectoryFailsBeforeRunning() {
    final Path json = dir.resolve("no-such-dir").resolve("x.json");

    final Captured r = Captured.nucleus("demo", "--json", json.toString());

    assertOneLine(r, 2, "demo: cannot write --json " + json + ": no such directory");
    assertThat(r.out()).as("the demo did not run").isEmpty();
  }

  @Test
  void demoWithJsonUnderAFileFailsBeforeRunning() throws IOException {
    final Path file = Files.writeString(dir.resolve("file"), "x");
    final Path json = file.resolve("x.json");

    final Captured r = Captured.nucleus("demo", "--seconds", "3", "--json", json.toString());

    assertOneLine(r, 2, "demo: cannot write --json " + json + ": " + file + " is not a directory");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void demoWithJsonThatIsADirectoryFailsBeforeRunning() {
    final Captured r = Captured.nucleus("demo", "--json", dir.toString());

    assertOneLine(r, 2, "demo: cannot write --json " + dir + ": it is a directory");
  }

  @Test
  void checkingAnExistingFileLeavesItAsItWas() throws IOException {
    final Path file = Files.writeString(dir.resolve("keep.json"), "old");

    assertThat(OutputFile.problem(file)).isEmpty();
    assertThat(OutputFile.problem(dir.resolve("new.json"))).isEmpty();

    assertThat(Files.readString(file)).isEqualTo("old");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aPingWhoseServerDiesBeforeServingIsOneLine() {
    final CommandLine commandLine = Main.commandLine(new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        return cls == PingCommand.class ? cls.cast(new PingCommand(DiesAtOnce.class)) : CommandLine.defaultFactory().create(cls);
      }
    });

    final Captured r = Captured.run(() -> Main.run(commandLine, "ping", "--count", "10"));

    assertOneLine(r, 1, "ping: the echo server did not start: ");
  }

  @Test
  void aPingWhoseServerIsKilledBeforeItAttachesIsOneLine() throws Exception {
    final CompletableFuture<Captured> ping =
        CompletableFuture.supplyAsync(() -> Captured.nucleus("ping", "--count", "1000000000"));
    final ProcessHandle echo = awaitEchoProcess();
    echo.destroyForcibly(); // at once: its JVM is still starting, long before it maps the channel

    final Captured r = ping.get(60, TimeUnit.SECONDS);

    // Almost always "did not start"; on a machine slow to poll, the echo may have attached, and
    // then the first call reports the death. Either way: one line, exit code 1.
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.errLines()).as(r.err()).singleElement().asString()
        .startsWith("ping: ")
        .containsAnyOf("did not start", "PEER_DEAD", "died");
    assertNoStackTrace(r);
  }

  @picocli.CommandLine.Command(name = "boom")
  static final class Boom implements java.util.concurrent.Callable<Integer> {
    private final Throwable failure;

    Boom(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Exception e) {
        throw e;
      }
      throw (Error) failure;
    }
  }

  @Test
  void anyOtherFailureOfACommandIsOneLineToo() {
    final Throwable failure = new IllegalStateException("cannot start process space echo",
        new java.io.IOException("No space left on device\n(/dev/shm)"));
    final Throwable error = new InternalError("a fault occurred in an unsafe memory access operation");

    // (The command line is made inside the capture: picocli takes System.err when it is made.)
    final Captured boom = Captured.run(() ->
        Main.run(Main.commandLine(CommandLine.defaultFactory()).addSubcommand(new Boom(failure)), "boom"));
    final Captured fault = Captured.run(() ->
        Main.run(Main.commandLine(CommandLine.defaultFactory()).addSubcommand(new Boom(error)), "boom"));

    assertOneLine(boom, 1, "boom: cannot start process space echo: No space left on device; (/dev/shm)"
        + " [IllegalStateException; NUCLEUS_DEBUG=1 shows the stack trace]");
    assertOneLine(fault, 1, "boom: a fault occurred in an unsafe memory access operation [InternalError;");
  }

  private static void assertOneLine(Captured r, int exit, String prefix) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.errLines()).as(r.err()).singleElement().asString().startsWith(prefix);
    assertNoStackTrace(r);
  }

  private static void assertNoStackTrace(Captured r) {
    assertThat(r.out() + r.err()).doesNotContain("\tat ").doesNotContain("Exception in");
  }

  private static ProcessHandle awaitEchoProcess() throws InterruptedException {
    for (int i = 0; i < 30_000; i++) {
      final Optional<ProcessHandle> p = echoProcesses().stream().findFirst();
      if (p.isPresent()) {
        return p.get();
      }
      Thread.sleep(1);
    }
    throw new AssertionError("no echo process appeared");
  }

  private static List<ProcessHandle> echoProcesses() {
    return ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains("-Ddev.nucleus.processSpace="))
        .filter(ProcessHandle::isAlive)
        .toList();
  }
}
