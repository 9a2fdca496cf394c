package dev.nucleus.system.internal.descriptor;

import dev.nucleus.system.DescriptorException;
import dev.nucleus.system.DriverKind;
import dev.nucleus.system.DriverSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code [[driver]]} table into a {@link DriverSpec}: its name, kind and owner, and the
 * one key its kind needs ({@code period}, {@code signal}, {@code path} or {@code port}) and no key
 * of another kind.
 */
final class DriverReader {

  /** The keys of a driver, in the order the reference documents them. */
  static final List<String> KEYS = List.of("name", "kind", "component", "period", "signal", "path", "port");

  /**
   * The signals a driver may take: those a process may use for its own purposes. TERM and INT
   * stop the system, and KILL and STOP cannot be caught.
   */
  static final List<String> SIGNALS = List.of("HUP", "USR1", "USR2", "WINCH", "CONT", "ALRM");

  private static final Set<String> ROOTS_SIGNALS = Set.of("TERM", "INT", "KILL", "STOP");

  private static final Map<String, DriverKind> KINDS = Names.lowerCase(DriverKind.class);

  private DriverReader() {}

  /**
   * Reads {@code table}.
   *
   * @param table a {@code [[driver]]}
   * @param components the names of the system's components
   * @param directory the descriptor's directory, against which a relative {@code path} resolves
   * @return the driver
   * @throws DescriptorException for the first thing wrong
   */
  static DriverSpec read(TomlTable table, Set<String> components, Path directory) throws DescriptorException {
    table.allowOnly(KEYS);
    final String name = Names.name(table, "name");
    final DriverKind kind = table.choice("kind", KINDS)
        .orElseThrow(() -> table.error("kind", "missing, expected one of " + String.join(", ", KINDS.keySet())));
    final String component = table.requiredString("component", "the name of the component that owns it");
    if (!components.contains(component)) {
      throw table.error("component", "expected one of the components " + String.join(", ", components)
          + ", got " + Values.quote(component));
    }
    final String own = keyOf(kind);
    for (DriverKind other : DriverKind.values()) {
      if (other != kind && table.has(keyOf(other))) {
        throw table.error(keyOf(other), "expected no " + keyOf(other) + " on a " + lowerCase(kind)
            + " driver, got one (" + keyOf(other) + " is for a " + lowerCase(other) + " driver)");
      }
    }
    if (!table.has(own)) {
      throw table.error(own, "missing, expected the " + own + " of a " + lowerCase(kind) + " driver");
    }
    return switch (kind) {
      case TIMER -> new DriverSpec(name, kind, component, table.duration("period", Duration.ZERO, false),
          null, null, 0);
      case SIGNAL -> new DriverSpec(name, kind, component, null, signal(table), null, 0);
      case FILE -> new DriverSpec(name, kind, component, null, null, path(table, directory), 0);
      case SOCKET -> new DriverSpec(name, kind, component, null, null, null, table.integer("port", 1, 65535, 0));
    };
  }

  private static String keyOf(DriverKind kind) {
    return switch (kind) {
      case TIMER -> "period";
      case SIGNAL -> "signal";
      case FILE -> "path";
      case SOCKET -> "port";
    };
  }

  private static String lowerCase(DriverKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static String signal(TomlTable table) throws DescriptorException {
    final String expected = "one of " + String.join(", ", SIGNALS);
    final String signal = table.requiredString("signal", expected);
    if (SIGNALS.contains(signal)) {
      return signal;
    }
    final String why;
    if (ROOTS_SIGNALS.contains(signal)) {
      why = ", which the root task keeps for itself";
    } else if (signal.startsWith("SIG") && SIGNALS.contains(signal.substring(3))) {
      why = " (write it without SIG)";
    } else {
      why = "";
    }
    throw table.error("signal", "expected " + expected + ", got " + Values.quote(signal) + why);
  }

  private static Path path(TomlTable table, Path directory) throws DescriptorException {
    final String expected = "the path of a file or FIFO";
    final String text = table.requiredString("path", expected);
    try {
      if (!text.isEmpty()) {
        return directory.resolve(Path.of(text)).normalize();
      }
    } catch (InvalidPathException e) {
      // falls through to the error
    }
    throw table.error("path", "expected " + expected + ", got " + Values.quote(text));
  }
}
