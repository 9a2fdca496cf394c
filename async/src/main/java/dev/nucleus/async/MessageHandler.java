package dev.nucleus.async;

/**
 * Takes the messages of a queue, one call each, on the receiving thread ({@link
 * QueueReceiver#poll}, {@link QueueReceiver#receive(MessageHandler, long)}). Keep one instance
 * (a field, not a capturing lambda made per call) so that receiving allocates nothing.
 */
@FunctionalInterface
public interface MessageHandler {

  /**
   * Handles one message. The message is consumed when this returns, and also when it throws (the
   * exception reaches the caller of poll or receive; the next call goes on with the next message).
   *
   * @param message the message, valid only during this call
   */
  void onMessage(ReceivedMessage message);
}
