package dev.nucleus.system.internal.descriptor;

import dev.nucleus.system.DescriptorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One table of the descriptor, as Jackson read it, with typed access whose every failure is a
 * located {@link DescriptorException}: a missing required key, a value of the wrong type or out of
 * range, a key the table does not know. The getters say what they expect in the words the message
 * uses.
 */
final class TomlTable {

  private final ObjectNode node;
  private final String path;
  private final Errors errors;

  TomlTable(ObjectNode node, String path, Errors errors) {
    this.node = node;
    this.path = path;
    this.errors = errors;
  }

  /** {@return the table's path: {@code ""} for the document, {@code component[1]}} */
  String path() {
    return path;
  }

  /** {@return the path of {@code key} in this table} */
  String pathOf(String key) {
    return SourceLines.join(path, key);
  }

  /** {@return the errors of this descriptor} */
  Errors errors() {
    return errors;
  }

  /** {@return whether the table has {@code key}} */
  boolean has(String key) {
    return node.has(key);
  }

  /**
   * An error at {@code key} of this table.
   *
   * @param key the key
   * @param problem what was expected and what was found
   * @return the exception, to throw
   */
  DescriptorException error(String key, String problem) {
    return errors.at(pathOf(key), problem);
  }

  /**
   * Checks that every key of the table is one of {@code known}; the first other key, in the
   * order of the file, is an error listing {@code known}.
   *
   * @param known the keys this table may have, in the order the message lists them
   * @throws DescriptorException naming the first unknown key
   */
  void allowOnly(List<String> known) throws DescriptorException {
    for (String key : node.propertyNames()) {
      if (!known.contains(key)) {
        throw error(key, "unknown key, expected one of " + String.join(", ", known));
      }
    }
  }

  /**
   * A required string.
   *
   * @param key the key
   * @param expected what the value is, for the message: {@code "a class name"}
   * @return the string
   * @throws DescriptorException if the key is missing or not a string
   */
  String requiredString(String key, String expected) throws DescriptorException {
    return string(key, expected).orElseThrow(() -> error(key, "missing, expected " + expected));
  }

  /**
   * An optional string.
   *
   * @param key the key
   * @param expected what the value is, for the message
   * @return the string, or empty if the key is missing
   * @throws DescriptorException if the value is not a string
   */
  Optional<String> string(String key, String expected) throws DescriptorException {
    final JsonNode value = node.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isString()) {
      throw error(key, "expected " + expected + ", got " + Values.describe(value));
    }
    return Optional.of(value.stringValue());
  }

  /**
   * An integer from {@code min} to {@code max}.
   *
   * @param key the key
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @param absent the value if the key is missing
   * @return the integer
   * @throws DescriptorException if the value is not an integer or is out of range
   */
  int integer(String key, int min, int max, int absent) throws DescriptorException {
    final JsonNode value = node.get(key);
    if (value == null) {
      return absent;
    }
    final String expected = "an integer from " + min + " to " + max;
    if (!value.isIntegralNumber()) {
      throw error(key, "expected " + expected + ", got " + Values.describe(value));
    }
    if (!value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
      throw error(key, "expected " + expected + ", got " + value.asString());
    }
    return value.intValue();
  }

  /**
   * A duration (see {@link Durations}).
   *
   * @param key the key
   * @param absent the value if the key is missing
   * @param zeroAllowed whether {@code "0s"} is allowed, or only a positive duration
   * @return the duration
   * @throws DescriptorException if the value is not a string of the duration form
   */
  Duration duration(String key, Duration absent, boolean zeroAllowed) throws DescriptorException {
    final String expected = (zeroAllowed ? "a duration, " : "a positive duration, ") + Durations.FORM;
    final Optional<String> text = string(key, expected);
    if (text.isEmpty()) {
      return absent;
    }
    final Optional<Duration> duration = Durations.parse(text.get());
    if (duration.isEmpty() || (duration.get().isZero() && !zeroAllowed)) {
      throw error(key, "expected " + expected + ", got " + Values.quote(text.get()));
    }
    return duration.get();
  }

  /**
   * One of the strings {@code choices} maps, if the key is there.
   *
   * @param <E> what a choice maps to
   * @param key the key
   * @param choices the allowed strings, in the order the message lists them, and their values
   * @return the value of the choice, or empty if the key is missing
   * @throws DescriptorException if the value is not one of the choices
   */
  <E> Optional<E> choice(String key, Map<String, E> choices) throws DescriptorException {
    final String expected = "one of " + String.join(", ", choices.keySet());
    final Optional<String> text = string(key, expected);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    final E choice = choices.get(text.get());
    if (choice == null) {
      throw error(key, "expected " + expected + ", got " + Values.quote(text.get()));
    }
    return Optional.of(choice);
  }

  /**
   * An array of strings; each string's path, for messages about it, is
   * {@link SourceLines#element}{@code (pathOf(key), index)}.
   *
   * @param key the key
   * @param expected what each string is, for the message: {@code "a service name"}
   * @return the strings, empty if the key is missing
   * @throws DescriptorException if the value is not an array, or an element is not a string
   */
  List<String> strings(String key, String expected) throws DescriptorException {
    final JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw error(key, "expected an array of strings (each " + expected + "), got " + Values.describe(value));
    }
    final List<String> strings = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      final JsonNode element = value.get(i);
      if (!element.isString()) {
        throw errors.at(
            SourceLines.element(pathOf(key), i), "expected " + expected + ", got " + Values.describe(element));
      }
      strings.add(element.stringValue());
    }
    return strings;
  }

  /**
   * A table, {@code [key]}, if the key is there.
   *
   * @param key the key
   * @return the table, or empty if the key is missing
   * @throws DescriptorException if the value is not a table
   */
  Optional<TomlTable> table(String key) throws DescriptorException {
    final JsonNode value = node.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      throw error(key, "expected a table ([" + key + "]), got " + Values.describe(value));
    }
    return Optional.of(new TomlTable((ObjectNode) value, pathOf(key), errors));
  }

  /**
   * An array of tables, {@code [[key]]}.
   *
   * @param key the key
   * @return the tables, empty if the key is missing
   * @throws DescriptorException if the value is not an array of tables
   */
  List<TomlTable> tables(String key) throws DescriptorException {
    final JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw error(key, "expected an array of tables ([[" + key + "]]), got " + Values.describe(value));
    }
    final List<TomlTable> tables = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      final String elementPath = SourceLines.element(pathOf(key), i);
      if (!value.get(i).isObject()) {
        throw errors.at(elementPath, "expected a table, got " + Values.describe(value.get(i)));
      }
      tables.add(new TomlTable((ObjectNode) value.get(i), elementPath, errors));
    }
    return tables;
  }
}
