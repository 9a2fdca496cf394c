package dev.nucleus.bench.scaling;

import static dev.nucleus.bench.scaling.ControlDescriptor.*;

import dev.nucleus.bench.Latencies;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Reads and writes a control region laid out as {@link ControlDescriptor} says, with the memory
 * mode in each accessor's name. The bench JVM makes one with {@link #format}, a client process
 * with {@link #attach}; each side uses only the accessors of the words it owns for writing.
 *
 * <p>Thread-safety: any thread may use it; each word has one writer (see the descriptor).
 * Memory consistency effects: what a process writes before a release store (its error text before
 * STATE, its histogram before REPORTED_STEP) is visible to the bench JVM after the matching
 * acquire load.
 */
final class ControlFlyweight {

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
  /** The precision of every histogram the clients keep ({@link Latencies#newHistogram()}). */
  private static final int DIGITS = Latencies.newHistogram().getNumberOfSignificantValueDigits();

  private final MemorySegment segment;
  private final int processes;
  private final int threads;

  private ControlFlyweight(MemorySegment segment, int processes, int threads) {
    this.segment = segment;
    this.processes = processes;
    this.threads = threads;
  }

  /**
   * Lays out a fresh, zeroed region: the header, VERSION last.
   *
   * @param segment the region, at least {@link ControlDescriptor#length} bytes
   * @param processes client processes
   * @param threads threads per process
   * @return the flyweight over it
   * @throws IllegalArgumentException if a count is out of range or the segment too short
   */
  static ControlFlyweight format(MemorySegment segment, int processes, int threads) {
    checkLength(segment, processes, threads);
    segment.set(ValueLayout.JAVA_INT, PROCESSES_OFFSET, processes);
    segment.set(ValueLayout.JAVA_INT, THREADS_OFFSET, threads);
    LONG.setRelease(segment, VERSION_OFFSET, VERSION);
    return new ControlFlyweight(segment, processes, threads);
  }

  /**
   * Checks a region another process laid out against what this process was told, before trusting
   * anything in it.
   *
   * @param segment the mapped region
   * @param processes client processes, as the arguments say
   * @param threads threads per process, as the arguments say
   * @return the flyweight over it
   * @throws IllegalArgumentException naming what does not match
   */
  static ControlFlyweight attach(MemorySegment segment, int processes, int threads) {
    checkLength(segment, processes, threads);
    final long version = (long) LONG.getAcquire(segment, VERSION_OFFSET);
    if (version != VERSION) {
      throw new IllegalArgumentException("not a scaling control region of version " + Long.toHexString(VERSION)
          + ": 0x" + Long.toHexString(version));
    }
    final int p = segment.get(ValueLayout.JAVA_INT, PROCESSES_OFFSET);
    final int t = segment.get(ValueLayout.JAVA_INT, THREADS_OFFSET);
    if (p != processes || t != threads) {
      throw new IllegalArgumentException("the control region is laid out for " + p + " processes of " + t
          + " threads, not " + processes + " of " + threads);
    }
    return new ControlFlyweight(segment, processes, threads);
  }

  private static void checkLength(MemorySegment segment, int processes, int threads) {
    final long needed = ControlDescriptor.length(processes, threads);
    if (segment.byteSize() < needed) {
      throw new IllegalArgumentException("a control region for " + processes + " processes of " + threads
          + " threads needs " + needed + " bytes, not " + segment.byteSize());
    }
  }

  /** @return client processes */
  int processes() {
    return processes;
  }

  /** @return client threads per process */
  int threads() {
    return threads;
  }

  /** @return clients in all: {@code processes x threads} */
  int clients() {
    return processes * threads;
  }

  // --- the command: the bench JVM writes --------------------------------------------------

  void commandRelease(Command command) {
    LONG.setRelease(segment, COMMAND_OFFSET, command.word());
  }

  long commandWordAcquire() {
    return (long) LONG.getAcquire(segment, COMMAND_OFFSET);
  }

  // --- the clients' counts: client k's thread writes --------------------------------------

  void callsRelease(int k, long calls) {
    LONG.setRelease(segment, clientOffset(k) + CALLS_OFFSET, calls);
  }

  long callsAcquire(int k) {
    return (long) LONG.getAcquire(segment, clientOffset(k) + CALLS_OFFSET);
  }

  /**
   * The calls of every client, summed: a moment's figure while they call.
   *
   * @return the sum of the CALLS words
   */
  long totalCallsAcquire() {
    long sum = 0;
    for (int k = 0; k < clients(); k++) {
      sum += callsAcquire(k);
    }
    return sum;
  }

  // --- the processes' records: process p's main thread writes -----------------------------

  void stateRelease(int p, int state) {
    INT.setRelease(segment, processOffset(clients(), p) + STATE_OFFSET, state);
  }

  int stateAcquire(int p) {
    return (int) INT.getAcquire(segment, processOffset(clients(), p) + STATE_OFFSET);
  }

  /**
   * Stores why process {@code p} failed, cut to {@link ControlDescriptor#ERROR_CAPACITY} bytes,
   * then STATE = FAILED.
   */
  void failRelease(int p, String why) {
    final byte[] bytes = why.getBytes(StandardCharsets.UTF_8);
    final int length = Math.min(bytes.length, ERROR_CAPACITY);
    final long record = processOffset(clients(), p);
    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, record + ERROR_OFFSET, length);
    segment.set(ValueLayout.JAVA_INT, record + ERROR_LENGTH_OFFSET, length);
    stateRelease(p, FAILED);
  }

  /**
   * Why process {@code p} failed; read after {@link #stateAcquire} saw FAILED.
   *
   * @return the text, or a note that its length is out of range
   */
  String error(int p) {
    final long record = processOffset(clients(), p);
    final int length = segment.get(ValueLayout.JAVA_INT, record + ERROR_LENGTH_OFFSET);
    if (length < 0 || length > ERROR_CAPACITY) {
      return "(no readable reason: its length word says " + length + ")";
    }
    return new String(segment.asSlice(record + ERROR_OFFSET, length).toArray(ValueLayout.JAVA_BYTE),
        StandardCharsets.UTF_8);
  }

  /**
   * Stores process {@code p}'s histogram for {@code step} (compressed), then REPORTED_STEP.
   *
   * @throws IllegalStateException if its encoding does not fit {@link ControlDescriptor#HISTOGRAM_CAPACITY}
   */
  void reportRelease(int p, long step, Histogram histogram) {
    final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    if (length > HISTOGRAM_CAPACITY) {
      throw new IllegalStateException("the latency histogram of step " + step + " takes " + length
          + " bytes compressed, more than the " + HISTOGRAM_CAPACITY + " its slot has");
    }
    final long record = processOffset(clients(), p);
    MemorySegment.copy(MemorySegment.ofArray(buffer.array()), 0, segment, record + HISTOGRAM_OFFSET, length);
    segment.set(ValueLayout.JAVA_INT, record + HISTOGRAM_LENGTH_OFFSET, length);
    LONG.setRelease(segment, record + REPORTED_STEP_OFFSET, step);
  }

  long reportedStepAcquire(int p) {
    return (long) LONG.getAcquire(segment, processOffset(clients(), p) + REPORTED_STEP_OFFSET);
  }

  /**
   * Process {@code p}'s last reported histogram; read after {@link #reportedStepAcquire} saw the
   * step. Another process wrote it: its length and encoding are checked.
   *
   * @return the histogram
   * @throws IllegalStateException naming what is wrong with it
   */
  Histogram histogram(int p) {
    final long record = processOffset(clients(), p);
    final int length = segment.get(ValueLayout.JAVA_INT, record + HISTOGRAM_LENGTH_OFFSET);
    if (length <= 0 || length > HISTOGRAM_CAPACITY) {
      throw new IllegalStateException("client process " + p + "'s histogram has a length of " + length
          + " bytes, not 1.." + HISTOGRAM_CAPACITY);
    }
    final ByteBuffer bytes =
        ByteBuffer.wrap(segment.asSlice(record + HISTOGRAM_OFFSET, length).toArray(ValueLayout.JAVA_BYTE));
    final Histogram histogram;
    try {
      histogram = Histogram.decodeFromCompressedByteBuffer(bytes, 0);
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalStateException("client process " + p + "'s histogram cannot be decoded: " + e, e);
    }
    if (histogram.getHighestTrackableValue() < Latencies.HIGHEST_NS
        || histogram.getNumberOfSignificantValueDigits() != DIGITS) {
      throw new IllegalStateException("client process " + p + "'s histogram is not one of Latencies: up to "
          + histogram.getHighestTrackableValue() + " ns, " + histogram.getNumberOfSignificantValueDigits() + " digits");
    }
    return histogram;
  }
}
