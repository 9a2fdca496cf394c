package dev.nucleus.system;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A system descriptor is not valid: its message, one line, names the file, the line and the key,
 * and says what was expected:
 *
 * <pre>{@code
 * system.toml:14: component[1].restart: expected one of permanent, transient, temporary, got "sometimes"
 * }</pre>
 *
 * <p>Keys are written as paths from the top of the file, with arrays of tables indexed from 0:
 * {@code name}, {@code supervisor.intensity}, {@code component[1].restart},
 * {@code component[0].args[2]}. A TOML syntax error has no key: its message says
 * {@code TOML syntax error} and the column, as the TOML parser located it.
 */
public final class DescriptorException extends Exception {

  @Serial private static final long serialVersionUID = 1L;

  /** The file, as given to the loader. */
  private final transient Path file;

  /** The 1-based line; 0 when the error concerns the whole file (it cannot be read). */
  private final int line;

  /** The key path; empty for a syntax error or a file that cannot be read. */
  private final String key;

  /**
   * An error at {@code key} on {@code line} of {@code file}; the message is
   * {@code file:line: key: problem}, leaving out the line when it is 0 and the key when it is empty.
   *
   * @param file the descriptor's file
   * @param line the 1-based line, or 0 for the whole file
   * @param key the key path, or empty
   * @param problem what is wrong: what was expected and what was found, one line
   */
  public DescriptorException(Path file, int line, String key, String problem) {
    this(file, line, key, problem, null);
  }

  /**
   * As {@link #DescriptorException(Path, int, String, String)}, with the exception that caused it.
   *
   * @param file the descriptor's file
   * @param line the 1-based line, or 0 for the whole file
   * @param key the key path, or empty
   * @param problem what is wrong, one line
   * @param cause what caused it, or null
   */
  public DescriptorException(Path file, int line, String key, String problem, Throwable cause) {
    super(format(file, line, key, problem), cause);
    this.file = file;
    this.line = line;
    this.key = Objects.requireNonNull(key, "key");
  }

  /**
   * {@return the descriptor's file, as given to the loader}
   */
  public Path file() {
    return file;
  }

  /**
   * {@return the 1-based line of the error, or 0 if it concerns the whole file}
   */
  public int line() {
    return line;
  }

  /**
   * {@return the key path of the error, such as {@code component[1].restart}; empty for a TOML
   * syntax error or a file that cannot be read}
   */
  public String key() {
    return key;
  }

  private static String format(Path file, int line, String key, String problem) {
    final StringBuilder message = new StringBuilder().append(file);
    if (line > 0) {
      message.append(':').append(line);
    }
    message.append(": ");
    if (!key.isEmpty()) {
      message.append(key).append(": ");
    }
    // One line, whatever the problem quotes from the file.
    return message.append(problem.replace('\n', ' ').replace('\r', ' ')).toString();
  }
}
