package dev.nucleus.bench;

import java.util.List;

/**
 * Thrown when a selection names a mechanism the registry does not know; the message lists the known
 * names.
 */
public final class UnknownMechanismException extends IllegalArgumentException {

  private final List<String> unknown;
  private final List<String> known;

  public UnknownMechanismException(List<String> unknown, List<String> known) {
    super(
        "unknown mechanism"
            + (unknown.size() == 1 ? " " : "s ")
            + String.join(", ", unknown)
            + "; known: "
            + String.join(", ", known));
    this.unknown = List.copyOf(unknown);
    this.known = List.copyOf(known);
  }

  /** The names that matched nothing. */
  public List<String> unknown() {
    return unknown;
  }

  /** Every name the registry knows, in registry order. */
  public List<String> known() {
    return known;
  }
}
