package dev.nucleus.system.internal.descriptor;

import tools.jackson.databind.JsonNode;

/** How an error message shows what it found in the file. */
final class Values {

  private Values() {}

  /**
   * A TOML value with its type, for a value of the wrong type: {@code a string ("2")},
   * {@code an integer (5)}, {@code a float (1.5)}, {@code a boolean (true)}, {@code an array},
   * {@code a table}.
   *
   * @param node the value
   * @return the description
   */
  static String describe(JsonNode node) {
    if (node.isString()) {
      return "a string (" + quote(node.stringValue()) + ")";
    }
    if (node.isIntegralNumber()) {
      return "an integer (" + node.asString() + ")";
    }
    if (node.isNumber()) {
      return "a float (" + node.asString() + ")";
    }
    if (node.isBoolean()) {
      return "a boolean (" + node.asString() + ")";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "a table";
    }
    return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@code text} as a TOML basic string, so that a message stays on one line and shows what was
   * written: {@code "a\"b\n"}.
   *
   * @param text the text
   * @return it, quoted and escaped
   */
  static String quote(String text) {
    final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            quoted.append(String.format("\\u%04X", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
