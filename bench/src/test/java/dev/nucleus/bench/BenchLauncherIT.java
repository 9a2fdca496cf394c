package dev.nucleus.bench;

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
 * {@code ./nucleus bench} and {@code ./nucleus jmh} reach the bench's own entry point through the
 * launcher (after {@code package}, by failsafe), with the jars this build just made. Nothing is
 * measured.
 */
@Timeout(120)
class BenchLauncherIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void benchAndJmhGoToTheBenchEntryPoint() throws Exception {
    final Result bench = nucleus("bench", "--help");
    final Result help = nucleus("help", "jmh");
    final Result jmh = nucleus("jmh", "-l");

    assertThat(bench.exit()).as(bench.err()).isZero();
    assertThat(bench.out()).startsWith("Usage: nucleus bench").contains("--quick");
    assertThat(help.out()).startsWith("Usage: nucleus jmh");
    assertThat(jmh.exit()).as(jmh.err()).isZero();
    assertThat(jmh.out()).contains("CallReplyWait", "LrpcBenchmark.nullCall", "LrpcBenchmark.echo");
  }

  @Test
  void anUnwritableJsonPathIsOneLineBeforeAnythingRuns() throws Exception {
    final Path file = Files.writeString(dir.resolve("file"), "x");

    final Result r = nucleus("bench", "--quick", "--json", file.resolve("x.json").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList()).singleElement().asString()
        .isEqualTo("bench: cannot write --json " + file.resolve("x.json") + ": " + file + " is not a directory");
    assertThat(r.out()).isEmpty();
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
