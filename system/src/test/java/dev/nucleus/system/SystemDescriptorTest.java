package dev.nucleus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A valid descriptor: what it loads into, its start order and its lookups. */
@Tag("unit")
@Timeout(10)
@DisplayName("SystemDescriptor, valid")
class SystemDescriptorTest {

  private static final ClassLoader LOADER = SystemDescriptorTest.class.getClassLoader();
  private static final String NOOP = Samples.Noop.class.getName();

  /** Every key of the reference, each set to something other than its default. */
  private static final String EVERYTHING = """
      name = "kv-demo"

      [supervisor]
      strategy = "one_for_all"
      intensity = 3
      period = "1m"

      [[group]]
      name = "store"
      strategy = "rest_for_one"
      intensity = 0
      period = "250us"

      [[group]]
      name = "edge"

      [[component]]
      name = "client"
      class = "dev.nucleus.system.Samples$Noop"
      imports = ["kv", "log"]
      args = ["10", "fast"]

      [[component]]
      name = "kv"
      class = "dev.nucleus.system.Samples$Noop"
      isolation = "process"
      jvm-options = ["-Xmx64m", "-Dkv.size=10"]
      server-threads = 2
      restart = "transient"
      backoff = "50ms"
      max-backoff = "2s"
      group = "store"
      provides = ["kv", "kv.admin"]
      imports = ["log"]

      [[component]]
      name = "log"
      class = "dev.nucleus.system.Samples$Noop"
      restart = "temporary"
      group = "edge"
      provides = ["log"]

      [[driver]]
      name = "tick"
      kind = "timer"
      component = "client"
      period = "100ms"

      [[driver]]
      name = "reload"
      kind = "signal"
      component = "kv"
      signal = "HUP"

      [[driver]]
      name = "inbox"
      kind = "file"
      component = "log"
      path = "run/in.fifo"

      [[driver]]
      name = "admin"
      kind = "socket"
      component = "kv"
      port = 7070
      """;

  @Test
  @DisplayName("a descriptor using every key loads into exactly the records it declares")
  void shouldLoadEveryKeyIntoItsRecord() throws DescriptorException {
    final Path source = Path.of("/etc/nucleus/system.toml");

    final SystemDescriptor system = SystemDescriptor.parse(EVERYTHING, source, LOADER);

    assertThat(system).isEqualTo(new SystemDescriptor(
        source,
        "kv-demo",
        new GroupSpec("", Strategy.ONE_FOR_ALL, 3, Duration.ofMinutes(1)),
        List.of(
            new GroupSpec("store", Strategy.REST_FOR_ONE, 0, Duration.ofNanos(250_000)),
            new GroupSpec("edge", Strategy.ONE_FOR_ONE, 5, Duration.ofSeconds(10))),
        List.of(
            new ComponentSpec("log", NOOP, Isolation.THREAD, List.of(), 1, RestartPolicy.TEMPORARY,
                Duration.ZERO, Duration.ofSeconds(5), "edge", List.of("log"), List.of(), List.of()),
            new ComponentSpec("kv", NOOP, Isolation.PROCESS, List.of("-Xmx64m", "-Dkv.size=10"), 2,
                RestartPolicy.TRANSIENT, Duration.ofMillis(50), Duration.ofSeconds(2), "store",
                List.of("kv", "kv.admin"), List.of("log"), List.of()),
            new ComponentSpec("client", NOOP, Isolation.THREAD, List.of(), 1, RestartPolicy.PERMANENT,
                Duration.ZERO, Duration.ofSeconds(5), "", List.of(), List.of("kv", "log"), List.of("10", "fast"))),
        List.of(
            new DriverSpec("tick", DriverKind.TIMER, "client", Duration.ofMillis(100), null, null, 0),
            new DriverSpec("reload", DriverKind.SIGNAL, "kv", null, "HUP", null, 0),
            new DriverSpec("inbox", DriverKind.FILE, "log", null, null, Path.of("/etc/nucleus/run/in.fifo"), 0),
            new DriverSpec("admin", DriverKind.SOCKET, "kv", null, null, null, 7070))));
  }

  @Test
  @DisplayName("a minimal descriptor gets the documented defaults")
  void shouldFillDefaults() throws DescriptorException {
    final SystemDescriptor system = SystemDescriptor.parse("""
        name = "one"
        [[component]]
        name = "only"
        class = "dev.nucleus.system.Samples$Noop"
        """, Path.of("system.toml"), LOADER);

    assertThat(system.supervisor()).isEqualTo(new GroupSpec("", Strategy.ONE_FOR_ONE, 5, Duration.ofSeconds(10)));
    assertThat(system.groups()).isEmpty();
    assertThat(system.drivers()).isEmpty();
    assertThat(system.components()).containsExactly(new ComponentSpec("only", NOOP, Isolation.THREAD, List.of(), 1,
        RestartPolicy.PERMANENT, Duration.ZERO, Duration.ofSeconds(5), "", List.of(), List.of(), List.of()));
  }

  @Test
  @DisplayName("components start after the providers of their imports, and otherwise in declaration order")
  void shouldOrderProvidersBeforeImporters() throws DescriptorException {
    final SystemDescriptor system = SystemDescriptor.parse("""
        name = "order"
        [[component]]
        name = "web"
        class = "dev.nucleus.system.Samples$Noop"
        imports = ["cache", "db"]
        [[component]]
        name = "metrics"
        class = "dev.nucleus.system.Samples$Noop"
        [[component]]
        name = "cache"
        class = "dev.nucleus.system.Samples$Noop"
        provides = ["cache"]
        imports = ["db"]
        [[component]]
        name = "audit"
        class = "dev.nucleus.system.Samples$Noop"
        [[component]]
        name = "db"
        class = "dev.nucleus.system.Samples$Noop"
        provides = ["db"]
        """, Path.of("system.toml"), LOADER);

    assertThat(system.components()).extracting(ComponentSpec::name)
        .containsExactly("metrics", "audit", "db", "cache", "web");
  }

  @Test
  @DisplayName("component, provider and group look up by name")
  void shouldLookUpByName() throws DescriptorException {
    final SystemDescriptor system = SystemDescriptor.parse(EVERYTHING, Path.of("system.toml"), LOADER);

    assertThat(system.component("kv").group()).isEqualTo("store");
    assertThat(system.provider("kv.admin")).map(ComponentSpec::name).contains("kv");
    assertThat(system.provider("nothing")).isEmpty();
    assertThat(system.group("store").strategy()).isEqualTo(Strategy.REST_FOR_ONE);
    assertThat(system.group("")).isSameAs(system.supervisor());
    assertThat(system.group(null)).isSameAs(system.supervisor());
    assertThatThrownBy(() -> system.component("nobody"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("system kv-demo has no component nobody");
    assertThatThrownBy(() -> system.group("nowhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("system kv-demo has no group nowhere");
  }

  @Test
  @DisplayName("load reads the file, and a relative driver path resolves against its directory")
  void shouldLoadFromFile(@TempDir Path directory) throws IOException, DescriptorException {
    final Path file = directory.resolve("system.toml");
    Files.writeString(file, EVERYTHING);

    final SystemDescriptor system = SystemDescriptor.load(file, LOADER);

    assertThat(system.source()).isEqualTo(file);
    assertThat(system.drivers().get(2).path()).isEqualTo(directory.resolve("run/in.fifo"));
  }

  @Test
  @DisplayName("load of a missing file names the file, with no line")
  void shouldReportMissingFile(@TempDir Path directory) {
    final Path file = directory.resolve("absent.toml");

    assertThatThrownBy(() -> SystemDescriptor.load(file, LOADER))
        .isInstanceOf(DescriptorException.class)
        .hasMessage(file + ": cannot read: java.nio.file.NoSuchFileException: " + file)
        .satisfies(e -> assertThat(((DescriptorException) e).line()).isZero());
  }

  @Test
  @DisplayName("load of a file that is not UTF-8 says so")
  void shouldReportNonUtf8(@TempDir Path directory) throws IOException {
    final Path file = directory.resolve("latin1.toml");
    Files.write(file, "name = \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> SystemDescriptor.load(file, LOADER))
        .isInstanceOf(DescriptorException.class)
        .hasMessage(file + ": cannot read: expected UTF-8 text");
  }

  @Test
  @DisplayName("a descriptor's lists cannot be changed")
  void shouldBeImmutable() throws DescriptorException {
    final SystemDescriptor system = SystemDescriptor.parse(EVERYTHING, Path.of("system.toml"), LOADER);

    assertThatThrownBy(() -> system.components().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> system.component("kv").provides().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
