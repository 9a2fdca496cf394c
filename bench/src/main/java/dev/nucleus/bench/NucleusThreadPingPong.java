package dev.nucleus.bench;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.WaitStrategy;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * {@code nucleus-thread-spin|block|adaptive}: a null call/replyWait round trip between two thread
 * spaces of one kernel, joined by a channel. The client is the calling thread, attached to the
 * client space; the server is an echo thread in its own space that answers every call with
 * replyWait. Both use the named wait strategy.
 *
 * <p>Bounds: calls use infinite timeouts (so no clock read is added to the measured path); a
 * watchdog aborts the client's call if no round trip completes for {@link #STALL}, which turns a
 * lost partner into ABORTED and an exception here.
 */
public final class NucleusThreadPingPong implements PingPong {

  private static final Duration STALL = Duration.ofSeconds(5);

  /** Warmup round trips of a blocking Nucleus run: enough for the JIT to compile both sides. */
  static final int BLOCKING_WARMUP = 20_000;

  private final WaitStrategy strategy;
  private final int words;

  /** A null call (tag only) with {@code strategy}. */
  public NucleusThreadPingPong(WaitStrategy strategy) {
    this(strategy, 0);
  }

  /** A call carrying {@code words} untyped words each way. */
  public NucleusThreadPingPong(WaitStrategy strategy, int words) {
    this.strategy = strategy;
    this.words = words;
  }

  /** What the last run allocated per round trip; written and read on the bench thread. */
  private Allocation lastAllocation;

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public String name() {
    return "nucleus-thread-" + strategy.name().toLowerCase() + (words == 0 ? "" : "-" + words + "w");
  }

  @Override
  public MessageSize messageSize() {
    return new MessageSize(
        "nucleus-thread-" + strategy.name().toLowerCase(), (long) words * Long.BYTES, words != 0);
  }

  @Override
  public String floor() {
    return strategy == WaitStrategy.BLOCK ? MechanismRegistry.FLOOR_C_FUTEX : MechanismRegistry.FLOOR_JAVA_SPIN;
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public String description() {
    return "call/replyWait between two thread spaces, "
        + strategy.name().toLowerCase()
        + " waiting"
        + (words == 0 ? "" : ", " + words + (words == 1 ? " message register" : " message registers") + " each way");
  }

  @Override
  public int defaultIterations() {
    return strategy == WaitStrategy.BLOCK ? BLOCKING_ITERATIONS : SPIN_ITERATIONS;
  }

  /**
   * Blocking runs measure only {@link #BLOCKING_ITERATIONS} round trips, and half as many for
   * warmup would leave the IPC path still being compiled (in a fresh JVM, as forked runs and
   * process spaces have): {@link #BLOCKING_WARMUP} then, the default otherwise.
   */
  @Override
  public int defaultWarmup() {
    return strategy == WaitStrategy.BLOCK ? BLOCKING_WARMUP : -1;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    final Kernel.Config config = Kernel.Config.defaults().withWaitStrategy(strategy).withMaxThreads(8);
    try (Kernel kernel = new Kernel(config)) {
      final Space clientSpace = kernel.createSpace("client");
      final Space serverSpace = kernel.createSpace("server");
      kernel.createChannel(clientSpace, serverSpace);
      final IpcThread server = serverSpace.spawn("echo", EchoComponent::serve);
      final IpcThread client = clientSpace.attach("client");
      try {
        lastAllocation = CallLoop.run(client, server.id(), MessageTag.of(1, words), warmup, iterations, roundTripsNs, STALL);
      } finally {
        client.close();
        serverSpace.end();
        serverSpace.awaitTermination(STALL);
      }
    }
  }
}
