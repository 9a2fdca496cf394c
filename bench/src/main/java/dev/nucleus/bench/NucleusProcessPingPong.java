package dev.nucleus.bench;

import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.WaitStrategy;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * {@code nucleus-process-spin|block|adaptive}: a null call/replyWait round trip between a thread
 * space of this JVM and an echo server in a process space (another JVM), over their channel
 * segment. Both sides use the named wait strategy.
 *
 * <p>Bounds: the calls use infinite timeouts (no clock read on the measured path); a watchdog
 * aborts the call if no round trip completes for {@link #STALL}; the process space is closed
 * (killed if need be) at the end of every run.
 */
public final class NucleusProcessPingPong implements PingPong {

  private static final Duration STALL = Duration.ofSeconds(5);

  private final WaitStrategy strategy;

  public NucleusProcessPingPong(WaitStrategy strategy) {
    this.strategy = strategy;
  }

  /** What the last run allocated per round trip; written and read on the bench thread. */
  private Allocation lastAllocation;

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public String name() {
    return "nucleus-process-" + strategy.name().toLowerCase();
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
    return "call/replyWait to an echo server in another JVM, " + strategy.name().toLowerCase() + " waiting";
  }

  @Override
  public int defaultIterations() {
    return strategy == WaitStrategy.BLOCK ? BLOCKING_ITERATIONS : SPIN_ITERATIONS;
  }

  /** As for thread spaces ({@link NucleusThreadPingPong#defaultWarmup()}): the server's JVM is fresh. */
  @Override
  public int defaultWarmup() {
    return strategy == WaitStrategy.BLOCK ? NucleusThreadPingPong.BLOCKING_WARMUP : -1;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(strategy))) {
      final Space clientSpace = kernel.createSpace("client");
      try (ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, clientSpace, ChildJvm.HEAP)) {
        final long server = echo.awaitPublished(Duration.ofSeconds(30));
        try (IpcThread client = clientSpace.attach("client")) {
          lastAllocation = CallLoop.run(client, server, MessageTag.of(1, 0), warmup, iterations, roundTripsNs, STALL);
        }
      }
    }
  }
}
