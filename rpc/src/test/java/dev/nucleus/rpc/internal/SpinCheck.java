package dev.nucleus.rpc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One exhaustive check of the Promela model of the call lane (rpc/src/test/promela,
 * docs/rpc-wire.md, section 10) with SPIN, as async's {@code SpinCheck} makes it for the ring:
 * {@code spin -a} with the scenario's defines, the C compiler on {@code pan.c} (safety mode,
 * lossless state compression, never bitstate hashing), then {@code pan}, in a fresh temporary
 * directory that is deleted afterwards. {@code pan} is compiled with {@code -O0}: on this
 * project's 2-core machines the optimiser costs more than it saves on these state spaces.
 */
final class SpinCheck {

  /** Where the model is, relative to the rpc module (surefire's working directory). */
  static final Path MODELS = Path.of("src/test/promela");
  /** The search depth pan may reach; a run that needs more says so (and is not exhaustive). */
  private static final int MAX_DEPTH = 100_000;
  /** The memory pan may use, in MiB: a run that needs more stops and says so. */
  private static final int MEMORY_LIMIT_MB = 1024;

  private static final Pattern STATES = Pattern.compile("(\\d+) states, stored");
  private static final Pattern DEPTH = Pattern.compile("depth reached (\\d+), errors: (\\d+)");
  private static final Pattern SECONDS = Pattern.compile("pan: elapsed time ([\\d.e+]+) seconds");
  private static final Pattern FIRST_ERROR = Pattern.compile("pan:1: (.*) \\(at depth \\d+\\)");

  /** States stored, depth reached, errors, whether the search was complete, pan's time, its first error and output. */
  record Result(long states, int depth, int errors, boolean exhaustive, double seconds, String firstError,
      String output) {

    /** One line for the test log. */
    String figures() {
      return String.format("%,d states, depth %,d, %.2f s, %d error(s)%s", states, depth, seconds, errors,
          errors > 0 ? ": " + firstError : "");
    }
  }

  private SpinCheck() {}

  /** Why the check cannot run here (no {@code spin} or no {@code gcc} on the PATH), or empty. */
  static Optional<String> missingTool() {
    if (!runs("spin", "-V")) {
      return Optional.of("spin is not installed (Debian package spin; .ci/run installs it)");
    }
    if (!runs("gcc", "--version")) {
      return Optional.of("no C compiler (gcc) on the PATH");
    }
    return Optional.empty();
  }

  private static boolean runs(String... command) {
    try {
      final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Checks {@code model} (a file of {@link #MODELS}) with the defines {@code defines} ("NAME" or
   * "NAME=VALUE"), each of the three steps bounded by {@code limit}.
   *
   * @throws IllegalStateException if spin or the compiler fail, or a step outlives the limit
   */
  static Result check(String model, List<String> defines, Duration limit) throws IOException, InterruptedException {
    final Path dir = Files.createTempDirectory("nucleus-spin-");
    try {
      Files.copy(MODELS.resolve(model), dir.resolve(model));
      final List<String> spin = new ArrayList<>(List.of("spin", "-a"));
      defines.forEach(d -> spin.add("-D" + d));
      spin.add(model);
      run(dir, spin, limit, true);
      run(dir, List.of("gcc", "-O0", "-w", "-DSAFETY", "-DCOLLAPSE", "-DMEMLIM=" + MEMORY_LIMIT_MB, "-o", "pan", "pan.c"),
          limit, true);
      return parse(run(dir, List.of("./pan", "-m" + MAX_DEPTH, "-n"), limit, false));
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static Result parse(String out) {
    final Matcher depth = DEPTH.matcher(out);
    if (!depth.find()) {
      throw new IllegalStateException("pan printed no result:\n" + out);
    }
    final Matcher states = STATES.matcher(out);
    final Matcher seconds = SECONDS.matcher(out);
    final Matcher error = FIRST_ERROR.matcher(out);
    final boolean exhaustive = out.contains("Full statespace search for:")
        && !out.contains("max search depth too small") && !out.contains("out of memory")
        && !out.contains("reached -DMEMLIM");
    return new Result(states.find() ? Long.parseLong(states.group(1)) : -1, Integer.parseInt(depth.group(1)),
        Integer.parseInt(depth.group(2)), exhaustive, seconds.find() ? Double.parseDouble(seconds.group(1)) : -1,
        error.find() ? error.group(1) : "", out);
  }

  /** Runs {@code command} in {@code dir}; its output. Fails on a timeout, or on a non-zero exit if {@code mustSucceed}. */
  private static String run(Path dir, List<String> command, Duration limit, boolean mustSucceed)
      throws IOException, InterruptedException {
    final Path log = dir.resolve("step.log");
    final Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException(String.join(" ", command) + " ran longer than " + limit);
    }
    final String out = Files.readString(log, StandardCharsets.UTF_8);
    if (mustSucceed && p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + out);
    }
    return out;
  }
}
