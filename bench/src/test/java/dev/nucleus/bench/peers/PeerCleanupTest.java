package dev.nucleus.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.PingPong;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run leaves nothing behind: no child process, no file in its scratch directory (sockets, FIFOs,
 * logs, Aeron's media-driver directory), whether it ends normally or its echo process dies under
 * it.
 */
class PeerCleanupTest {

  @TempDir Path base;
  private Set<Long> childrenBefore;

  @BeforeEach
  void pointScratchAtTempDir() {
    Scratch.setBase(base);
    childrenBefore = childPids();
  }

  @AfterEach
  void restoreScratch() {
    Scratch.setBase(null);
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private void assertNothingLeft() throws Exception {
    try (Stream<Path> left = Files.list(base)) {
      assertThat(left.toList()).as("scratch directories left").isEmpty();
    }
    assertThat(childPids()).as("child processes left").isEqualTo(childrenBefore);
  }

  @Test
  @Timeout(60)
  void normalRunsRemoveTheirChildAndFiles() throws Exception {
    for (PingPong p :
        List.of(
            new PeerPingPong(SocketPeer.unix(false)),
            new PeerPingPong(new FifoPeer()),
            new PeerPingPong(new PosixMqPeer()),
            AeronPingPong.busySpin(0))) {
      assumeTrue(p.unavailableReason() == null, p.name() + ": " + p.unavailableReason());
      p.run(5, 20, Latencies.newHistogram());
      assertNothingLeft();
    }
  }

  @Test
  @Timeout(60)
  void anEchoProcessKilledMidRunFailsTheRunAndLeavesNothing() throws Exception {
    // fifo: this side holds both FIFO ends, so only the stall watchdog can notice the dead child.
    // unix-socket: the kernel closes the socket, so the next read sees EOF at once.
    for (PingPong p :
        List.of(
            new PeerPingPong(new FifoPeer(), 0, Duration.ofSeconds(1)),
            new PeerPingPong(SocketPeer.unix(false), 0, Duration.ofSeconds(1)))) {
      assumeTrue(p.unavailableReason() == null, p.name() + ": " + p.unavailableReason());
      Histogram h = Latencies.newHistogram();
      CompletableFuture<Void> run =
          CompletableFuture.runAsync(
              () -> {
                try {
                  p.run(0, Integer.MAX_VALUE, h);
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      ProcessHandle child = awaitNewChild();
      while (h.getTotalCount() == 0 && !run.isDone()) Thread.sleep(10); // it is answering
      child.destroyForcibly();
      assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
          .as(p.name())
          .hasCauseInstanceOf(Exception.class);
      assertNothingLeft();
    }
  }

  private ProcessHandle awaitNewChild() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      var fresh =
          ProcessHandle.current()
              .children()
              .filter(c -> !childrenBefore.contains(c.pid()))
              .findFirst();
      if (fresh.isPresent()) return fresh.get();
      Thread.sleep(10);
    }
    throw new AssertionError("no echo process started");
  }
}
