package dev.nucleus.bench.oneway;

/**
 * The sending end of one mechanism, as the throughput loop drives it: one message per call,
 * never waiting. Not thread-safe: the sending thread's.
 */
@FunctionalInterface
public interface OneWaySender {

  /**
   * Sends message {@code seq} (its {@link Payload} words) if the mechanism has room now.
   *
   * @param seq the sequence number
   * @return true if sent; false if the mechanism pushed back (full), to be tried again
   * @throws Exception if the mechanism failed for good (closed, peer gone)
   */
  boolean offer(long seq) throws Exception;
}
