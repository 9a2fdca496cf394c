package dev.nucleus.bench;

import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.ParentWatch;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The child side of {@link ForkedPingPong}: {@code ForkedRunMain <mechanism> <warmup>
 * <iterations>} runs that mechanism twice, the first run thrown away (the JIT compiles during it),
 * and prints for the second {@code READY <histogram> <client B/rt> <server B/rt>}: the histogram
 * in HdrHistogram's compressed encoding, base64; -1 where allocation is not counted. Ends at once
 * if the parent goes away; exits non-zero, with the reason on stderr, if the run fails.
 */
public final class ForkedRunMain {

  private static final long QUIET_MS = 200;
  private static final long QUIET_LIMIT_MS = 5_000;

  private ForkedRunMain() {}

  /**
   * Waits (at most {@link #QUIET_LIMIT_MS} ms) until the JIT has compiled nothing for {@link
   * #QUIET_MS} ms: a compiler thread still busy after the first run would take one of the two
   * vCPUs from the pair being measured, a few milliseconds at a time.
   */
  private static void awaitCompilerQuiet() throws InterruptedException {
    final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    final long giveUp = System.nanoTime() + QUIET_LIMIT_MS * 1_000_000L;
    long last = jit.getTotalCompilationTime();
    while (System.nanoTime() < giveUp) {
      Thread.sleep(QUIET_MS);
      final long now = jit.getTotalCompilationTime();
      if (now == last) {
        return;
      }
      last = now;
    }
  }

  public static void main(String[] args) throws Exception {
    ParentWatch.start();
    if (args.length != 3) {
      System.err.println("usage: ForkedRunMain <mechanism> <warmup> <iterations>");
      System.exit(2);
    }
    PingPong m = MechanismRegistry.defaults().select(List.of(args[0])).get(0);
    if (m instanceof ForkedPingPong forked) {
      m = forked.inner();
    }
    final int warmup = Integer.parseInt(args[1]);
    final int iterations = Integer.parseInt(args[2]);
    // A whole run first, thrown away: a fresh JVM compiles the path during it, on the second vCPU
    // this machine has, which would otherwise compete with the measured round trips.
    m.run(warmup, iterations, Latencies.newHistogram());
    awaitCompilerQuiet();
    final Histogram h = Latencies.newHistogram();
    m.run(warmup, iterations, h);
    final ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    final int length = h.encodeIntoCompressedByteBuffer(buffer);
    final Allocation a = m.lastAllocation();
    System.out.println(
        ChildJvm.READY
            + " "
            + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length))
            + String.format(
                Locale.ROOT,
                " %.4f %.4f",
                a == null ? -1.0 : a.clientBytesPerRoundTrip(),
                a == null ? -1.0 : a.serverBytesPerRoundTrip()));
    System.out.flush();
    System.exit(0);
  }
}
