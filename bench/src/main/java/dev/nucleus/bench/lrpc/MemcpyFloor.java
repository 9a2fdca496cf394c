package dev.nucleus.bench.lrpc;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.PingPong;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.HdrHistogram.Histogram;

/**
 * {@code floor-memcpy-<size>}: one copy of {@code bytes} bytes from a heap array into native
 * memory ({@link MemorySegment#copy}), timed as a round trip is: the floor of the LRPC bulk
 * entries, measured in the same run, so that their ratio reads as a fraction of memcpy's
 * bandwidth (a ratio of 2: half of it).
 */
public final class MemcpyFloor implements PingPong {

  private final int bytes;

  /** The floor for copies of {@code bytes} bytes. */
  public MemcpyFloor(int bytes) {
    this.bytes = bytes;
  }

  /** The name of the floor for {@code bytes}. */
  static String name(int bytes) {
    return "floor-memcpy-" + label(bytes);
  }

  /** A size as the bulk entries name it: 1KiB, 64KiB, 1MiB. */
  static String label(int bytes) {
    return bytes >= (1 << 20) && bytes % (1 << 20) == 0 ? (bytes >> 20) + "MiB" : MessageSize.label(bytes);
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
    return "one copy of " + label(bytes) + " from a byte[] into native memory (the bulk LRPC floor)";
  }

  @Override
  public MessageSize messageSize() {
    return new MessageSize(name(bytes), bytes, true); // a series of its own: memcpy has no null message
  }

  @Override
  public int defaultIterations() {
    return iterationsFor(bytes);
  }

  /** Round trips per run for {@code bytes} per call: about 256 MiB moved, between 200 and the spin default. */
  static int iterationsFor(int bytes) {
    return (int) Math.max(200, Math.min(SPIN_ITERATIONS, (256L << 20) / Math.max(1, bytes)));
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) {
    final byte[] source = new byte[bytes];
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment target = arena.allocate(Math.max(1, bytes), 64);
      long check = 0;
      for (int i = 0; i < warmup + iterations; i++) {
        source[i % bytes] = (byte) i;
        final long t0 = System.nanoTime();
        MemorySegment.copy(source, 0, target, ValueLayout.JAVA_BYTE, 0, bytes);
        final long t1 = System.nanoTime();
        check += target.get(ValueLayout.JAVA_BYTE, i % bytes);
        if (i >= warmup) {
          Latencies.record(roundTripsNs, t1 - t0);
        }
      }
      if (check == Long.MIN_VALUE) {
        throw new IllegalStateException("unreachable: keeps the copies observable");
      }
    }
  }
}
