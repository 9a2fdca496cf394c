package dev.nucleus.system;

import java.nio.file.Path;

/**
 * A status segment that cannot be read: a field holds a value its writer never writes (wrong magic
 * or layout version, a count beyond capacity, a string that is not UTF-8, a code out of range), or
 * the writer never finished a publish. The segment is written by another process, so this says
 * what was found and never lets a bad value reach further.
 */
public final class CorruptStatusException extends RuntimeException {

  /** The field that is wrong, as docs/status-segment.md names it. */
  private final String field;

  /**
   * A field of a segment that is wrong.
   *
   * @param field the field, as docs/status-segment.md names it, e.g. {@code COMPONENT[3].STATE}
   * @param problem what is wrong with it, e.g. {@code "is 9, expected 0..5"}
   */
  public CorruptStatusException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  private CorruptStatusException(Path file, CorruptStatusException e) {
    super(file + ": " + e.getMessage(), e.getCause());
    this.field = e.field;
  }

  /**
   * The same problem, the message prefixed with the file it was found in.
   *
   * @param file the segment's path
   * @return a new exception naming {@code file}
   */
  public CorruptStatusException in(Path file) {
    return new CorruptStatusException(file, this);
  }

  /**
   * The field that is wrong.
   *
   * @return the field's name, e.g. {@code MAGIC} or {@code COMPONENT[3].STATE}
   */
  public String field() {
    return field;
  }
}
