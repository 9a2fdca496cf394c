package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.ServerCall;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A {@link Tally} that allocates nothing per note: a count per stream, which goes negative for
 * good at the first note out of order. {@link #hold()} blocks until {@link #release()} (at most a
 * minute).
 */
public final class TallyServer implements Tally {

  /** Streams counted. */
  public static final int STREAMS = 64;

  private final AtomicLongArray counts = new AtomicLongArray(STREAMS);
  /** Bytes taken by bulk. */
  final AtomicLong bulkBytes = new AtomicLong();
  /** Opens once a hold() is being served. */
  final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile CallInfo remembered;

  @Override
  public void note(int stream, long seq) {
    final long count = counts.get(stream);
    if (count >= 0) {
      counts.set(stream, seq == count ? count + 1 : -1 - count);
    }
  }

  @Override
  public long count(int stream) {
    return counts.get(stream);
  }

  @Override
  public void bulk(byte[] data) {
    bulkBytes.addAndGet(data.length);
  }

  @Override
  public void hold() {
    holding.countDown();
    try {
      released.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets every hold() go, now and later. */
  void release() {
    released.countDown();
  }

  @Override
  public void remember() {
    remembered = me();
  }

  @Override
  public CallInfo remembered() {
    return remembered;
  }

  @Override
  public CallInfo me() {
    final ServerCall call = ServerCall.current();
    return new CallInfo(call.callerSpace(), call.callerThread(), call.callerPid(), call.remainingNanos(), 0);
  }
}
