package dev.nucleus.system.internal.descriptor;

import dev.nucleus.system.ComponentSpec;
import dev.nucleus.system.DescriptorException;
import dev.nucleus.system.DriverSpec;
import dev.nucleus.system.GroupSpec;
import dev.nucleus.system.Strategy;
import dev.nucleus.system.SystemDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * Reads a system descriptor: Jackson's TOML format parses the text into a tree; {@link SourceLines}
 * finds the line of every key; the tables are then read top-down (the system, its groups, its
 * components, its drivers), and last come the checks across components: unique names and
 * services, imports with providers, and the start order. The first error found ends the reading.
 *
 * <p>Thread-safe: it keeps no state between calls.
 */
public final class DescriptorReader {

  /** The keys of the document, in the order the reference documents them. */
  static final List<String> KEYS = List.of("name", "supervisor", "group", "component", "driver");

  /** The keys of {@code [supervisor]}. */
  static final List<String> SUPERVISOR_KEYS = List.of("strategy", "intensity", "period");

  /** The keys of a {@code [[group]]}. */
  static final List<String> GROUP_KEYS = List.of("name", "strategy", "intensity", "period");

  /** The largest restart intensity. */
  static final int MAX_INTENSITY = 1_000_000;

  /** Thread-safe once built; reads TOML into a tree and nothing else. */
  private static final TomlMapper TOML = TomlMapper.builder().build();

  private static final Map<String, Strategy> STRATEGIES = Names.lowerCase(Strategy.class);

  private DescriptorReader() {}

  /**
   * Reads the descriptor {@code toml}.
   *
   * @param toml the descriptor's text
   * @param source the file it came from, for messages and to resolve relative driver paths
   * @param loader the class loader that must find every component's class
   * @return the descriptor, its components in start order
   * @throws DescriptorException for the first error found
   */
  public static SystemDescriptor read(String toml, Path source, ClassLoader loader) throws DescriptorException {
    final ObjectNode root = tree(toml, source);
    final Errors errors = new Errors(source, SourceLines.of(toml));
    final TomlTable top = new TomlTable(root, "", errors);
    top.allowOnly(KEYS);
    final String name = Names.name(top, "name");
    final Optional<TomlTable> supervisorTable = top.table("supervisor");
    final GroupSpec supervisor = supervisorTable.isPresent()
        ? supervisor(supervisorTable.get())
        : GroupSpec.DEFAULT_SUPERVISOR;
    final Map<String, GroupSpec> groups = groups(top);
    final List<ComponentSpec> declared = components(top, groups, loader, errors);
    final List<ComponentSpec> ordered = startOrder(declared, errors);
    final List<DriverSpec> drivers = drivers(top, declared, source, errors);
    return new SystemDescriptor(source, name, supervisor, List.copyOf(groups.values()), ordered, drivers);
  }

  /**
   * The document as Jackson's tree. A syntax error is located where Jackson's lexer stood, but a key
   * or table defined twice is located at its second definition: Jackson's lexer may stand lines
   * further on (see {@link SourceLines}).
   */
  private static ObjectNode tree(String toml, Path source) throws DescriptorException {
    final JsonNode tree;
    try {
      tree = TOML.readTree(toml);
    } catch (JacksonException e) {
      throw syntaxError(toml, source, e);
    }
    if (!(tree instanceof ObjectNode table)) {
      throw new DescriptorException(source, 0, "", "expected a TOML document, got " + tree.getNodeType());
    }
    return table;
  }

  private static DescriptorException syntaxError(String toml, Path source, JacksonException e) {
    final TokenStreamLocation at = e.getLocation();
    final int line = at == null ? 0 : Math.max(0, at.getLineNr());
    final String message = String.valueOf(e.getOriginalMessage());
    if (message.startsWith("Duplicate key") || message.startsWith("Table redefined")) {
      final Optional<SourceLines.Redefinition> twice = SourceLines.of(toml).redefinition();
      if (twice.isPresent() && twice.get().line() <= line) {
        return new DescriptorException(source, twice.get().line(), twice.get().path(),
            "TOML syntax error: " + message + ", defined at line " + twice.get().firstLine() + " already", e);
      }
    }
    final String column = at == null || at.getColumnNr() <= 0 ? "" : " at column " + at.getColumnNr();
    return new DescriptorException(source, line, "", "TOML syntax error" + column + ": " + message, e);
  }

  /** {@code [supervisor]}: the top group, named {@code ""}. */
  private static GroupSpec supervisor(TomlTable table) throws DescriptorException {
    table.allowOnly(SUPERVISOR_KEYS);
    return policy(table, "");
  }

  /** A {@code [[group]]}: a name and a policy. */
  private static GroupSpec group(TomlTable table) throws DescriptorException {
    table.allowOnly(GROUP_KEYS);
    return policy(table, Names.name(table, "name"));
  }

  /** The policy keys of a group, each defaulting to the top group's default. */
  private static GroupSpec policy(TomlTable table, String name) throws DescriptorException {
    final GroupSpec defaults = GroupSpec.DEFAULT_SUPERVISOR;
    return new GroupSpec(
        name,
        table.choice("strategy", STRATEGIES).orElse(defaults.strategy()),
        table.integer("intensity", 0, MAX_INTENSITY, defaults.intensity()),
        table.duration("period", defaults.period(), false));
  }

  private static Map<String, GroupSpec> groups(TomlTable top) throws DescriptorException {
    final Map<String, GroupSpec> groups = new LinkedHashMap<>();
    final Map<String, String> pathOf = new HashMap<>();
    for (TomlTable table : top.tables("group")) {
      final GroupSpec group = group(table);
      final String first = pathOf.putIfAbsent(group.name(), table.path());
      if (first != null) {
        throw table.error("name", alreadyTheNameOf(group.name(), first, top.errors()));
      }
      groups.put(group.name(), group);
    }
    return groups;
  }

  /** The components in declaration order, each read alone, then with unique names and services. */
  private static List<ComponentSpec> components(
      TomlTable top, Map<String, GroupSpec> groups, ClassLoader loader, Errors errors) throws DescriptorException {
    final List<TomlTable> tables = top.tables("component");
    if (tables.isEmpty()) {
      throw top.error("component", "missing, expected at least one [[component]]");
    }
    final List<ComponentSpec> declared = new ArrayList<>(tables.size());
    final Map<String, String> pathOfName = new HashMap<>();
    final Map<String, Integer> providerOf = new HashMap<>();
    for (TomlTable table : tables) {
      final ComponentSpec component = ComponentReader.read(table, groups, loader);
      final String first = pathOfName.putIfAbsent(component.name(), table.path());
      if (first != null) {
        throw table.error("name", alreadyTheNameOf(component.name(), first, errors));
      }
      for (int i = 0; i < component.provides().size(); i++) {
        final String service = component.provides().get(i);
        final Integer provider = providerOf.putIfAbsent(service, declared.size());
        if (provider != null) {
          final ComponentSpec other = declared.get(provider);
          final int otherLine = errors.lineOf(
              SourceLines.element(componentPath(provider) + ".provides", other.provides().indexOf(service)));
          throw errors.at(table.pathOf("provides"), SourceLines.element(table.pathOf("provides"), i),
              Values.quote(service) + " is already provided by component " + Values.quote(other.name())
                  + " (line " + otherLine + "), expected one provider per service");
        }
      }
      declared.add(component);
    }
    checkImports(declared, providerOf, errors);
    return declared;
  }

  /** Every import is a service another component provides: the routes are capabilities. */
  private static void checkImports(List<ComponentSpec> declared, Map<String, Integer> providerOf, Errors errors)
      throws DescriptorException {
    for (int c = 0; c < declared.size(); c++) {
      final String key = componentPath(c) + ".imports";
      final List<String> imports = declared.get(c).imports();
      for (int i = 0; i < imports.size(); i++) {
        final Integer provider = providerOf.get(imports.get(i));
        if (provider == null) {
          throw errors.at(key, SourceLines.element(key, i),
              Values.quote(imports.get(i)) + " is provided by no component");
        }
        if (provider == c) {
          throw errors.at(key, SourceLines.element(key, i), Values.quote(imports.get(i))
              + " is provided by this component itself, expected a service of another component");
        }
      }
    }
  }

  /** The components in start order, or an error naming a cycle at its first component's imports. */
  private static List<ComponentSpec> startOrder(List<ComponentSpec> declared, Errors errors)
      throws DescriptorException {
    final StartOrder.Result result = StartOrder.of(declared);
    if (!result.cycle().isEmpty()) {
      final List<String> names = result.cycle().stream().map(i -> declared.get(i).name()).toList();
      throw errors.at(componentPath(result.cycle().getFirst()) + ".imports",
          "import cycle " + String.join(" -> ", names) + ", expected imports without a cycle");
    }
    return result.order().stream().map(declared::get).toList();
  }

  private static List<DriverSpec> drivers(TomlTable top, List<ComponentSpec> declared, Path source, Errors errors)
      throws DescriptorException {
    final Set<String> components = new LinkedHashSet<>();
    declared.forEach(component -> components.add(component.name()));
    final Path file = source.toAbsolutePath().normalize();
    final Path directory = file.getParent() == null ? file : file.getParent();
    final List<DriverSpec> drivers = new ArrayList<>();
    final Map<String, String> pathOfName = new HashMap<>();
    final Map<Integer, String> pathOfPort = new HashMap<>();
    for (TomlTable table : top.tables("driver")) {
      final DriverSpec driver = DriverReader.read(table, components, directory);
      final String first = pathOfName.putIfAbsent(driver.name(), table.path());
      if (first != null) {
        throw table.error("name", alreadyTheNameOf(driver.name(), first, errors));
      }
      final String samePort = driver.port() == 0 ? null : pathOfPort.putIfAbsent(driver.port(), table.path());
      if (samePort != null) {
        throw table.error("port", "expected a port no other driver listens on, got " + driver.port()
            + ", the port of " + samePort + " (line " + errors.lineOf(samePort + ".port") + ")");
      }
      drivers.add(driver);
    }
    return List.copyOf(drivers);
  }

  private static String alreadyTheNameOf(String name, String first, Errors errors) {
    return Values.quote(name) + " is already the name of " + first + " (line " + errors.lineOf(first + ".name")
        + "), expected a unique name";
  }

  private static String componentPath(int index) {
    return SourceLines.element("component", index);
  }
}
