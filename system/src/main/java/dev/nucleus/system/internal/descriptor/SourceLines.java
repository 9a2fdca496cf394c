package dev.nucleus.system.internal.descriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The line of every key path of a TOML document, for error messages.
 *
 * <p><b>Why this exists.</b> Jackson's TOML format reads the whole document into a tree before it
 * hands out a parser ({@code TomlFactory} wraps a {@code TreeTraversingParser} around the tree),
 * so neither its token stream nor its nodes carry a location: only a syntax error does. This class
 * recovers the locations. It is not a second parser: it runs only on a document Jackson has
 * accepted, computes no values, and knows only enough of TOML's lexical structure not to be fooled
 * by text inside strings: comments, the four kinds of string, arrays and inline tables (which may
 * span lines), table headers, arrays of tables and dotted or quoted keys.
 *
 * <p><b>Paths</b> are written as in {@link dev.nucleus.system.DescriptorException}: keys joined
 * by {@code .}, elements of arrays (of tables or of values) indexed from 0: {@code name},
 * {@code supervisor.period}, {@code component[1].restart}, {@code component[0].args[2]}. A path
 * maps to the line where its key (or element) first appears; a table from {@code [a]} or
 * {@code [[a]]} maps to its header's line.
 *
 * <p>Should the scan meet something it does not expect, it stops and keeps the lines found so far:
 * a path it never reached falls back to its nearest recorded ancestor ({@link #lineOf}), so a
 * message may name a nearby line but never fails for want of one.
 *
 * <p><b>Redefinitions.</b> Jackson reports a key or table defined twice where its lexer stands
 * after it, which can be several lines further on; the scan notes the first key or table header
 * it sees defined a second time ({@link #redefinition}), so that such an error can name the key
 * and its line. This is the one use of the scan on a document Jackson rejected.
 *
 * <p>Immutable once built.
 */
final class SourceLines {

  private final Map<String, Integer> lines;
  private final Optional<Redefinition> redefinition;

  private SourceLines(Map<String, Integer> lines, Optional<Redefinition> redefinition) {
    this.lines = Map.copyOf(lines);
    this.redefinition = redefinition;
  }

  /**
   * A key or table defined a second time.
   *
   * @param path its path
   * @param line the line of the second definition
   * @param firstLine the line of the first
   */
  record Redefinition(String path, int line, int firstLine) {}

  /**
   * Indexes {@code toml}, a document the TOML parser has accepted (or rejected for a key defined
   * twice: see {@link #redefinition}).
   *
   * @param toml the document
   * @return its lines; never fails
   */
  static SourceLines of(String toml) {
    final Scan scan = new Scan(toml);
    try {
      scan.document();
    } catch (RuntimeException confused) {
      // Only a document Jackson rejected could get here: keep what was recorded (see class doc).
    }
    return new SourceLines(scan.lines, Optional.ofNullable(scan.redefinition));
  }

  /**
   * {@return the first key or table header defined a second time, in the order of the document}
   */
  Optional<Redefinition> redefinition() {
    return redefinition;
  }

  /**
   * The 1-based line of {@code path}, or of its nearest ancestor that appears in the document
   * ({@code component[1]} for {@code component[1].class} when the key is missing), or 1.
   *
   * @param path a key path
   * @return the line
   */
  int lineOf(String path) {
    for (String at = path; !at.isEmpty(); at = parent(at)) {
      final Integer line = lines.get(at);
      if (line != null) {
        return line;
      }
    }
    return 1;
  }

  /** {@code a.b[2].c} -> {@code a.b[2]} -> {@code a.b} -> {@code a} -> {@code ""}. */
  private static String parent(String path) {
    final int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut > 0 ? path.substring(0, cut) : "";
  }

  /** Joins a table's path and a key. */
  static String join(String table, String key) {
    return table.isEmpty() ? key : table + "." + key;
  }

  /** The path of element {@code index} of the array at {@code path}. */
  static String element(String path, int index) {
    return path + "[" + index + "]";
  }

  /**
   * One pass over the document: a cursor ({@code pos}, {@code line}) and what it has recorded.
   * Each method starts at the first character of the construct it names and leaves the cursor
   * just after it.
   */
  private static final class Scan {

    private final String text;
    private final Map<String, Integer> lines = new HashMap<>();
    /** For each array of tables ({@code [[a]]}) met so far, by resolved path: its size. */
    private final Map<String, Integer> arrayTables = new HashMap<>();
    /** The paths of the keys given a value and of the tables given a header, so far. */
    private final Set<String> defined = new HashSet<>();
    private Redefinition redefinition;
    private int pos;
    private int line = 1;

    Scan(String text) {
      this.text = text;
    }

    void document() {
      String table = "";
      while (true) {
        skipBlank();
        if (pos >= text.length()) {
          return;
        }
        final int before = pos;
        if (text.startsWith("[[", pos)) {
          pos += 2;
          final List<String> keys = keys();
          expect("]]");
          table = openArrayTable(keys);
        } else if (text.charAt(pos) == '[') {
          pos++;
          final List<String> keys = keys();
          expect("]");
          table = resolve(keys, keys.size());
          define(table, line);
        } else {
          keyValue(table);
        }
        progressed(before);
      }
    }

    /**
     * {@code [[a.b]]}: a new element of the array {@code a.b}, inside the last element of
     * {@code a} if {@code a} is an array of tables.
     */
    private String openArrayTable(List<String> keys) {
      final String array = join(resolve(keys, keys.size() - 1), keys.getLast());
      final int size = arrayTables.merge(array, 1, Integer::sum);
      record(array);
      final String table = element(array, size - 1);
      record(table);
      return table;
    }

    /**
     * The path of the first {@code count} keys of a header, where an array of tables stands for
     * its last element.
     */
    private String resolve(List<String> keys, int count) {
      String path = "";
      for (int i = 0; i < count; i++) {
        path = join(path, keys.get(i));
        final Integer size = arrayTables.get(path);
        if (size != null) {
          path = element(path, size - 1);
        }
        record(path);
      }
      return path;
    }

    /** {@code a.b = value}, in the table at {@code table}. */
    private void keyValue(String table) {
      final int keyLine = line;
      String path = table;
      for (String key : keys()) {
        path = join(path, key);
        lines.putIfAbsent(path, keyLine);
      }
      define(path, keyLine);
      expect("=");
      value(path);
    }

    private void value(String path) {
      skipSpaces();
      if (text.startsWith("\"\"\"", pos)) {
        multiLineString("\"\"\"", true);
      } else if (text.startsWith("'''", pos)) {
        multiLineString("'''", false);
      } else if (text.charAt(pos) == '"') {
        basicString();
      } else if (text.charAt(pos) == '\'') {
        literalString();
      } else if (text.charAt(pos) == '[') {
        array(path);
      } else if (text.charAt(pos) == '{') {
        inlineTable(path);
      } else {
        // A number, boolean or date-time (which may hold a space): up to what may follow a value.
        while (pos < text.length() && ",]}\r\n#".indexOf(text.charAt(pos)) < 0) {
          pos++;
        }
      }
    }

    private void array(String path) {
      pos++;
      for (int index = 0; ; index++) {
        skipBlank();
        if (text.charAt(pos) == ']') {
          pos++;
          return;
        }
        final int before = pos;
        final String element = element(path, index);
        record(element);
        value(element);
        skipBlank();
        if (text.charAt(pos) == ',') {
          pos++;
        }
        progressed(before);
      }
    }

    private void inlineTable(String path) {
      pos++;
      while (true) {
        skipBlank();
        if (text.charAt(pos) == '}') {
          pos++;
          return;
        }
        final int before = pos;
        keyValue(path);
        skipBlank();
        if (text.charAt(pos) == ',') {
          pos++;
        }
        progressed(before);
      }
    }

    /** A dotted key, {@code a."b.c".'d'}, up to what follows it. */
    private List<String> keys() {
      final List<String> keys = new ArrayList<>();
      while (true) {
        skipSpaces();
        keys.add(key());
        skipSpaces();
        if (pos >= text.length() || text.charAt(pos) != '.') {
          return keys;
        }
        pos++;
      }
    }

    private String key() {
      final char first = text.charAt(pos);
      if (first == '"') {
        return basicString();
      }
      if (first == '\'') {
        return literalString();
      }
      final int start = pos;
      while (pos < text.length() && isBareKeyChar(text.charAt(pos))) {
        pos++;
      }
      progressed(start);
      return text.substring(start, pos);
    }

    private static boolean isBareKeyChar(char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** {@code "..."}, on one line; its value with the escapes resolved, as Jackson keys it. */
    private String basicString() {
      final StringBuilder value = new StringBuilder();
      pos++;
      while (true) {
        final char c = text.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c != '\\') {
          value.append(c);
          continue;
        }
        final char escaped = text.charAt(pos++);
        switch (escaped) {
          case 'b' -> value.append('\b');
          case 't' -> value.append('\t');
          case 'n' -> value.append('\n');
          case 'f' -> value.append('\f');
          case 'r' -> value.append('\r');
          case 'e' -> value.append('\u001b');
          case 'u' -> value.appendCodePoint(hex(4));
          case 'U' -> value.appendCodePoint(hex(8));
          case 'x' -> value.appendCodePoint(hex(2));
          default -> value.append(escaped);
        }
      }
    }

    private int hex(int digits) {
      final int codePoint = Integer.parseInt(text, pos, pos + digits, 16);
      pos += digits;
      return codePoint;
    }

    /** {@code '...'}, on one line, without escapes. */
    private String literalString() {
      final int end = text.indexOf('\'', pos + 1);
      final String value = text.substring(pos + 1, end);
      pos = end + 1;
      return value;
    }

    /** {@code """..."""} or {@code '''...'''}: may span lines, and end with up to two extra quotes. */
    private void multiLineString(String delimiter, boolean escapes) {
      pos += 3;
      while (!text.startsWith(delimiter, pos)) {
        final char c = text.charAt(pos++);
        if (c == '\n') {
          line++;
        } else if (escapes && c == '\\' && text.charAt(pos) != '\n') {
          pos++; // an escaped character; a line-ending backslash leaves its newline to be counted
        }
      }
      pos += 3;
      for (int extra = 0; extra < 2 && pos < text.length() && text.charAt(pos) == delimiter.charAt(0); extra++) {
        pos++;
      }
    }

    /** Spaces, tabs, newlines and comments. */
    private void skipBlank() {
      while (pos < text.length()) {
        final char c = text.charAt(pos);
        if (c == '\n') {
          line++;
          pos++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else if (c == '#') {
          while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
          }
        } else {
          return;
        }
      }
    }

    private void skipSpaces() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private void expect(String token) {
      skipSpaces();
      if (!text.startsWith(token, pos)) {
        throw new IllegalStateException("expected " + token + " at line " + line);
      }
      pos += token.length();
    }

    /** Guards every loop: a construct this scan does not know ends it (see {@link SourceLines#of}). */
    private void progressed(int before) {
      if (pos == before) {
        throw new IllegalStateException("unexpected character at line " + line);
      }
    }

    private void define(String path, int at) {
      if (!defined.add(path) && redefinition == null) {
        redefinition = new Redefinition(path, at, lines.get(path));
      }
    }

    private void record(String path) {
      lines.putIfAbsent(path, line);
    }
  }
}
