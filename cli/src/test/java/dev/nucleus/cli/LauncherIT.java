package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command run through {@code ./nucleus} as a user runs it (after {@code package}, by
 * failsafe): as the module dev.nucleus.cli once the kernel is a module, with a process space, so
 * that the module wiring (native access, the echo component's export to the kernel, the child
 * JVM's module path) is what is tested. NUCLEUS_NO_BUILD: the jars this build just made are used.
 */
@Timeout(120)
class LauncherIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void versionAndHelp() throws Exception {
    final Result version = nucleus("--version");
    final Result help = nucleus("--help");
    final Result pingHelp = nucleus("ping", "--help");

    assertThat(version.exit()).as(version.err()).isZero();
    assertThat(version.out().strip()).isEqualTo("nucleus " + Main.version());
    assertThat(version.err()).as("no native-access warning").isEmpty();
    assertThat(help.out()).contains("  demo  ").contains("  bench  ").contains("  jmh  ");
    assertThat(pingHelp.exit()).isZero();
    assertThat(pingHelp.out()).startsWith("Usage: nucleus ping");
  }

  @Test
  void pingsAProcessSpace() throws Exception {
    final Result r = nucleus("ping", "--count", "2000", "--size", "2");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("process space").contains("2000 round trips");
    // Native access granted to the wrong module would show here as the JDK's warning.
    assertThat(r.err()).as("no warnings, no stack traces").isEmpty();
  }

  @Test
  void anUnwritableJsonPathIsOneLine() throws Exception {
    final Path file = Files.writeString(dir.resolve("file"), "x");

    final Result r = nucleus("demo", "--json", file.resolve("x.json").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList()).singleElement().asString().startsWith("demo: cannot write --json");
  }

  private record Result(int exit, String out, String err) {}

  private Result nucleus(String... args) throws Exception {
    final List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("nucleus").toString()));
    cmd.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("NUCLEUS_NO_BUILD", "1");
    pb.redirectError(dir.resolve("stderr.txt").toFile());
    final Process p = pb.start();
    p.getOutputStream().close();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, Files.readString(dir.resolve("stderr.txt")));
  }
}
