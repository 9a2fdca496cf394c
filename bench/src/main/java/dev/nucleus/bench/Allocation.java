package dev.nucleus.bench;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes allocated per measured round trip by each side of one run, from the JVM's
 * per-thread allocation counters ({@code com.sun.management.ThreadMXBean}): the client is the
 * measuring thread, the server the thread that answered. Both count every allocation the thread
 * made between two readings taken around the measured round trips, so a value of 0 means the IPC
 * path, the timing and the recording allocated nothing at all.
 *
 * @param clientBytesPerRoundTrip bytes the client thread allocated, divided by the round trips
 * @param serverBytesPerRoundTrip bytes the server thread allocated, divided by the round trips
 */
public record Allocation(double clientBytesPerRoundTrip, double serverBytesPerRoundTrip) {

  private static final com.sun.management.ThreadMXBean THREADS = threads();

  /**
   * Bytes the calling thread has allocated so far, or -1 where the JVM does not count them. Does
   * not allocate (after the first call, which loads the management classes).
   */
  public static long currentThreadBytes() {
    return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
  }

  /**
   * The figure for {@code roundTrips} round trips between two readings of each side's counter, or
   * {@code null} if any reading is missing (-1).
   */
  public static Allocation between(long clientBefore, long clientAfter, long serverBefore, long serverAfter, long roundTrips) {
    if (clientBefore < 0 || clientAfter < 0 || serverBefore < 0 || serverAfter < 0 || roundTrips <= 0) {
      return null;
    }
    return new Allocation(
        (double) (clientAfter - clientBefore) / roundTrips, (double) (serverAfter - serverBefore) / roundTrips);
  }

  private static com.sun.management.ThreadMXBean threads() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()) {
      t.setThreadAllocatedMemoryEnabled(true);
      return t;
    }
    return null;
  }
}
