package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bench's entry point ({@code nucleus bench}, {@code nucleus jmh}): help, version, and every
 * error a user can cause as one line and a non-zero exit (issue 11, item 5). Runs over fake
 * mechanisms, so nothing is measured.
 */
@Timeout(60)
class BenchMainTest {

  @TempDir Path dir;

  @Test
  void benchAndJmhHaveHelp() {
    final Captured bench = capture(() -> BenchMain.run("bench", "--help"));
    final Captured jmh = capture(() -> BenchMain.run("jmh", "--help"));
    final Captured help = capture(() -> BenchMain.run("help", "bench"));

    assertThat(bench.exit()).isZero();
    assertThat(bench.out()).startsWith("Usage: nucleus bench").contains("--quick").contains("--json=FILE");
    assertThat(bench.out().lines().skip(1).filter(l -> !l.startsWith(" ")).findFirst())
        .as("the one-line description under the usage")
        .hasValue("Measure IPC round trips against the hardware floor.");
    assertThat(jmh.exit()).isZero();
    assertThat(jmh.out()).startsWith("Usage: nucleus jmh").contains("nucleus jmh -h");
    assertThat(help.out()).isEqualTo(bench.out());
  }

  @Test
  void versionComesFromTheBuild() {
    final Captured r = capture(() -> BenchMain.run("--version"));

    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).matches("nucleus bench \\d+\\.\\d+\\.\\d+\\S*");
  }

  @Test
  void aBadOptionIsOneLine() {
    final Captured unknown = capture(() -> BenchMain.run("bench", "--bogus"));
    final Captured chart = capture(() -> BenchMain.run("bench", "--only", "floor-java-spin", "--chart", "x.txt"));

    assertOneLine(unknown, 2, "nucleus bench: Unknown option: '--bogus'");
    assertOneLine(chart, 2, "nucleus bench: --chart must name a .png or .svg file: x.txt");
  }

  @Test
  void anUnwritableJsonPathFailsBeforeTheRun() throws IOException {
    final FakePingPong fake = FakePingPong.constant("fake", null, 1000);
    final Path file = Files.writeString(dir.resolve("file"), "x");

    final Captured underFile = capture(() -> bench(fake, "--json", file.resolve("x.json").toString()));
    final Captured noDir = capture(() -> bench(fake, "--json", dir.resolve("none/x.json").toString()));
    final Captured chart = capture(() -> bench(fake, "--chart", dir.resolve("none/x.png").toString()));

    assertOneLine(underFile, 2, "bench: cannot write --json " + file.resolve("x.json") + ": " + file + " is not a directory");
    assertOneLine(noDir, 2, "bench: cannot write --json " + dir.resolve("none/x.json") + ": no such directory");
    assertOneLine(chart, 2, "bench: cannot write --chart " + dir.resolve("none/x.png") + ": no such directory");
    assertThat(fake.calls).as("nothing was run").isEmpty();
  }

  @Test
  void anUnwritableOutDirectoryFailsBeforeTheRun() throws IOException {
    final FakePingPong fake = FakePingPong.constant("fake", null, 1000);
    final Path file = Files.writeString(dir.resolve("file"), "x");

    final Captured r = capture(() -> BenchMain.run(BenchMain.commandLine(factory(fake)),
        "bench", "--runs", "1", "--out", file.resolve("results").toString()));

    assertOneLine(r, 2, "bench: cannot write --out " + file.resolve("results") + ": ");
    assertThat(fake.calls).isEmpty();
  }

  @Test
  void theResultsArePrintedBeforeTheFilesAreWrittenSoAFailedWriteLosesNothing() throws IOException {
    final Path out = Files.createDirectories(dir.resolve("out"));
    final Path json = out.resolve("bench.json");
    final PingPong sabotage = new DiskGoesAway(out);

    final Captured r = capture(() -> bench(sabotage, "--json", json.toString()));

    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    final List<String> errors = r.out().lines().filter(l -> l.contains("cannot write")).toList();
    assertThat(errors).singleElement().asString()
        .isEqualTo("bench: cannot write " + json + ": " + out + " exists and is not a directory (the results are above)");
    assertThat(r.out().indexOf("disk-goes-away ")).as("the table, before the error").isBetween(0, r.out().indexOf(errors.get(0)));
    assertThat(r.out()).doesNotContain("\tat ");
  }

  /** A mechanism during whose run the output directory is replaced by a file. */
  private record DiskGoesAway(Path out) implements PingPong {
    @Override
    public String name() {
      return "disk-goes-away";
    }

    @Override
    public String floor() {
      return null;
    }

    @Override
    public String unavailableReason() {
      return null;
    }

    @Override
    public int defaultIterations() {
      return 100;
    }

    @Override
    public void run(int warmup, int iterations, Histogram roundTripsNs) throws IOException {
      if (Files.isDirectory(out)) {
        Files.delete(out);
        Files.writeString(out, "not a directory any more");
      }
      for (int i = 0; i < iterations; i++) {
        Latencies.record(roundTripsNs, 1000);
      }
    }
  }

  /** {@code nucleus bench --only <m> --runs 1 args...} over a registry of {@code m} alone. */
  private static int bench(PingPong m, String... args) {
    final List<String> all = new java.util.ArrayList<>(List.of("bench", "--only", m.name(), "--runs", "1"));
    all.addAll(List.of(args));
    return BenchMain.run(BenchMain.commandLine(factory(m)), all.toArray(String[]::new));
  }

  private static CommandLine.IFactory factory(PingPong m) {
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        return cls == BenchCommand.class
            ? cls.cast(new BenchCommand(() -> new MechanismRegistry(List.of(m))))
            : CommandLine.defaultFactory().create(cls);
      }
    };
  }

  private static void assertOneLine(Captured r, int exit, String prefix) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.err().lines().toList()).as(r.err()).singleElement().asString().startsWith(prefix);
    assertThat(r.out() + r.err()).doesNotContain("\tat ");
  }

  /** What a command printed: {@code out} has stdout and stderr interleaved as printed, {@code err} stderr alone. */
  private record Captured(int exit, String out, String err) {}

  /** Runs {@code command} with stdout and stderr captured; restores them afterwards. */
  private static Captured capture(IntSupplier command) {
    final PrintStream savedOut = System.out;
    final PrintStream savedErr = System.err;
    final ByteArrayOutputStream both = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final int exit;
    try {
      final PrintStream combined = new PrintStream(both, true, StandardCharsets.UTF_8);
      System.setOut(combined);
      System.setErr(new PrintStream(new TeeStream(err, combined), true, StandardCharsets.UTF_8));
      exit = command.getAsInt();
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new Captured(exit, both.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Writes to two streams. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
