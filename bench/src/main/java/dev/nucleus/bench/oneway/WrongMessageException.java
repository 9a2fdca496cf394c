package dev.nucleus.bench.oneway;

/** A receiver was handed a message that is not the next one the sender sent: the run is void. */
public final class WrongMessageException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with what was wrong.
   *
   * @param message which message, which word, what was found
   */
  public WrongMessageException(String message) {
    super(message);
  }
}
