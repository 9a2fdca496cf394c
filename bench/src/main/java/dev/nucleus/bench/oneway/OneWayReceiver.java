package dev.nucleus.bench.oneway;

/**
 * The receiving end of one mechanism, as the throughput loop drives it: takes what has arrived,
 * checking every message with the run's {@link SequenceCheck}, never waiting. Not thread-safe:
 * the receiving thread's.
 */
@FunctionalInterface
public interface OneWayReceiver {

  /**
   * Takes up to {@code limit} messages that have arrived, each checked and counted by the check.
   *
   * @param limit the most messages to take, at least 1
   * @return how many were taken, 0 .. limit
   * @throws WrongMessageException if a message was lost, reordered or corrupted
   * @throws Exception if the mechanism failed for good
   */
  int poll(int limit) throws Exception;
}
