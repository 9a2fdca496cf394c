package dev.nucleus.bench.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key=value} arguments a parent passes to a child's main class; the first argument, the
 * peer family, is taken off before. Immutable.
 */
public record PeerArgs(Map<String, String> values) {

  /** Copies the values. */
  public PeerArgs {
    values = Map.copyOf(values);
  }

  /**
   * Parses {@code key=value} words.
   *
   * @param words the arguments
   * @return them, by key
   * @throws IllegalArgumentException naming a word without {@code =}
   */
  public static PeerArgs parse(List<String> words) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String w : words) {
      int eq = w.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("expected key=value, got: " + w);
      map.put(w.substring(0, eq), w.substring(eq + 1));
    }
    return new PeerArgs(map);
  }

  /** Builds the words for {@code key, value, key, value, ...}. */
  static List<String> words(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("odd key/value count");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.add(keysAndValues[i] + "=" + keysAndValues[i + 1]);
    }
    return out;
  }

  /**
   * The value of {@code key}.
   *
   * @param key the key
   * @return its value
   * @throws IllegalArgumentException if it was not given
   */
  public String get(String key) {
    String v = values.get(key);
    if (v == null) throw new IllegalArgumentException("missing argument " + key + "=");
    return v;
  }

  /**
   * The value of {@code key} as an int.
   *
   * @param key the key
   * @return its value
   */
  public int getInt(String key) {
    return Integer.parseInt(get(key));
  }

  /**
   * The value of {@code key} as a boolean.
   *
   * @param key the key
   * @return its value
   */
  public boolean getBoolean(String key) {
    return Boolean.parseBoolean(get(key));
  }
}
