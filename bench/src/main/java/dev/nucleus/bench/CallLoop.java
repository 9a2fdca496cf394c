package dev.nucleus.bench;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The measured client loop of the Nucleus mechanisms: {@code warmup + iterations} calls with
 * infinite timeouts, each timed on its own, and a watchdog that aborts the client's call when no
 * round trip completes for {@code stall} (so a lost server becomes ABORTED and an exception).
 * The server must be an {@link EchoComponent} loop, which also answers allocation queries.
 */
final class CallLoop {

  private CallLoop() {}

  /**
   * Runs the loop and returns what each side allocated per measured round trip ({@code null} if
   * the JVMs do not count allocation): the client's counter and the server's (an
   * {@link EchoComponent#ALLOCATION_QUERY} call) are read when the measured round trips begin and
   * again when they end.
   */
  static Allocation run(IpcThread client, long server, long tag, int warmup, int iterations, Histogram out,
      Duration stall) {
    final AtomicLong progress = new AtomicLong();
    final Thread watchdog = Thread.ofPlatform().daemon().name("bench-watchdog").start(() -> watch(client, progress, stall));
    try {
      final long total = (long) warmup + iterations;
      long serverBefore = -1;
      long clientBefore = -1;
      // One loop for warmup and measurement, so that the code measured is the code the JIT
      // compiled during warmup; the counters are read at the boundary.
      for (long i = 0; i < total; i++) {
        if (i == warmup) {
          serverBefore = serverAllocatedBytes(client, server);
          clientBefore = Allocation.currentThreadBytes();
        }
        client.setTag(tag);
        final long t0 = System.nanoTime();
        final int status = client.call(server);
        final long t1 = System.nanoTime();
        if (status != Status.OK) {
          throw new IllegalStateException("call " + i + " failed: " + Status.toString(status));
        }
        if (i >= warmup) {
          Latencies.record(out, t1 - t0);
        }
        progress.lazySet(i + 1);
      }
      final long clientAfter = Allocation.currentThreadBytes();
      final long serverAfter = serverAllocatedBytes(client, server);
      return Allocation.between(clientBefore, clientAfter, serverBefore, serverAfter, iterations);
    } finally {
      watchdog.interrupt();
    }
  }

  /** The server thread's allocated bytes, asked with an {@link EchoComponent#ALLOCATION_QUERY} call. */
  private static long serverAllocatedBytes(IpcThread client, long server) {
    client.setTag(MessageTag.of(EchoComponent.ALLOCATION_QUERY, 0));
    final int status = client.call(server);
    if (status != Status.OK) {
      throw new IllegalStateException("allocation query failed: " + Status.toString(status));
    }
    return MessageTag.label(client.tag()) == EchoComponent.ALLOCATION_QUERY ? client.mr(1) : -1;
  }

  private static void watch(IpcThread client, AtomicLong progress, Duration stall) {
    long last = -1;
    try {
      while (true) {
        Thread.sleep(stall);
        final long now = progress.get();
        if (now == last) {
          client.abort();
        }
        last = now;
      }
    } catch (InterruptedException e) {
      // the run finished
    }
  }
}
