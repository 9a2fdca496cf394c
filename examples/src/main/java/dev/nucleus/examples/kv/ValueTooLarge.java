package dev.nucleus.examples.kv;

/** A value larger than the store takes: declared by {@link KeyValue#put}, rethrown at the client. */
public final class ValueTooLarge extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what was too large
   */
  public ValueTooLarge(String message) {
    super(message);
  }
}
