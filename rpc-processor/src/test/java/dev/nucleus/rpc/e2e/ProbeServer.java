package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.ServerCall;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Probe} that counts what it serves, holds {@code echo(7)} until {@link #release} opens,
 * and takes 5 ms over {@code echo(9)}.
 */
final class ProbeServer implements Probe {
  final AtomicInteger served = new AtomicInteger();
  /** Counted down when {@code echo(7)} starts. */
  final CountDownLatch entered = new CountDownLatch(1);
  /** What {@code echo(7)} waits for. */
  final CountDownLatch release = new CountDownLatch(1);

  @Override
  public long thread() {
    served.incrementAndGet();
    return ServerCall.current().callerThread();
  }

  @Override
  public int space() {
    served.incrementAndGet();
    return ServerCall.current().callerSpace();
  }

  @Override
  public long pid() {
    served.incrementAndGet();
    return ServerCall.current().callerPid();
  }

  @Override
  public long nanosLeft() {
    served.incrementAndGet();
    return ServerCall.current().remainingNanos();
  }

  @Override
  public long echo(long value) {
    served.incrementAndGet();
    if (value == 9) { // longer than a client spins before it sleeps
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (value == 7) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return value;
  }
}
