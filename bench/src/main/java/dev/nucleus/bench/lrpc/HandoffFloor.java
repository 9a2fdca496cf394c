package dev.nucleus.bench.lrpc;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.PingPong;
import dev.nucleus.bench.SpinHandoff;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * {@code floor-handoff-<size>}: the least a {@code byte[]} argument of {@code bytes} can cost
 * between two cores, with no protocol at all: the work the types demand and the move of the bytes
 * from one core's cache to the other's. Round trip {@code i}: the caller copies its array into
 * shared memory (the A-stack's copy), publishes {@code i} with a release store; a second thread,
 * spinning on another core, copies the bytes into a <em>fresh</em> {@code byte[]} (what a
 * {@code byte[]} parameter must hand the server: an array of its own, zeroed by the JVM first) and
 * answers {@code i}. The caller's copy is the same one {@code floor-memcpy-<size>} times alone; what
 * this floor adds is the second copy and, above all, the cache lines moving between cores, which
 * for 1 MiB cost several memcpys on this machine. So {@code lrpc-process-<size>} over this floor is
 * what the binding itself adds, while over {@code floor-memcpy-<size>} (issue 12's goal) it also
 * counts what no binding can avoid.
 *
 * <p>Both threads are in one JVM: a mapping shared by two processes moves its lines between cores
 * in the same way, and the bench measures it forked ({@code ForkedPingPong}), in a JVM with the
 * touched heap of the bulk LRPC entries' server ({@code ChildJvm.TOUCHED_HEAP}), since it
 * allocates an array per call as that server does. Bounded like {@code floor-java-spin}
 * ({@link SpinHandoff}): each side gives up after 5 s without progress.
 */
public final class HandoffFloor implements PingPong {

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final long LINE = 64;
  /** The flag lines: the caller writes CALL, the receiving thread ANSWER, and the bytes follow. */
  private static final long CALL = 0;
  private static final long ANSWER = LINE;
  private static final long ABORT = 2 * LINE;
  private static final long BYTES = 3 * LINE;

  private final int bytes;

  /** The floor for arguments of {@code bytes} bytes. */
  public HandoffFloor(int bytes) {
    this.bytes = bytes;
  }

  /** The name of the floor for {@code bytes}. */
  static String name(int bytes) {
    return "floor-handoff-" + MemcpyFloor.label(bytes);
  }

  @Override
  public String name() {
    return name(bytes);
  }

  @Override
  public String floor() {
    return null;
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public String description() {
    return "a " + MemcpyFloor.label(bytes) + " byte[] copied into shared memory by one thread and into a fresh"
        + " byte[] by a second one spinning on another core, no protocol (the bulk LRPC transfer floor)";
  }

  @Override
  public MessageSize messageSize() {
    return new MessageSize(name(bytes), bytes, true);
  }

  @Override
  public int defaultIterations() {
    return MemcpyFloor.iterationsFor(bytes);
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    final long total = (long) warmup + iterations;
    final byte[] source = new byte[bytes];
    try (Arena arena = Arena.ofShared()) {
      final MemorySegment shared = arena.allocate(BYTES + Math.max(1, bytes), LINE);
      final Receiver receiver = new Receiver(shared, bytes, total);
      final Thread t = Thread.ofPlatform().name(name() + "-receiver").daemon().start(receiver);
      try {
        call(shared, source, warmup, total, roundTripsNs);
      } finally {
        SpinHandoff.abort(shared, ABORT); // no-op on success: the receiver has finished its rounds
        t.join(TimeUnit.NANOSECONDS.toMillis(SpinHandoff.STALL_NS) + 1000);
        if (t.isAlive()) {
          throw new IllegalStateException("the receiving thread did not stop");
        }
      }
      if (receiver.failure != null) {
        throw receiver.failure;
      }
    }
  }

  private void call(MemorySegment shared, byte[] source, int warmup, long total, Histogram out)
      throws TimeoutException {
    for (long i = 1; i <= total; i++) {
      source[(int) (i % Math.max(1, bytes))] = (byte) i; // the bytes change from call to call, as arguments do
      final long t0 = System.nanoTime();
      MemorySegment.copy(source, 0, shared, ValueLayout.JAVA_BYTE, BYTES, bytes);
      LONG.setRelease(shared, CALL, i);
      SpinHandoff.await(shared, ANSWER, i, shared, ABORT, t0, "the receiving thread did not answer round trip");
      final long t1 = System.nanoTime();
      if (i > warmup) {
        Latencies.record(out, t1 - t0);
      }
    }
  }

  /** The receiving side: a fresh array per call, as a byte[] parameter gets; records its failure. */
  private static final class Receiver implements Runnable {
    private final MemorySegment shared;
    private final int bytes;
    private final long total;
    volatile Exception failure;
    /** The last byte of the last array, read so that the copies stay observable. */
    volatile byte last;

    Receiver(MemorySegment shared, int bytes, long total) {
      this.shared = shared;
      this.bytes = bytes;
      this.total = total;
    }

    @Override
    public void run() {
      try {
        for (long i = 1; i <= total; i++) {
          SpinHandoff.await(shared, CALL, i, shared, ABORT, 0, "the caller did not send round trip");
          final byte[] argument = new byte[bytes];
          MemorySegment.copy(shared, ValueLayout.JAVA_BYTE, BYTES, argument, 0, bytes);
          if (bytes > 0) {
            last = argument[bytes - 1];
          }
          LONG.setRelease(shared, ANSWER, i);
        }
      } catch (TimeoutException e) {
        failure = e;
      }
    }
  }
}
