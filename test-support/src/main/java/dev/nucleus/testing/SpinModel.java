package dev.nucleus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Exhaustive checks of the Promela models in one directory with SPIN, as the model tests of the
 * kernel (the rendezvous), async (the one-way ring) and rpc (the call lane) run them: {@code spin
 * -a} with a scenario's defines, the C compiler on the generated {@code pan.c} (safety mode,
 * lossless state compression, never bitstate hashing), then {@code pan}, all in a fresh temporary
 * directory that is deleted afterwards. {@code pan} is compiled with {@code -O0}: on this
 * project's 2-core machines the optimiser costs more time than it saves on these state spaces.
 *
 * <p>A check either holds (no error, the whole state space searched: {@link #assertHolds}) or must
 * catch a mutation of the protocol with the error the model's comment names ({@link
 * #assertCatches}), so that a model cannot pass by checking nothing.
 *
 * @param models the directory of the models (every {@code .pml} in it is copied, for includes)
 * @param maxDepth the search depth pan may reach; a run that needs more says so (and is not exhaustive)
 * @param memoryLimitMb the memory pan may use: a run that needs more stops and says so
 */
public record SpinModel(Path models, int maxDepth, int memoryLimitMb) {

  private static final Pattern STATES = Pattern.compile("(\\d+) states, stored");
  private static final Pattern DEPTH = Pattern.compile("depth reached (\\d+), errors: (\\d+)");
  private static final Pattern MEMORY = Pattern.compile("([\\d.]+)\\s+total actual memory usage");
  private static final Pattern SECONDS = Pattern.compile("pan: elapsed time ([\\d.e+]+) seconds");
  private static final Pattern FIRST_ERROR = Pattern.compile("pan:1: (.*) \\(at depth \\d+\\)");

  /**
   * The figures of one run: states stored, depth reached, errors found, whether the whole state
   * space was searched, memory (MiB) and time (s) as pan reports them, the first error, and pan's
   * output.
   *
   * @param states states stored
   * @param depth depth reached
   * @param errors errors found
   * @param exhaustive whether the whole state space was searched
   * @param memoryMb memory, as pan reports it (-1 if it did not)
   * @param seconds time, as pan reports it (-1 if it did not)
   * @param firstError the first error, or empty
   * @param output pan's output
   */
  public record Result(long states, int depth, int errors, boolean exhaustive, double memoryMb, double seconds,
      String firstError, String output) {

    /**
     * One line for the test log.
     *
     * @return the figures
     */
    public String figures() {
      return String.format("%,d states, depth %,d, %.1f MiB, %.2f s, %d error(s)%s", states, depth, memoryMb, seconds,
          errors, errors > 0 ? ": " + firstError : "");
    }
  }

  /**
   * Why checks cannot run here (no {@code spin} or no C compiler on the PATH), or empty.
   *
   * @return the reason, for a skipped test
   */
  public static Optional<String> missingTool() {
    if (!runs("spin", "-V")) {
      return Optional.of("spin is not installed (Debian package spin; .ci/run installs it)");
    }
    if (!runs("gcc", "--version")) {
      return Optional.of("no C compiler (gcc) on the PATH");
    }
    return Optional.empty();
  }

  /**
   * Skips the calling test, naming the reason, where checks cannot run ({@link #missingTool()}):
   * for a model test's {@code @BeforeAll}.
   */
  public static void assumeToolsPresent() {
    final Optional<String> missing = missingTool();
    org.assertj.core.api.Assumptions.assumeThat(missing).as("SPIN model check skipped: %s", missing.orElse(""))
        .isEmpty();
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
   * Checks {@code model} with no error expected: prints its figures, and fails unless SPIN found
   * no error and searched the whole state space.
   *
   * @param model a file of {@link #models()}
   * @param defines the scenario's C preprocessor defines, each "NAME" or "NAME=VALUE"
   * @param limit the bound on each step (spin, compile, search): a hang guard, not a measurement
   * @throws IOException if the temporary directory cannot be made
   * @throws InterruptedException if interrupted while a step runs
   */
  public void assertHolds(String model, List<String> defines, Duration limit) throws IOException, InterruptedException {
    assertHolds(new Run(model, defines), check(model, defines, limit));
  }

  /**
   * As {@link #assertHolds(String, List, Duration)}, on the result of a check made already (by
   * {@link #ahead}).
   *
   * @param run what was checked
   * @param r its result
   */
  public static void assertHolds(Run run, Result r) {
    System.out.printf("SPIN %s %s: %s%n", run.model(), run.defines(), r.figures());
    assertThat(r.errors()).as("errors found by SPIN (%s)\n%s", r.firstError(), r.output()).isZero();
    assertThat(r.exhaustive()).as("the search was complete\n%s", r.output()).isTrue();
  }

  /**
   * Checks {@code model} with a mutation among {@code defines}: prints its figures, and fails
   * unless SPIN reports an error whose text starts with {@code expected}.
   *
   * @param model a file of {@link #models()}
   * @param defines the scenario's defines, the mutation's among them
   * @param limit the bound on each step
   * @param expected the start of the error the mutation must cause ("invalid end state",
   *     "assertion violated" ...)
   * @throws IOException if the temporary directory cannot be made
   * @throws InterruptedException if interrupted while a step runs
   */
  public void assertCatches(String model, List<String> defines, Duration limit, String expected)
      throws IOException, InterruptedException {
    assertCatches(new Run(model, defines), check(model, defines, limit), expected);
  }

  /**
   * As {@link #assertCatches(String, List, Duration, String)}, on the result of a check made
   * already (by {@link #ahead}).
   *
   * @param run what was checked
   * @param r its result
   * @param expected the start of the error the mutation must cause
   */
  public static void assertCatches(Run run, Result r, String expected) {
    System.out.printf("SPIN %s %s: %s%n", run.model(), run.defines(), r.figures());
    assertThat(r.errors()).as("SPIN must report the mutation\n%s", r.output()).isPositive();
    assertThat(r.firstError()).as("the error the mutation must cause\n%s", r.output()).startsWith(expected);
  }

  /**
   * One check: a model file of {@link #models()} and a scenario's defines.
   *
   * @param model the file
   * @param defines the defines, each "NAME" or "NAME=VALUE"
   */
  public record Run(String model, List<String> defines) {

    /**
     * The run, its defines copied.
     *
     * @param model the file
     * @param defines the defines
     */
    public Run {
      defines = List.copyOf(defines);
    }

    /**
     * The run of {@code model} with the defines a parameterized test's arguments hold as an
     * {@code Object}: a list of strings.
     *
     * @param model the file
     * @param defines a {@code List<String>}
     * @return the run
     * @throws ClassCastException if {@code defines} is not a list of strings
     */
    public static Run of(String model, Object defines) {
      return new Run(model, ((List<?>) defines).stream().map(String.class::cast).toList());
    }
  }

  /**
   * Starts every check of {@code runs} now, {@link Ahead#PARALLELISM} at a time, in their order, so
   * that a model test's cases, which each wait for their own ({@link Ahead#result}), take half the
   * time on this project's 2-core machines: each check is one process at a time (spin, the
   * compiler, pan), and a test class runs its cases one after the other. For a model test's
   * {@code @BeforeAll}; close the result in its {@code @AfterAll}.
   *
   * @param runs the checks, in the order the tests will want them
   * @param limit the bound on each step of each check
   * @return the checks in flight
   */
  public Ahead ahead(List<Run> runs, Duration limit) {
    return new Ahead(this, runs, limit);
  }

  /**
   * Checks started ahead of the tests that judge them ({@link #ahead}). Thread-safe.
   */
  public static final class Ahead implements AutoCloseable {

    /** Checks at a time: one per core of the machines this project's suite runs on. */
    public static final int PARALLELISM = 2;

    private final ExecutorService pool;
    private final Map<Run, Future<Result>> started = new LinkedHashMap<>();

    private Ahead(SpinModel spin, List<Run> runs, Duration limit) {
      pool = Executors.newFixedThreadPool(PARALLELISM, Thread.ofPlatform().daemon().name("spin-ahead-", 0).factory());
      for (Run run : runs) {
        started.putIfAbsent(run, pool.submit(() -> spin.check(run.model(), run.defines(), limit)));
      }
      pool.shutdown();
    }

    /**
     * Waits for the check of {@code run}.
     *
     * @param run one of the runs started
     * @return its figures
     * @throws IllegalArgumentException if {@code run} was not started ahead
     * @throws IllegalStateException if the check failed (spin or the compiler, a step's limit)
     * @throws InterruptedException if interrupted while waiting
     */
    public Result result(Run run) throws InterruptedException {
      final Future<Result> f = started.get(run);
      if (f == null) {
        throw new IllegalArgumentException("no check of " + run + " was started ahead");
      }
      try {
        return f.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("the check of " + run + " failed: " + e.getCause(), e.getCause());
      }
    }

    /** Stops the checks still running or waiting (their processes are killed) and waits for them to go. */
    @Override
    public void close() throws InterruptedException {
      pool.shutdownNow();
      if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("SPIN checks did not stop within 60 s");
      }
    }
  }

  /**
   * Checks {@code model} with the defines {@code defines}, each step bounded by {@code limit}.
   *
   * @param model a file of {@link #models()}
   * @param defines the scenario's defines, each "NAME" or "NAME=VALUE"
   * @param limit the bound on each step
   * @return the figures
   * @throws IOException if the temporary directory cannot be made
   * @throws InterruptedException if interrupted while a step runs
   * @throws IllegalStateException if spin or the compiler fail, or a step outlives the limit
   */
  public Result check(String model, List<String> defines, Duration limit) throws IOException, InterruptedException {
    final Path dir = Files.createTempDirectory("nucleus-spin-");
    try {
      try (Stream<Path> files = Files.list(models)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".pml")).toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
      final List<String> spin = new ArrayList<>(List.of("spin", "-a"));
      defines.forEach(d -> spin.add("-D" + d));
      spin.add(model);
      run(dir, spin, limit, true);
      run(dir, List.of("gcc", "-O0", "-w", "-DSAFETY", "-DCOLLAPSE", "-DMEMLIM=" + memoryLimitMb, "-o", "pan", "pan.c"),
          limit, true);
      return parse(run(dir, List.of("./pan", "-m" + maxDepth, "-n"), limit, false));
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
    final boolean exhaustive = out.contains("Full statespace search for:")
        && !out.contains("max search depth too small") && !out.contains("out of memory")
        && !out.contains("reached -DMEMLIM");
    final Matcher error = FIRST_ERROR.matcher(out);
    return new Result(number(STATES, out), Integer.parseInt(depth.group(1)), Integer.parseInt(depth.group(2)),
        exhaustive, decimal(MEMORY, out), decimal(SECONDS, out), error.find() ? error.group(1) : "", out);
  }

  private static long number(Pattern p, String out) {
    final Matcher m = p.matcher(out);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static double decimal(Pattern p, String out) {
    final Matcher m = p.matcher(out);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  /** Runs {@code command} in {@code dir}; its output. Fails on a timeout, or on a non-zero exit if {@code mustSucceed}. */
  private static String run(Path dir, List<String> command, Duration limit, boolean mustSucceed)
      throws IOException, InterruptedException {
    final Path log = dir.resolve("step.log");
    final Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    final boolean ended;
    try {
      ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // a run given up leaves no process behind
      throw e;
    }
    if (!ended) {
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
