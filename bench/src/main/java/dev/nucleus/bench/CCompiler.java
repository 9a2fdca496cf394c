package dev.nucleus.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles the C floor programs that travel in the jar ({@code dev/nucleus/bench/c/}) with the
 * system C compiler, once per program per JVM, into one temporary directory that is deleted when
 * the JVM exits. The compiler is {@code $CC} if set, else {@code cc}, looked up on {@code PATH}.
 * Thread-safe.
 */
final class CCompiler {

  /** Every source file of the floor programs; all are extracted so that includes resolve. */
  static final List<String> SOURCES = List.of("floor_common.h", "floor_spin.c", "floor_futex.c");

  private static final String RESOURCE_DIR = "/dev/nucleus/bench/c/";
  private static final long COMPILE_TIMEOUT_S = 60;
  private static final CCompiler SHARED = new CCompiler();

  private final Map<String, Result> compiled = new HashMap<>();
  private Path workDir;

  /** A compiled program, or why there is none. */
  record Result(Path binary, String unavailableReason) {}

  static CCompiler shared() {
    return SHARED;
  }

  /** The C compiler command, if one is on {@code PATH} (or {@code $CC} is an executable path). */
  static Optional<Path> findCompiler() {
    String cc = System.getenv().getOrDefault("CC", "cc").strip();
    if (cc.isEmpty()) cc = "cc";
    if (cc.contains("/")) {
      Path p = Path.of(cc);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, cc);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** Compiles {@code source} (one of {@link #SOURCES}) once; later calls return the same result. */
  synchronized Result compile(String source) {
    return compiled.computeIfAbsent(source, this::doCompile);
  }

  /** The directory for temporary files (binaries, run outputs); deleted when the JVM exits. */
  synchronized Path workDir() throws IOException {
    if (workDir == null) {
      Path dir = Files.createTempDirectory("nucleus-bench-");
      Runtime.getRuntime()
          .addShutdownHook(Thread.ofPlatform().unstarted(() -> deleteRecursively(dir)));
      workDir = dir;
    }
    return workDir;
  }

  private Result doCompile(String source) {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return new Result(null, "needs Linux (futex, prctl)");
    }
    Optional<Path> cc = findCompiler();
    if (cc.isEmpty()) return new Result(null, "no C compiler ('cc' or $CC) on PATH");
    try {
      Path dir = workDir();
      for (String s : SOURCES) extract(s, dir);
      Path binary = dir.resolve(source.replaceFirst("\\.c$", ""));
      Path log = dir.resolve(source + ".cc.log");
      Process p =
          new ProcessBuilder(
                  cc.get().toString(),
                  "-O2",
                  "-std=gnu11",
                  "-Wall",
                  "-o",
                  binary.toString(),
                  source)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(COMPILE_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(null, cc.get() + " did not finish within " + COMPILE_TIMEOUT_S + " s");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0 || !Files.isExecutable(binary)) {
        return new Result(null, cc.get() + " failed on " + source + ": " + firstLines(output, 3));
      }
      return new Result(binary, null);
    } catch (IOException | UncheckedIOException e) {
      return new Result(null, "cannot compile " + source + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted while compiling " + source);
    }
  }

  private static void extract(String name, Path dir) throws IOException {
    try (InputStream in = CCompiler.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null)
        throw new IOException("resource " + RESOURCE_DIR + name + " missing from the jar");
      Files.write(dir.resolve(name), in.readAllBytes());
    }
  }

  private static String firstLines(String text, int n) {
    return String.join(" | ", text.lines().limit(n).toList());
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort at JVM exit: the directory is under java.io.tmpdir
    }
  }
}
