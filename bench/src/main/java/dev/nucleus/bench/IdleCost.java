package dev.nucleus.bench;

import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What an idle server costs: the CPU time an echo server thread uses while it waits for calls
 * that do not come, as a fraction of one core. The server first answers a burst of calls (so it
 * is warm), then the client goes quiet: after a settling second, the window is measured.
 *
 * <p>Thread CPU time comes from {@link ThreadMXBean#getThreadCpuTime}; the server runs on a Java
 * thread of our own, attached to its space, so that we know which thread to ask about.
 */
public final class IdleCost {

  /** Pause between the burst of calls and the measured window: steady idleness is measured. */
  private static final Duration SETTLE = Duration.ofSeconds(1);

  private IdleCost() {}

  /** Fraction of one core (0..1) the server thread used while idle for {@code window}. */
  public static double serverCoreFraction(WaitStrategy strategy, Duration window) throws Exception {
    final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isThreadCpuTimeSupported()) {
      return Double.NaN;
    }
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(strategy).withMaxThreads(8))) {
      final Space serverSpace = kernel.createSpace("server");
      final Space clientSpace = kernel.createSpace("client");
      kernel.createChannel(serverSpace, clientSpace);
      final CompletableFuture<Long> serverId = new CompletableFuture<>();
      final Thread serverThread = Thread.ofPlatform().daemon().name("idle-server").start(() -> {
        final IpcThread self = serverSpace.attach("echo");
        serverId.complete(self.id());
        EchoComponent.serve(self);
        self.close();
      });
      final IpcThread client = clientSpace.attach("client");
      burst(client, serverId.get(10, TimeUnit.SECONDS));
      Thread.sleep(SETTLE); // let the burst's adaptive spin and the JIT's compiles finish first
      final long cpu0 = mx.getThreadCpuTime(serverThread.threadId());
      final long t0 = System.nanoTime();
      Thread.sleep(window);
      final long cpu1 = mx.getThreadCpuTime(serverThread.threadId());
      final long t1 = System.nanoTime();
      client.close();
      serverSpace.end();
      serverThread.join(5_000);
      return (double) (cpu1 - cpu0) / (t1 - t0);
    }
  }

  /**
   * Fraction of one core (0..1) a whole process space (an echo server's JVM) used while idle for
   * {@code window}, after a burst of calls: what a user pays for keeping a process server around.
   * Includes the JVM's own background threads.
   */
  public static double processServerCoreFraction(WaitStrategy strategy, Duration window) throws Exception {
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(strategy))) {
      final Space clientSpace = kernel.createSpace("client");
      try (ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, clientSpace, ChildJvm.HEAP);
          IpcThread client = clientSpace.attach("client")) {
        burst(client, echo.awaitPublished(Duration.ofSeconds(30)));
        Thread.sleep(SETTLE); // the child JVM's JIT compiles the burst's code paths meanwhile
        final ProcessHandle process = ProcessHandle.of(echo.pid()).orElseThrow();
        final Duration cpu0 = process.info().totalCpuDuration().orElseThrow();
        final long t0 = System.nanoTime();
        Thread.sleep(window);
        final Duration cpu1 = process.info().totalCpuDuration().orElseThrow();
        return (double) cpu1.minus(cpu0).toNanos() / (System.nanoTime() - t0);
      }
    }
  }

  /** The burst of calls before the silence: the server is warm and has just waited adaptively. */
  private static void burst(IpcThread client, long server) {
    for (int i = 0; i < 10_000; i++) {
      client.setTag(MessageTag.of(1, 0));
      if (client.call(server, Timeout.NEVER, Timeout.relative(Duration.ofSeconds(5))) != Status.OK) {
        throw new IllegalStateException("idle-cost warm-up call failed");
      }
    }
  }
}
