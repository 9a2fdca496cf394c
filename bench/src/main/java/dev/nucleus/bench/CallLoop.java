package dev.nucleus.bench;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The measured client loop of the Nucleus mechanisms: {@code warmup + iterations} calls with
 * infinite timeouts, each timed on its own, and a watchdog that aborts the client's call when no
 * round trip completes for {@code stall} (so a lost server becomes ABORTED and an exception).
 */
final class CallLoop {

  private CallLoop() {}

  static void run(IpcThread client, long server, long tag, int warmup, int iterations, Histogram out,
      Duration stall) {
    final AtomicLong progress = new AtomicLong();
    final Thread watchdog = Thread.ofPlatform().daemon().name("bench-watchdog").start(() -> watch(client, progress, stall));
    try {
      final long total = (long) warmup + iterations;
      for (long i = 0; i < total; i++) {
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
    } finally {
      watchdog.interrupt();
    }
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
