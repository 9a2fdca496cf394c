package dev.nucleus.examples.system;

import java.util.List;

/** The {@code key=value} arguments the example components take from their descriptor. */
final class Args {

  private Args() {}

  /** The value of {@code key=<n>} in {@code args} as a long, or {@code otherwise}. */
  static long millis(List<String> args, String key, long otherwise) {
    for (String a : args) {
      if (a.startsWith(key + "=")) {
        try {
          return Long.parseLong(a.substring(key.length() + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("argument " + key + " wants a number: '" + a + "'");
        }
      }
    }
    return otherwise;
  }
}
