package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./nucleus} launcher, run as a user would, in the parts that need no build: finding a
 * JDK, and the help of the commands it runs itself. The JDK search is pointed at fake JDKs (shell
 * scripts that answer {@code -XshowSettings:properties} like a java of some version), with a PATH
 * that holds no real java.
 */
@Timeout(60)
class LauncherTest {

  private static final Path LAUNCHER = Path.of("..", "nucleus").toAbsolutePath().normalize();

  @TempDir Path fake;

  private Path bin;

  @BeforeEach
  void fakeBin() throws IOException {
    assumeThat(Files.isRegularFile(LAUNCHER)).as("the launcher beside the cli module").isTrue();
    fake = fake.toRealPath(); // the launcher resolves the java on PATH with readlink -f
    bin = Files.createDirectories(fake.resolve("bin"));
    // The JDK search uses bash builtins and readlink only; a PATH with readlink and no java.
    final Optional<Path> readlink = onPath("readlink");
    assumeThat(readlink).as("readlink on PATH").isPresent();
    Files.createSymbolicLink(bin.resolve("readlink"), readlink.get());
  }

  @Test
  void withoutAJdk25ItNamesEveryPlaceItLookedInOneLine() throws Exception {
    final Path javaHome = fakeJdk(fake.resolve("jdk-17"), 17, true);
    Files.createSymbolicLink(bin.resolve("java"), fakeJdk(fake.resolve("jdk-11"), 11, true).resolve("bin/java"));
    final Path jvms = Files.createDirectories(fake.resolve("jvm"));
    fakeJdk(jvms.resolve("jdk-21"), 21, true);
    fakeJdk(jvms.resolve("jre-25"), 25, false);
    final Path empty = Files.createDirectories(fake.resolve("empty"));

    final Result r = launch(Map.of(
        "JAVA_HOME", javaHome.toString(),
        "NUCLEUS_JVM_DIRS", jvms + ":" + empty), "--version");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("nucleus: no JDK 25 or newer found.")
        .contains("$JAVA_HOME = " + javaHome + " (Java 17)")
        .contains("the java on PATH, in " + fake.resolve("jdk-11") + " (Java 11)")
        .contains(jvms.resolve("jdk-21") + " (Java 21)")
        .contains(jvms.resolve("jre-25") + " (Java 25 without javac: a JRE)")
        .contains(empty + "/* (nothing there)")
        .contains("set JAVA_HOME");
  }

  @Test
  void anUnsetOrMissingJavaHomeIsNamedToo() throws Exception {
    final Path jvms = Files.createDirectories(fake.resolve("jvm"));

    final Result unset = launch(Map.of("NUCLEUS_JVM_DIRS", jvms.toString()), "demo");
    final Result missing = launch(Map.of("JAVA_HOME", "/no/such/jdk", "NUCLEUS_JVM_DIRS", jvms.toString()), "demo");

    assertThat(unset.exit()).isEqualTo(1);
    assertThat(unset.err().lines().toList()).singleElement().asString()
        .contains("$JAVA_HOME (unset)")
        .contains("the java on PATH (none)")
        .contains(jvms + "/* (nothing there)");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err().lines().toList()).singleElement().asString()
        .contains("$JAVA_HOME = /no/such/jdk (no such directory)");
  }

  @Test
  void theLaunchersOwnCommandsHaveHelp() throws Exception {
    final Map<String, String> env = Map.of(
        "JAVA_HOME", System.getProperty("java.home"), "NUCLEUS_NO_BUILD", "1", "PATH", System.getenv("PATH"));
    // javac beside this java: a JDK the launcher accepts, and no build is started for help.
    assumeThat(Path.of(System.getProperty("java.home"), "bin", "javac")).isExecutable();

    final Result build = launch(env, "build", "--help");
    final Result test = launch(env, "test", "--help");
    final Result bad = launch(env, "build", "--bogus");

    assertThat(build.exit()).isZero();
    assertThat(build.out()).startsWith("Usage: ./nucleus build [--install]");
    assertThat(test.exit()).isZero();
    assertThat(test.out()).startsWith("Usage: ./nucleus test");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().lines().toList()).singleElement().asString().contains("--bogus");
  }

  private record Result(int exit, String out, String err) {}

  /** Runs the launcher with a PATH of the fake bin only, unless {@code env} says otherwise. */
  private Result launch(Map<String, String> env, String... args) throws Exception {
    final List<String> cmd = new ArrayList<>(List.of("/bin/bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(cmd).directory(fake.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", bin.toString());
    pb.environment().put("HOME", fake.toString());
    pb.environment().putAll(env);
    final Process p = pb.start();
    p.getOutputStream().close();
    final byte[] out = p.getInputStream().readAllBytes();
    final byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  /** A fake JDK home whose bin/java reports {@code version}; with bin/javac if {@code jdk}. */
  private static Path fakeJdk(Path home, int version, boolean jdk) throws IOException {
    final Path bin = Files.createDirectories(home.resolve("bin"));
    final String script = "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n";
    for (String tool : jdk ? List.of("java", "javac") : List.of("java")) {
      final Path f = Files.writeString(bin.resolve(tool), script);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return home;
  }

  private static Optional<Path> onPath(String tool) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, tool))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
