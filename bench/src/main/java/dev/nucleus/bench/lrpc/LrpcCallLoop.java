package dev.nucleus.bench.lrpc;

import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.Latencies;
import org.HdrHistogram.Histogram;

/**
 * The measured client loop of the LRPC entries: {@code warmup + iterations} null calls through a
 * {@link Bench} proxy, each timed on its own. The counterpart of the raw kernel entries' loop
 * ({@code CallLoop}), with the proxy in place of {@code IpcThread.call}.
 *
 * <p>Bounded without a watchdog: every call carries its binding's deadline (the entries give
 * theirs {@link #STALL}), so a server that stops answering ends the call with an
 * {@link dev.nucleus.rpc.RpcException} (deadline exceeded, peer dead), which fails the run. That
 * deadline is also part of what is measured: an LRPC call always has one, and the proxy reads the
 * clock to set it, where the raw entries call with infinite timeouts.
 */
final class LrpcCallLoop {

  /** The deadline of every call: longer than any healthy round trip, short enough to fail a run. */
  static final java.time.Duration STALL = java.time.Duration.ofSeconds(5);

  /** What {@link Bench#echo} must give back before the loop starts: a wrong transport fails early. */
  private static final long PROBE = 0x5EED_CAFE_F00DL;

  private LrpcCallLoop() {}

  /**
   * Runs the loop and returns what each side allocated per measured call ({@code null} where the
   * JVM does not count allocation): the client's counter, and the server's through
   * {@link Bench#serverAllocatedBytes()}, read when the measured calls begin and when they end.
   * With a pool of one server thread both server readings come from the thread that served the
   * calls in between. Over a {@link dev.nucleus.rpc.LocalBinding} the "server" is the calling
   * thread itself, and both figures are that thread's.
   *
   * @param bench the proxy to call
   * @param warmup unrecorded calls first
   * @param iterations measured calls, one histogram value each
   * @param out where each measured call's latency in ns goes
   * @return bytes allocated per measured call, client and server, or null if not counted
   * @throws IllegalStateException if the echo probe comes back wrong
   * @throws dev.nucleus.rpc.RpcException if a call fails (its deadline included)
   */
  static Allocation run(Bench bench, int warmup, int iterations, Histogram out) {
    final long echoed = bench.echo(PROBE);
    if (echoed != PROBE) {
      throw new IllegalStateException("echo(" + Long.toHexString(PROBE) + ") came back as " + Long.toHexString(echoed));
    }
    final long total = (long) warmup + iterations;
    long serverBefore = -1;
    long clientBefore = -1;
    // One loop for warmup and measurement, so that the code measured is the code the JIT compiled
    // during warmup; the counters are read at the boundary.
    for (long i = 0; i < total; i++) {
      if (i == warmup) {
        serverBefore = bench.serverAllocatedBytes();
        clientBefore = Allocation.currentThreadBytes();
      }
      final long t0 = System.nanoTime();
      bench.nothing();
      final long t1 = System.nanoTime();
      if (i >= warmup) {
        Latencies.record(out, t1 - t0);
      }
    }
    final long clientAfter = Allocation.currentThreadBytes();
    final long serverAfter = bench.serverAllocatedBytes();
    return Allocation.between(clientBefore, clientAfter, serverBefore, serverAfter, iterations);
  }
}
