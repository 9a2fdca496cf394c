package dev.nucleus.rpc.e2e;

/** A declared, checked exception of {@link KeyValue#put}. */
public class KeyTooLong extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what was too long
   */
  public KeyTooLong(String message) {
    super(message);
  }
}
