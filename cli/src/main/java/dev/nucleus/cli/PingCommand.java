package dev.nucleus.cli;

import dev.nucleus.cli.echo.EchoComponent;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nucleus ping}: starts an echo server in a thread space or a process space, calls it
 * {@code --count} times with {@code --size} words, and prints round-trip percentiles. A server
 * that dies ends the run at once with an error naming it and the failed phase; one that dies
 * before it serves ends it with one line saying so.
 */
@Command(
    name = "ping",
    mixinStandardHelpOptions = true,
    description = {
      "Call an echo server in another space; print latency.",
      "",
      "Starts an echo server in a process space (another JVM) or a thread space (this JVM),"
          + " calls it --count times with --size words, and prints round-trip percentiles. A"
          + " server that dies ends the run at once with an error naming it and the failed phase."
    })
final class PingCommand implements Callable<Integer> {

  /** How long a process space's echo server may take to start and publish its id. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** The component a process space runs: {@link EchoComponent}, or what a test passes. */
  private final Class<? extends ProcessComponent> echo;

  PingCommand() {
    this(EchoComponent.class);
  }

  /** A ping whose process space runs {@code echo} (tests pass components that fail). */
  PingCommand(Class<? extends ProcessComponent> echo) {
    this.echo = echo;
  }

  enum SpaceKind { thread, process }

  enum Wait { spin, block, adaptive }

  @Option(names = "--space", defaultValue = "process", description = "where the server runs: thread or process (default ${DEFAULT-VALUE})")
  SpaceKind space;

  @Option(names = "--wait", defaultValue = "adaptive", description = "spin, block or adaptive (default ${DEFAULT-VALUE})")
  Wait wait;

  @Option(names = "--count", defaultValue = "100000", description = "calls to make (default ${DEFAULT-VALUE})")
  long count;

  @Option(names = "--size", defaultValue = "0", description = "untyped words per message, 0..63 (default ${DEFAULT-VALUE})")
  int size;

  /**
   * What a failed call says about the server. A server process killed while a call waits fails
   * it with PEER_DEAD; killed between two calls, the next one finds its id already retired
   * (STALE_ID), which for a process that has exited is the same death, seen later.
   */
  static String diagnosis(int status, boolean processExited) {
    final int code = Status.code(status);
    if (code == Status.PEER_DEAD) {
      return Status.failedInReceive(status) ? " - the server died after taking the request" : " - the server died";
    }
    if (code == Status.STALE_ID) {
      return processExited
          ? " - the server died (PEER_DEAD): its process exited and its id was retired before this call"
          : " - the server is gone";
    }
    return "";
  }

  @Override
  public Integer call() throws Exception {
    final PrintStream out = System.out;
    if (count < 1 || size < 0 || size > MessageTag.MAX_COUNT) {
      System.err.println("ping: --count must be >= 1 and --size in [0, 63]");
      return 2;
    }
    final WaitStrategy strategy = WaitStrategy.valueOf(wait.name().toUpperCase(Locale.ROOT));
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(strategy))) {
      final Space client = kernel.createSpace("ping");
      final long server;
      final String where;
      ProcessSpace process = null;
      if (space == SpaceKind.process) {
        try {
          process = kernel.spawnProcessSpace("echo", echo, client);
          server = process.awaitPublished(START_TIMEOUT);
        } catch (IllegalStateException | TimeoutException e) {
          // Died (or was killed) before serving: nothing to measure, and nothing to debug here.
          if (process != null) {
            process.close();
          }
          System.err.println("ping: the echo server did not start: " + OneLineErrors.describe(e));
          return 1;
        }
        where = "process space " + process.number() + ", pid " + process.pid();
      } else {
        final Space echoSpace = kernel.createSpace("echo");
        kernel.createChannel(client, echoSpace);
        server = echoSpace.spawn("echo", EchoComponent::serve).id();
        where = "thread space " + echoSpace.number() + ", pid " + ProcessHandle.current().pid() + " (this JVM)";
      }
      out.printf("ping: echo server %s in %s; %d calls of %d words, %s waiting%n",
          ThreadId.toString(server), where, count, size, wait);
      final int status;
      boolean processExited = false;
      final Histogram h = new Histogram(3_600_000_000_000L, 3);
      try (IpcThread self = client.attach("ping")) {
        status = pingLoop(self, server, h, out);
      } finally {
        if (process != null) {
          processExited = !process.isAlive();
          process.close();
        }
      }
      if (status == WRONG_ANSWER) {
        return 1; // said above
      }
      if (status != Status.OK) {
        System.err.printf("ping: call %d to the echo server %s (%s) failed: %s%s%n", h.getTotalCount() + 1,
            ThreadId.toString(server), where, Status.toString(status), diagnosis(status, processExited));
        return 1;
      }
      out.println();
      out.printf("ping: %d round trips, ns:  p50 %d  p90 %d  p99 %d  p99.9 %d  max %d%n", h.getTotalCount(),
          h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9), h.getMaxValue());
      out.printf("ping: server %s was in %s%n", ThreadId.toString(server), where);
      return 0;
    }
  }

  /** What {@link #pingLoop} returns after reporting a wrong answer; no status has this value. */
  private static final int WRONG_ANSWER = Integer.MIN_VALUE;

  private int pingLoop(IpcThread self, long server, Histogram h, PrintStream out) {
    final long tag = MessageTag.of(1, size);
    long nextReport = System.nanoTime() + 1_000_000_000L;
    for (long i = 0; i < count; i++) {
      self.setTag(tag);
      for (int w = 1; w <= size; w++) {
        self.setMr(w, i + w);
      }
      final long t0 = System.nanoTime();
      final int status = self.call(server, Timeout.NEVER, Timeout.NEVER);
      final long t1 = System.nanoTime();
      if (status != Status.OK) {
        return status;
      }
      if (size > 0 && self.mr(size) != i + size) {
        System.err.printf("ping: call %d to the echo server %s: it answered word %d = %d, expected %d%n", i + 1,
            ThreadId.toString(server), size, self.mr(size), i + size);
        return WRONG_ANSWER;
      }
      h.recordValue(Math.max(1, t1 - t0));
      if (t1 > nextReport) {
        out.printf("ping: %d/%d calls, p50 so far %d ns%n", i + 1, count, h.getValueAtPercentile(50));
        nextReport = t1 + 1_000_000_000L;
      }
    }
    return Status.OK;
  }
}
