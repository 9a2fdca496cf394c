package dev.nucleus.bench;

import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.WaitStrategy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * {@code nucleus-root-server-spin} (the bench's entry; any strategy works): the {@code nucleus-process-*} round trip the other
 * way round: the client in a process space, the echo server in a thread space of this JVM. The
 * server's space then has two tables (its home table and the channel's), so every receive is
 * the open receive over several tables (PortSet), claimable in the channel's table. What this
 * entry shows next to {@code nucleus-process-*} is what that costs a server of client processes.
 *
 * <p>The client times its calls in its own process ({@link TimedCallerComponent}) and leaves the
 * histogram in a file, read once it has exited. Bounds: the client's watchdog aborts a call that
 * stalls for 5 s; the process is killed if it has not finished within {@link #LIMIT}.
 */
public final class NucleusRootServerPingPong implements PingPong {

  private static final Duration LIMIT = Duration.ofMinutes(2);

  private final WaitStrategy strategy;
  private Allocation lastAllocation;

  public NucleusRootServerPingPong(WaitStrategy strategy) {
    this.strategy = strategy;
  }

  @Override
  public String name() {
    return "nucleus-root-server-" + strategy.name().toLowerCase();
  }

  @Override
  public String floor() {
    return strategy == WaitStrategy.BLOCK ? MechanismRegistry.FLOOR_C_FUTEX : MechanismRegistry.FLOOR_C_SPIN;
  }

  @Override
  public String unavailableReason() {
    return System.getProperty("os.name", "").toLowerCase().contains("linux") ? null : "process spaces need Linux";
  }

  @Override
  public String description() {
    return "call/replyWait from a client process to an echo server in a thread space of this JVM (receiving over two tables), "
        + strategy.name().toLowerCase() + " waiting";
  }

  @Override
  public int defaultIterations() {
    return strategy == WaitStrategy.BLOCK ? BLOCKING_ITERATIONS : SPIN_ITERATIONS;
  }

  @Override
  public int defaultWarmup() {
    return strategy == WaitStrategy.BLOCK ? NucleusThreadPingPong.BLOCKING_WARMUP : -1;
  }

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    final Path out = Files.createTempFile("nucleus-root-server-", ".hist");
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(strategy))) {
      final Space serverSpace = kernel.createSpace("server");
      final IpcThread echo = serverSpace.spawn("echo", strategy, EchoComponent::serve);
      try (ProcessSpace client = kernel.spawnProcessSpace("timed-caller", TimedCallerComponent.class, serverSpace,
          ChildJvm.HEAP, Long.toHexString(echo.id()), Integer.toString(Math.max(0, warmup)), Integer.toString(iterations),
          out.toString())) {
        if (!client.awaitExit(LIMIT)) {
          throw new IllegalStateException(name() + ": the client process did not finish within " + LIMIT);
        }
        if (client.exitCode() != 0) {
          throw new IllegalStateException(name() + ": the client process failed (exit code " + client.exitCode() + ")");
        }
      }
      final List<String> lines = Files.readAllLines(out);
      roundTripsNs.add(Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(lines.get(0))), 0));
      final double clientBytes = Double.parseDouble(lines.get(1));
      final double serverBytes = Double.parseDouble(lines.get(2));
      lastAllocation = Double.isNaN(clientBytes) && Double.isNaN(serverBytes) ? null : new Allocation(clientBytes, serverBytes);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
