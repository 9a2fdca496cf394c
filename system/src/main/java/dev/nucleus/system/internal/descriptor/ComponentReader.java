package dev.nucleus.system.internal.descriptor;

import dev.nucleus.system.Component;
import dev.nucleus.system.ComponentSpec;
import dev.nucleus.system.DescriptorException;
import dev.nucleus.system.GroupSpec;
import dev.nucleus.system.Isolation;
import dev.nucleus.system.RestartPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one {@code [[component]]} table into a {@link ComponentSpec}, checking everything that
 * the table alone decides: its keys, types, ranges, names, class and group. What involves other
 * components (unique names and services, routes, cycles) is {@link DescriptorReader}'s.
 */
final class ComponentReader {

  /** The keys of a component, in the order the reference documents them. */
  static final List<String> KEYS = List.of("name", "class", "isolation", "jvm-options", "server-threads",
      "restart", "backoff", "max-backoff", "group", "provides", "imports", "args");

  /** {@code server-threads} when it is not given. */
  static final int DEFAULT_SERVER_THREADS = 1;

  /** The most server threads a service may have. */
  static final int MAX_SERVER_THREADS = 64;

  /** {@code max-backoff} when it is not given. */
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  private static final Map<String, Isolation> ISOLATIONS = Names.lowerCase(Isolation.class);
  private static final Map<String, RestartPolicy> RESTARTS = Names.lowerCase(RestartPolicy.class);

  private ComponentReader() {}

  /**
   * Reads {@code table}.
   *
   * @param table a {@code [[component]]}
   * @param groups the declared groups, by name
   * @param loader the class loader that must find the component's class
   * @return the component
   * @throws DescriptorException for the first thing wrong, in the order of {@link #KEYS}
   */
  static ComponentSpec read(TomlTable table, Map<String, GroupSpec> groups, ClassLoader loader)
      throws DescriptorException {
    table.allowOnly(KEYS);
    final String name = Names.name(table, "name");
    final String className = table.requiredString("class",
        "the binary name of a class implementing " + Component.class.getName());
    final Optional<String> classProblem = ComponentClasses.problem(className, loader);
    if (classProblem.isPresent()) {
      throw table.error("class", classProblem.get());
    }
    final Isolation isolation = table.choice("isolation", ISOLATIONS).orElse(Isolation.THREAD);
    final List<String> jvmOptions = jvmOptions(table, isolation);
    final int serverThreads =
        table.integer("server-threads", 1, MAX_SERVER_THREADS, DEFAULT_SERVER_THREADS);
    final RestartPolicy restart = table.choice("restart", RESTARTS).orElse(RestartPolicy.PERMANENT);
    final Duration backoff = table.duration("backoff", Duration.ZERO, true);
    final Duration maxBackoff = table.duration("max-backoff", DEFAULT_MAX_BACKOFF, false);
    if (maxBackoff.compareTo(backoff) < 0) {
      throw table.has("max-backoff")
          ? table.error("max-backoff", "expected at least backoff (" + Durations.format(backoff) + "), got "
              + Values.quote(Durations.format(maxBackoff)))
          : table.error("backoff", "expected at most max-backoff (" + Durations.format(maxBackoff)
              + " when not given), got " + Values.quote(Durations.format(backoff)));
    }
    final String group = group(table, groups);
    final List<String> provides = Names.services(table, "provides");
    final List<String> imports = Names.services(table, "imports");
    final List<String> args = table.strings("args", "a string");
    return new ComponentSpec(name, className, isolation, jvmOptions, serverThreads, restart, backoff,
        maxBackoff, group, provides, imports, args);
  }

  /**
   * A process component's JVM options. Each starts with {@code -}: the launcher would take any
   * other word for the main class.
   */
  private static List<String> jvmOptions(TomlTable table, Isolation isolation) throws DescriptorException {
    if (!table.has("jvm-options")) {
      return List.of();
    }
    if (isolation != Isolation.PROCESS) {
      throw table.error("jvm-options",
          "expected only on a process component (isolation = \"process\"), got it on a thread component");
    }
    final List<String> options = table.strings("jvm-options", "a JVM option");
    for (int i = 0; i < options.size(); i++) {
      if (!options.get(i).startsWith("-")) {
        throw table.errors().at(SourceLines.element(table.pathOf("jvm-options"), i),
            "expected a JVM option starting with -, like \"-Xmx64m\" or \"--add-opens=m/p=ALL-UNNAMED\", got "
                + Values.quote(options.get(i)));
      }
    }
    return options;
  }

  /** The component's group: {@code ""}, the top group, unless {@code group} names a declared one. */
  private static String group(TomlTable table, Map<String, GroupSpec> groups) throws DescriptorException {
    final Optional<String> group = table.string("group", "the name of a [[group]]");
    if (group.isEmpty()) {
      return "";
    }
    if (!groups.containsKey(group.get())) {
      throw table.error("group", groups.isEmpty()
          ? "expected the name of a [[group]] (none is declared), got " + Values.quote(group.get())
          : "expected one of the groups " + String.join(", ", groups.keySet()) + ", got "
              + Values.quote(group.get()));
    }
    return group.get();
  }
}
