package dev.nucleus.bench;

import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.Scratch;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A mechanism whose both sides live in one JVM, measured in a fresh JVM for every run, as JMH
 * forks: each run then has the JIT profile of that mechanism alone. Measured in the bench JVM, a
 * mechanism runs with code the JIT compiled for whatever ran before it (other wait strategies,
 * gRPC, Aeron): its later runs were up to a third slower than its first in the same bench.
 *
 * <p>The child ({@link ForkedRunMain}) builds the same mechanism by name from {@link
 * MechanismRegistry#defaults()} and runs it twice with this run's warmup and iterations: the first
 * run is thrown away, since a fresh JVM compiles during it, which on two vCPUs would compete with
 * the measured round trips. It answers with the second run's histogram (HdrHistogram's compressed
 * encoding, base64) and allocation figure on its {@code READY} line. Bounded: the child's own
 * stall watchdog fails a run whose partner stops answering, and the whole child is given {@link
 * #LIMIT}; it is always killed and reaped.
 */
public final class ForkedPingPong extends DelegatingPingPong {

  /** The longest a forked run may take, start-up included. */
  static final Duration LIMIT = Duration.ofMinutes(5);

  private Allocation lastAllocation;
  /** Flags of the child JVM beyond {@link ChildJvm#HEAP}. */
  private final List<String> jvmFlags;

  private ForkedPingPong(PingPong inner, List<String> jvmFlags) {
    super(inner);
    this.jvmFlags = List.copyOf(jvmFlags);
  }

  /** {@code inner}, measured in a fresh JVM per run. */
  public static ForkedPingPong of(PingPong inner) {
    return new ForkedPingPong(inner, List.of());
  }

  /**
   * {@code inner}, measured in a fresh JVM per run that has {@code jvmFlags} too (after {@link
   * ChildJvm#HEAP}, so they win): {@link ChildJvm#TOUCHED_HEAP} for a mechanism that allocates on
   * every round trip.
   */
  public static ForkedPingPong of(PingPong inner, List<String> jvmFlags) {
    return new ForkedPingPong(inner, jvmFlags);
  }

  /** The mechanism the child runs. */
  public PingPong inner() {
    return inner;
  }

  @Override
  public String description() {
    return inner.description() + " (a fresh JVM per run)";
  }

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    lastAllocation = null;
    try (Scratch scratch = Scratch.create();
        ChildJvm child =
            ChildJvm.start(
                scratch,
                "forked-" + name(),
                ForkedRunMain.class,
                jvmFlags,
                List.of(name(), Integer.toString(warmup), Integer.toString(iterations)))) {
      final String[] answer = child.awaitReady(LIMIT).split(" ");
      if (answer.length != 3) {
        throw new IllegalStateException(name() + ": malformed answer from the forked run");
      }
      final ByteBuffer encoded = ByteBuffer.wrap(Base64.getDecoder().decode(answer[0]));
      final long range = Latencies.newHistogram().getHighestTrackableValue();
      roundTripsNs.add(Histogram.decodeFromCompressedByteBuffer(encoded, range));
      final double client = Double.parseDouble(answer[1]);
      final double server = Double.parseDouble(answer[2]);
      lastAllocation = client < 0 || server < 0 ? null : new Allocation(client, server);
    }
  }
}
