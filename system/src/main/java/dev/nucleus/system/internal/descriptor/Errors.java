package dev.nucleus.system.internal.descriptor;

import dev.nucleus.system.DescriptorException;
import java.nio.file.Path;

/**
 * Makes the errors of one descriptor: each names the file, the line of its key and the key.
 * Immutable.
 */
final class Errors {

  private final Path file;
  private final SourceLines lines;

  Errors(Path file, SourceLines lines) {
    this.file = file;
    this.lines = lines;
  }

  /**
   * An error at {@code key}, on the line where the key is (or its nearest enclosing table, for a
   * key that is missing).
   *
   * @param key the key path
   * @param problem what was expected and what was found
   * @return the exception, to throw
   */
  DescriptorException at(String key, String problem) {
    return new DescriptorException(file, lines.lineOf(key), key, problem);
  }

  /**
   * An error at {@code key}, on the line of {@code place}: an element of the key's array, say.
   *
   * @param key the key path
   * @param place the path whose line the message names
   * @param problem what was expected and what was found
   * @return the exception, to throw
   */
  DescriptorException at(String key, String place, String problem) {
    return new DescriptorException(file, lines.lineOf(place), key, problem);
  }

  /**
   * {@return the line of {@code key}, for messages that point at a second place}
   */
  int lineOf(String key) {
    return lines.lineOf(key);
  }
}
