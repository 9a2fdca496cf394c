package dev.nucleus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each way a descriptor can be wrong, with the one message it gets: the file, the line, the key,
 * what was expected and what was found. The descriptors are text blocks, so the line a message
 * names can be counted from the block's first line.
 */
@Tag("unit")
@Timeout(10)
@DisplayName("SystemDescriptor, errors")
class DescriptorErrorsTest {

  private static final Path FILE = Path.of("system.toml");
  private static final ClassLoader LOADER = DescriptorErrorsTest.class.getClassLoader();

  /** The error {@code toml} gets, after checking that its line and key are those its message names. */
  private static DescriptorException error(String toml) {
    final DescriptorException error =
        catchThrowableOfType(DescriptorException.class, () -> SystemDescriptor.parse(toml, FILE, LOADER));
    assertThat(error).as("the descriptor is rejected").isNotNull();
    assertThat(error.file()).isEqualTo(FILE);
    final String located = error.line() == 0 ? FILE + ": " : FILE + ":" + error.line() + ": ";
    assertThat(error.getMessage()).startsWith(error.key().isEmpty() ? located : located + error.key() + ": ");
    return error;
  }

  private static String message(String toml) {
    return error(toml).getMessage();
  }

  /**
   * A descriptor as statements, some of them spanning lines, that may be split anywhere between
   * two statements; the lines of multi-line strings, arrays and comments must all be counted.
   */
  private static final List<String> STATEMENTS = List.of(
      "name = \"t\"",
      "# a comment that looks like a table: [[component]]",
      "[supervisor]",
      "period = \"1s\"",
      "[[component]]",
      "name = \"a\"",
      "class = \"dev.nucleus.system.Samples$Noop\"",
      "args = [\n  \"x\",  # a comment ]\n  \"\"\"\nmulti = \"line\"\n[not.a.table]\n\"\"\",\n]",
      "provides = [\"kv\"]",
      "",
      "[[component]]",
      "name = \"b\"",
      "class = '''dev.nucleus.system.Samples$Noop'''",
      "imports = [\"kv\"]  # trailing comment");

  /** {@return 1 to the number of statements: after how many the bad key goes} */
  static List<Integer> splits() {
    return IntStream.rangeClosed(1, STATEMENTS.size()).boxed().toList();
  }

  @ParameterizedTest(name = "after {0} statements")
  @MethodSource("splits")
  @DisplayName("an error on line N says line N, wherever it is")
  void shouldNameTheLineOfTheError(int before) {
    final List<String> head = STATEMENTS.subList(0, before);
    final int line = String.join("\n", head).split("\n", -1).length + 1;
    final String toml = String.join("\n", head) + "\nbogus = 1\n"
        + String.join("\n", STATEMENTS.subList(before, STATEMENTS.size())) + "\n";

    final DescriptorException error = error(toml);

    assertThat(error.line()).isEqualTo(line);
    assertThat(error.key()).endsWith("bogus");
    assertThat(error.getMessage()).startsWith("system.toml:" + line + ": ").contains("bogus: unknown key");
  }

  @Nested
  @DisplayName("TOML syntax")
  class Syntax {

    @Test
    @DisplayName("a syntax error gives the line and column where Jackson's TOML parser found it")
    void shouldLocateSyntaxError() {
      final DescriptorException error = error("""
          name = "t"

          [[component]]
          name = "a
          """);

      assertThat(error.getMessage())
          .isEqualTo("system.toml:4: TOML syntax error at column 10: Newline not permitted here");
      assertThat(error.line()).isEqualTo(4);
      assertThat(error.key()).isEmpty();
    }

    @Test
    @DisplayName("a key defined twice is named at its second definition, not where the parser noticed")
    void shouldLocateDuplicateKey() {
      final DescriptorException error = error("""
          name = "t"

          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          name = "b"


          restart = "permanent"
          """);

      assertThat(error.getMessage()).isEqualTo(
          "system.toml:6: component[0].name: TOML syntax error: Duplicate key, defined at line 4 already");
    }

    @Test
    @DisplayName("a table defined twice is named at its second header")
    void shouldLocateRedefinedTable() {
      assertThat(message("""
          name = "t"
          [supervisor]
          intensity = 1
          [supervisor]
          period = "1s"
          """)).isEqualTo("system.toml:4: supervisor: TOML syntax error: Table redefined, defined at line 2 already");
    }
  }

  @Nested
  @DisplayName("keys and types")
  class KeysAndTypes {

    @Test
    @DisplayName("an unknown key at the top lists the keys allowed there")
    void shouldRejectUnknownTopKey() {
      assertThat(message("""
          name = "t"
          nmae = "t"
          """)).isEqualTo("system.toml:2: nmae: unknown key, expected one of name, supervisor, group, component, driver");
    }

    @Test
    @DisplayName("an unknown key in a component lists the keys of a component")
    void shouldRejectUnknownComponentKey() {
      final DescriptorException error = error("""
          name = "t"

          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"

          [[component]]
          name = "b"
          class = "dev.nucleus.system.Samples$Noop"
          restrat = "permanent"
          """);

      assertThat(error.getMessage()).isEqualTo("system.toml:10: component[1].restrat: unknown key, expected one of "
          + "name, class, isolation, jvm-options, server-threads, restart, backoff, max-backoff, group, provides, "
          + "imports, args");
      assertThat(error.line()).isEqualTo(10);
      assertThat(error.key()).isEqualTo("component[1].restrat");
    }

    @Test
    @DisplayName("an unknown key in [supervisor] lists its keys: it has no name")
    void shouldRejectUnknownSupervisorKey() {
      assertThat(message("""
          name = "t"
          [supervisor]
          name = "top"
          """)).isEqualTo("system.toml:3: supervisor.name: unknown key, expected one of strategy, intensity, period");
    }

    @Test
    @DisplayName("a string where an integer belongs is a wrong type, showing the value")
    void shouldRejectWrongType() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          server-threads = "2"
          """)).isEqualTo(
              "system.toml:5: component[0].server-threads: expected an integer from 1 to 64, got a string (\"2\")");
    }

    @Test
    @DisplayName("a wrong type inside an array is named by its index")
    void shouldRejectWrongTypeInArray() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          args = ["x", 10]
          """)).isEqualTo("system.toml:5: component[0].args[1]: expected a string, got an integer (10)");
    }

    @Test
    @DisplayName("a single table where an array of tables belongs is a wrong type")
    void shouldRejectTableForArrayOfTables() {
      assertThat(message("""
          name = "t"
          [component]
          name = "a"
          """)).isEqualTo(
              "system.toml:2: component: expected an array of tables ([[component]]), got a table");
    }

    @Test
    @DisplayName("a missing system name is named on the first line")
    void shouldRequireName() {
      assertThat(message("""
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          """)).isEqualTo("system.toml:1: name: missing, expected a name of 1 to 32 characters a-z, 0-9 and -");
    }

    @Test
    @DisplayName("a component's missing class is named at the component's header")
    void shouldRequireClass() {
      final DescriptorException error = error("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"

          [[component]]
          name = "b"
          """);

      assertThat(error.getMessage()).isEqualTo("system.toml:6: component[1].class: missing, expected the binary "
          + "name of a class implementing dev.nucleus.system.Component");
      assertThat(error.key()).isEqualTo("component[1].class");
    }

    @Test
    @DisplayName("a system needs at least one component")
    void shouldRequireComponent() {
      assertThat(message("""
          name = "t"
          """)).isEqualTo("system.toml:1: component: missing, expected at least one [[component]]");
    }
  }

  @Nested
  @DisplayName("names")
  class Names {

    @Test
    @DisplayName("a component name outside [a-z0-9-]{1,32} says the rule")
    void shouldRejectBadComponentName() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "Key_Value"
          class = "dev.nucleus.system.Samples$Noop"
          """)).isEqualTo("system.toml:3: component[0].name: expected a name of 1 to 32 characters a-z, 0-9 and -, "
              + "got \"Key_Value\"");
    }

    @Test
    @DisplayName("two components of one name: the second is named, with the line of the first")
    void shouldRejectDuplicateComponent() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          """)).isEqualTo("system.toml:6: component[1].name: \"a\" is already the name of component[0] (line 3), "
              + "expected a unique name");
    }

    @Test
    @DisplayName("two groups of one name")
    void shouldRejectDuplicateGroup() {
      assertThat(message("""
          name = "t"
          [[group]]
          name = "store"
          [[group]]
          name = "store"
          strategy = "one_for_all"
          """)).isEqualTo(
              "system.toml:5: group[1].name: \"store\" is already the name of group[0] (line 3), expected a unique name");
    }

    @Test
    @DisplayName("two drivers of one name")
    void shouldRejectDuplicateDriver() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          [[driver]]
          name = "tick"
          kind = "timer"
          component = "a"
          period = "1s"
          [[driver]]
          name = "tick"
          kind = "timer"
          component = "a"
          period = "2s"
          """)).isEqualTo(
              "system.toml:11: driver[1].name: \"tick\" is already the name of driver[0] (line 6), expected a unique name");
    }

    @Test
    @DisplayName("a service name outside [a-z0-9.-]{1,48} says the rule")
    void shouldRejectBadServiceName() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["kv", "KV/admin"]
          """)).isEqualTo("system.toml:5: component[0].provides: expected a service name of 1 to 48 characters a-z, "
              + "0-9, . and -, got \"KV/admin\"");
    }

    @Test
    @DisplayName("two providers of one service: the second is named, with the first provider")
    void shouldRejectDuplicateService() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["kv"]
          [[component]]
          name = "b"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["log", "kv"]
          """)).isEqualTo("system.toml:9: component[1].provides: \"kv\" is already provided by component \"a\" "
              + "(line 5), expected one provider per service");
    }

    @Test
    @DisplayName("a service listed twice by one component")
    void shouldRejectRepeatedService() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          imports = ["kv", "kv"]
          """)).isEqualTo("system.toml:5: component[0].imports: expected each service once, got \"kv\" twice");
    }
  }

  @Nested
  @DisplayName("component classes")
  class Classes {

    private String withClass(String className) {
      return message("""
          name = "t"
          [[component]]
          name = "a"
          class = "%s"
          """.formatted(className));
    }

    @Test
    @DisplayName("a class the class loader does not find")
    void shouldRejectUnknownClass() {
      assertThat(withClass("dev.nucleus.system.Samples.Noop")).isEqualTo("system.toml:4: component[0].class: "
          + "expected the binary name of a class on the class path (Outer$Inner for a nested class), got "
          + "\"dev.nucleus.system.Samples.Noop\", which is not found");
    }

    @Test
    @DisplayName("a class that does not implement Component")
    void shouldRejectNonComponent() {
      assertThat(withClass("dev.nucleus.system.Samples$NotAComponent")).isEqualTo("system.toml:4: component[0].class: "
          + "expected a class implementing dev.nucleus.system.Component, got "
          + "\"dev.nucleus.system.Samples$NotAComponent\"");
    }

    @Test
    @DisplayName("a class that is not public")
    void shouldRejectHiddenClass() {
      assertThat(withClass("dev.nucleus.system.Samples$Hidden")).isEqualTo("system.toml:4: component[0].class: "
          + "expected a public class, got \"dev.nucleus.system.Samples$Hidden\", which is not public");
    }

    @Test
    @DisplayName("an abstract class")
    void shouldRejectAbstractClass() {
      assertThat(withClass("dev.nucleus.system.Samples$Abstract")).isEqualTo("system.toml:4: component[0].class: "
          + "expected a concrete class, got \"dev.nucleus.system.Samples$Abstract\", which is abstract");
    }

    @Test
    @DisplayName("an interface")
    void shouldRejectInterface() {
      assertThat(withClass("dev.nucleus.system.Component")).isEqualTo("system.toml:4: component[0].class: "
          + "expected a concrete class, got \"dev.nucleus.system.Component\", which is an interface");
    }

    @Test
    @DisplayName("a class without a no-argument constructor")
    void shouldRejectClassNeedingArguments() {
      assertThat(withClass("dev.nucleus.system.Samples$NeedsArgument")).isEqualTo("system.toml:4: component[0].class: "
          + "expected a class with a public no-argument constructor, got "
          + "\"dev.nucleus.system.Samples$NeedsArgument\", which has none");
    }

    @Test
    @DisplayName("a class whose no-argument constructor is private")
    void shouldRejectPrivateConstructor() {
      assertThat(withClass("dev.nucleus.system.Samples$PrivateConstructor")).isEqualTo("system.toml:4: "
          + "component[0].class: expected a class with a public no-argument constructor, got "
          + "\"dev.nucleus.system.Samples$PrivateConstructor\", which has none");
    }

    @Test
    @DisplayName("an inner (non-static) class: the message says to make it static")
    void shouldRejectInnerClass() {
      assertThat(withClass("dev.nucleus.system.Samples$Inner")).isEqualTo("system.toml:4: component[0].class: "
          + "expected a class with a public no-argument constructor, got \"dev.nucleus.system.Samples$Inner\", "
          + "which has none (an inner class: make it static)");
    }

    @Test
    @DisplayName("a class in a package its module does not export")
    void shouldRejectUnexportedClass() {
      assertThat(withClass("sun.nio.ch.Net")).isEqualTo("system.toml:4: component[0].class: expected a class in an "
          + "exported package, got \"sun.nio.ch.Net\", in package sun.nio.ch, which module java.base does not export");
    }
  }

  @Nested
  @DisplayName("component values")
  class ComponentValues {

    @Test
    @DisplayName("jvm-options on a thread component")
    void shouldRejectJvmOptionsOnThread() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          jvm-options = ["-Xmx64m"]
          """)).isEqualTo("system.toml:5: component[0].jvm-options: expected only on a process component "
              + "(isolation = \"process\"), got it on a thread component");
    }

    @Test
    @DisplayName("a JVM option that does not start with -")
    void shouldRejectBareJvmOption() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          isolation = "process"
          jvm-options = [
            "-Xmx64m",
            "Xss1m",
          ]
          """)).isEqualTo("system.toml:8: component[0].jvm-options[1]: expected a JVM option starting with -, like "
              + "\"-Xmx64m\" or \"--add-opens=m/p=ALL-UNNAMED\", got \"Xss1m\"");
    }

    @Test
    @DisplayName("server-threads below 1")
    void shouldRejectTooFewServerThreads() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          server-threads = 0
          """)).isEqualTo("system.toml:5: component[0].server-threads: expected an integer from 1 to 64, got 0");
    }

    @Test
    @DisplayName("server-threads above 64, even beyond a long")
    void shouldRejectTooManyServerThreads() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          server-threads = 99999999999999999999
          """)).isEqualTo(
              "system.toml:5: component[0].server-threads: expected an integer from 1 to 64, got 99999999999999999999");
    }

    @Test
    @DisplayName("a duration that is not an integer with a unit")
    void shouldRejectBadDuration() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          backoff = "1.5s"
          """)).isEqualTo("system.toml:5: component[0].backoff: expected a duration, an integer with a unit us, ms, s "
              + "or m, like \"100ms\", got \"1.5s\"");
    }

    @Test
    @DisplayName("a zero duration where a positive one belongs")
    void shouldRejectZeroPeriod() {
      assertThat(message("""
          name = "t"
          [supervisor]
          period = "0s"
          """)).isEqualTo("system.toml:3: supervisor.period: expected a positive duration, an integer with a unit us, "
              + "ms, s or m, like \"100ms\", got \"0s\"");
    }

    @Test
    @DisplayName("a number where a duration belongs")
    void shouldRejectUnitlessDuration() {
      assertThat(message("""
          name = "t"
          [[group]]
          name = "g"
          period = 10
          """)).isEqualTo("system.toml:4: group[0].period: expected a positive duration, an integer with a unit us, "
              + "ms, s or m, like \"100ms\", got an integer (10)");
    }

    @Test
    @DisplayName("max-backoff below backoff")
    void shouldRejectMaxBackoffBelowBackoff() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          backoff = "2s"
          max-backoff = "1500ms"
          """)).isEqualTo("system.toml:6: component[0].max-backoff: expected at least backoff (2s), got \"1500ms\"");
    }

    @Test
    @DisplayName("backoff above the default max-backoff")
    void shouldRejectBackoffAboveDefaultMax() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          backoff = "1m"
          """)).isEqualTo(
              "system.toml:5: component[0].backoff: expected at most max-backoff (5s when not given), got \"1m\"");
    }

    @Test
    @DisplayName("a value outside an enumeration lists the allowed ones")
    void shouldRejectBadEnumValue() {
      final DescriptorException error = error("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          [[component]]
          name = "b"
          class = "dev.nucleus.system.Samples$Noop"
          restart = "sometimes"
          """);

      assertThat(error.getMessage()).isEqualTo(
          "system.toml:8: component[1].restart: expected one of permanent, transient, temporary, got \"sometimes\"");
      assertThat(error.line()).isEqualTo(8);
      assertThat(error.key()).isEqualTo("component[1].restart");
    }

    @Test
    @DisplayName("a strategy outside the enumeration")
    void shouldRejectBadStrategy() {
      assertThat(message("""
          name = "t"
          [supervisor]
          strategy = "one-for-one"
          """)).isEqualTo("system.toml:3: supervisor.strategy: expected one of one_for_one, one_for_all, rest_for_one, "
              + "got \"one-for-one\"");
    }

    @Test
    @DisplayName("a group no [[group]] declares lists those declared")
    void shouldRejectUnknownGroup() {
      assertThat(message("""
          name = "t"
          [[group]]
          name = "store"
          [[group]]
          name = "edge"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          group = "stor"
          """)).isEqualTo("system.toml:9: component[0].group: expected one of the groups store, edge, got \"stor\"");
    }

    @Test
    @DisplayName("a group when none is declared")
    void shouldRejectGroupWhenNoneDeclared() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          group = "store"
          """)).isEqualTo(
              "system.toml:5: component[0].group: expected the name of a [[group]] (none is declared), got \"store\"");
    }
  }

  @Nested
  @DisplayName("routes and start order")
  class Routes {

    @Test
    @DisplayName("an import nobody provides")
    void shouldRejectImportWithoutProvider() {
      final DescriptorException error = error("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["kv"]
          [[component]]
          name = "b"
          class = "dev.nucleus.system.Samples$Noop"
          [[component]]
          name = "c"
          class = "dev.nucleus.system.Samples$Noop"
          imports = ["kv", "log"]
          """);

      assertThat(error.getMessage()).isEqualTo("system.toml:12: component[2].imports: \"log\" is provided by no component");
      assertThat(error.key()).isEqualTo("component[2].imports");
    }

    @Test
    @DisplayName("an import in a multi-line array is named on its own line")
    void shouldLocateImportElement() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["kv"]
          [[component]]
          name = "b"
          class = "dev.nucleus.system.Samples$Noop"
          imports = [
            "kv",   # the store
            "log",  # nobody's
          ]
          """)).isEqualTo("system.toml:11: component[1].imports: \"log\" is provided by no component");
    }

    @Test
    @DisplayName("a component importing its own service")
    void shouldRejectSelfImport() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["kv"]
          imports = ["kv"]
          """)).isEqualTo("system.toml:6: component[0].imports: \"kv\" is provided by this component itself, "
              + "expected a service of another component");
    }

    @Test
    @DisplayName("an import cycle is named from its first component, at that component's imports")
    void shouldRejectImportCycle() {
      final DescriptorException error = error("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["x"]
          imports = ["y"]
          [[component]]
          name = "b"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["y"]
          imports = ["x"]
          """);

      assertThat(error.getMessage())
          .isEqualTo("system.toml:6: component[0].imports: import cycle a -> b -> a, expected imports without a cycle");
      assertThat(error.key()).isEqualTo("component[0].imports");
    }

    @Test
    @DisplayName("a cycle reached through a component outside it names only the cycle")
    void shouldNameOnlyTheCycle() {
      assertThat(message("""
          name = "t"
          [[component]]
          name = "web"
          class = "dev.nucleus.system.Samples$Noop"
          imports = ["cache"]
          [[component]]
          name = "db"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["db"]
          imports = ["index"]
          [[component]]
          name = "cache"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["cache"]
          imports = ["db"]
          [[component]]
          name = "indexer"
          class = "dev.nucleus.system.Samples$Noop"
          provides = ["index"]
          imports = ["cache"]
          """)).isEqualTo("system.toml:10: component[1].imports: import cycle db -> indexer -> cache -> db, "
              + "expected imports without a cycle");
    }
  }

  @Nested
  @DisplayName("drivers")
  class Drivers {

    /** A system of one component, "a", and the driver {@code driver} from line 5 on. */
    private String withDriver(String driver) {
      return message("""
          name = "t"
          [[component]]
          name = "a"
          class = "dev.nucleus.system.Samples$Noop"
          [[driver]]
          """ + driver);
    }

    @Test
    @DisplayName("a driver naming an unknown component")
    void shouldRejectUnknownOwner() {
      assertThat(withDriver("""
          name = "tick"
          kind = "timer"
          component = "b"
          period = "1s"
          """)).isEqualTo("system.toml:8: driver[0].component: expected one of the components a, got \"b\"");
    }

    @Test
    @DisplayName("a driver without a kind")
    void shouldRequireKind() {
      assertThat(withDriver("""
          name = "tick"
          component = "a"
          """)).isEqualTo("system.toml:5: driver[0].kind: missing, expected one of timer, signal, file, socket");
    }

    @Test
    @DisplayName("a driver of an unknown kind")
    void shouldRejectUnknownKind() {
      assertThat(withDriver("""
          name = "tick"
          kind = "cron"
          component = "a"
          """)).isEqualTo("system.toml:7: driver[0].kind: expected one of timer, signal, file, socket, got \"cron\"");
    }

    @Test
    @DisplayName("a timer without its period")
    void shouldRequireKindKey() {
      assertThat(withDriver("""
          name = "tick"
          kind = "timer"
          component = "a"
          """)).isEqualTo("system.toml:5: driver[0].period: missing, expected the period of a timer driver");
    }

    @Test
    @DisplayName("a timer with a socket's port")
    void shouldRejectOtherKindKey() {
      assertThat(withDriver("""
          name = "tick"
          kind = "timer"
          component = "a"
          period = "1s"
          port = 7070
          """)).isEqualTo("system.toml:10: driver[0].port: expected no port on a timer driver, got one (port is for a "
              + "socket driver)");
    }

    @Test
    @DisplayName("a signal the root task keeps for itself")
    void shouldRejectRootSignal() {
      assertThat(withDriver("""
          name = "stop"
          kind = "signal"
          component = "a"
          signal = "TERM"
          """)).isEqualTo("system.toml:9: driver[0].signal: expected one of HUP, USR1, USR2, WINCH, CONT, ALRM, got "
              + "\"TERM\", which the root task keeps for itself");
    }

    @Test
    @DisplayName("a signal written with SIG")
    void shouldRejectSigPrefix() {
      assertThat(withDriver("""
          name = "reload"
          kind = "signal"
          component = "a"
          signal = "SIGHUP"
          """)).isEqualTo("system.toml:9: driver[0].signal: expected one of HUP, USR1, USR2, WINCH, CONT, ALRM, got "
              + "\"SIGHUP\" (write it without SIG)");
    }

    @Test
    @DisplayName("an unknown signal")
    void shouldRejectUnknownSignal() {
      assertThat(withDriver("""
          name = "reload"
          kind = "signal"
          component = "a"
          signal = "PWR"
          """)).isEqualTo(
              "system.toml:9: driver[0].signal: expected one of HUP, USR1, USR2, WINCH, CONT, ALRM, got \"PWR\"");
    }

    @Test
    @DisplayName("a port out of 1..65535")
    void shouldRejectPortOutOfRange() {
      assertThat(withDriver("""
          name = "admin"
          kind = "socket"
          component = "a"
          port = 70000
          """)).isEqualTo("system.toml:9: driver[0].port: expected an integer from 1 to 65535, got 70000");
    }

    @Test
    @DisplayName("two socket drivers on one port")
    void shouldRejectSharedPort() {
      assertThat(withDriver("""
          name = "admin"
          kind = "socket"
          component = "a"
          port = 7070
          [[driver]]
          name = "debug"
          kind = "socket"
          component = "a"
          port = 7070
          """)).isEqualTo("system.toml:14: driver[1].port: expected a port no other driver listens on, got 7070, the "
              + "port of driver[0] (line 9)");
    }

    @Test
    @DisplayName("a file driver with an empty path")
    void shouldRejectEmptyPath() {
      assertThat(withDriver("""
          name = "inbox"
          kind = "file"
          component = "a"
          path = ""
          """)).isEqualTo("system.toml:9: driver[0].path: expected the path of a file or FIFO, got \"\"");
    }
  }
}
