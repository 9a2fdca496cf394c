package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class PingCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreAndCheckHygiene() throws IOException {
    System.setOut(savedOut);
    System.setErr(savedErr);
    echoProcesses().forEach(ProcessHandle::destroyForcibly);
    assertThat(segmentsOfThisProcess()).as("segments left in /dev/shm").isEmpty();
  }

  @Test
  void pingsAnEchoServerInAProcessSpace() {
    final int exit = Main.run("ping", "--space", "process", "--count", "5000", "--size", "4");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("process space").contains("5000 round trips").contains("p50");
    assertThat(echoProcesses()).as("the echo process is gone").isEmpty();
  }

  @Test
  void pingsAnEchoServerInAThreadSpace() {
    assertThat(Main.run("ping", "--space", "thread", "--wait", "block", "--count", "500")).isZero();
    assertThat(out.toString()).contains("thread space").contains("500 round trips");
  }

  @Test
  void killingTheServerEndsPingWithPeerDeadAndANonZeroExit() throws Exception {
    final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run("ping", "--count", "1000000000"));
    final ProcessHandle echo = awaitEchoProcess();
    while (!out.toString().contains("calls of")) {
      Thread.sleep(10);
    }
    final long killedAt = System.nanoTime();
    echo.destroyForcibly();

    final int status;
    try {
      status = exit.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("ping did not end after its server was killed; stderr: " + err, e);
    }
    assertThat(status).isEqualTo(1);
    final long millis = (System.nanoTime() - killedAt) / 1_000_000;
    savedErr.println("ping ended " + millis + " ms after kill -9 of its server");
    assertThat(err.toString()).contains("PEER_DEAD").contains("pid " + echo.pid());
  }

  @Test
  void aServerKilledBetweenTwoCallsIsReportedAsDeadToo() {
    assertThat(PingCommand.diagnosis(Status.send(Status.STALE_ID), true))
        .as("the next call finds the dead process's id retired")
        .contains("PEER_DEAD")
        .contains("died");
    assertThat(PingCommand.diagnosis(Status.send(Status.STALE_ID), false)).isEqualTo(" - the server is gone");
    assertThat(PingCommand.diagnosis(Status.receive(Status.PEER_DEAD), true))
        .isEqualTo(" - the server died after taking the request");
    assertThat(PingCommand.diagnosis(Status.send(Status.TIMEOUT), false)).isEmpty();
  }

  @Test
  void rejectsBadOptions() {
    assertThat(Main.run("ping", "--size", "64")).isEqualTo(2);
    assertThat(Main.run("ping", "--count", "0")).isEqualTo(2);
  }

  private static ProcessHandle awaitEchoProcess() throws InterruptedException {
    for (int i = 0; i < 6000; i++) {
      final Optional<ProcessHandle> p = echoProcesses().stream().findFirst();
      if (p.isPresent()) {
        return p.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no echo process appeared");
  }

  private static List<ProcessHandle> echoProcesses() {
    return ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains("-Ddev.nucleus.processSpace="))
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  private static List<Path> segmentsOfThisProcess() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
      final String mine = "nucleus-" + ProcessHandle.current().pid() + "-";
      return files.filter(f -> f.getFileName().toString().startsWith(mine)).toList();
    }
  }
}
