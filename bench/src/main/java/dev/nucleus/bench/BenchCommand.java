package dev.nucleus.bench;

import dev.nucleus.bench.oneway.OneWayMechanism;
import dev.nucleus.bench.oneway.OneWayPlan;
import dev.nucleus.bench.oneway.OneWayReport;
import dev.nucleus.bench.oneway.OneWayRunner;
import dev.nucleus.bench.oneway.OneWayTargets;
import dev.nucleus.bench.scaling.ScalingPlan;
import dev.nucleus.bench.scaling.ScalingReport;
import dev.nucleus.bench.scaling.ScalingRunner;
import dev.nucleus.bench.scaling.ScalingSeries;
import dev.nucleus.cli.OutputFile;
import dev.nucleus.kernel.WaitStrategy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nucleus bench}: parses options and hands them to the bench harness ({@link BenchRunner}).
 * Progress goes to stderr, the table and summary to stdout. The output files are checked before
 * the run (a bad path fails at once) and written after the table is printed (a failed write loses
 * no results). Exit codes: 0 done (unavailable mechanisms skipped), 1 a mechanism failed during a
 * run or a result file could not be written, 2 bad options (e.g. an unknown name in {@code
 * --only}, an output file that cannot be written).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure IPC round trips against the hardware floor.",
      "",
      "Compares Nucleus with the hardware floor and with the mechanisms users pick today. Runs"
          + " each mechanism several times (runs interleaved), times every round trip, and prints"
          + " p50/p90/p99/p99.9/max (median across runs) and the ratio of p50 to the floor"
          + " measured in the same bench. Peers (pipes, sockets, POSIX mq, Aeron, gRPC, RMI) run"
          + " their echo side in a child JVM; the Java floor, the Nucleus entries and the in-JVM"
          + " peers run in a fresh JVM per run. A full run (no --quick, no --only) also runs the"
          + " message-size sweep and writes JSON and a chart to bench/results/. Ends with the"
          + " verdict on each target of docs/performance.md that the selection covers.",
      "",
      "One-way throughput entries (queue-process, aeron-ipc-oneway, queue-thread, agrona-oneway,"
          + " jctools-oneway) stream 8- and 56-byte messages and report messages per second;"
          + " --quick runs the two-process pair, a full run all five; --runs sets their rounds,"
          + " --iterations their messages per round.",
      "",
      "The scaling series (lrpc-scaling) measures LRPC echo calls per second against 1, 2, 4 ..."
          + " 64 concurrent clients (threads of 4 client processes) on one server pool, every reply"
          + " checked, and prints each count's speedup and efficiency over one client; it runs in"
          + " full runs and with --only, not with --quick; --runs sets its rounds.",
      "",
      "Output files are checked before the run and written after the table is printed."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private final Supplier<MechanismRegistry> registry;
  private final Supplier<List<OneWayMechanism>> oneWayEntries;
  private final Supplier<List<ScalingSeries>> scalingEntries;

  /**
   * The command over {@link MechanismRegistry#defaults()}, {@link OneWayMechanism#defaults()} and
   * {@link ScalingSeries#defaults()}.
   */
  BenchCommand() {
    this(MechanismRegistry::defaults, OneWayMechanism::defaults, ScalingSeries::defaults);
  }

  /** The command over the mechanisms of {@code registry}, no one-way entry and no scaling series (tests). */
  BenchCommand(Supplier<MechanismRegistry> registry) {
    this(registry, List::of, List::of);
  }

  /** The command over {@code registry}'s round-trip entries and {@code oneWay}'s throughput entries. */
  BenchCommand(Supplier<MechanismRegistry> registry, Supplier<List<OneWayMechanism>> oneWay) {
    this(registry, oneWay, List::of);
  }

  /**
   * The command over {@code registry}'s round-trip entries, {@code oneWay}'s throughput entries and
   * {@code scaling}'s series.
   */
  BenchCommand(Supplier<MechanismRegistry> registry, Supplier<List<OneWayMechanism>> oneWay,
      Supplier<List<ScalingSeries>> scaling) {
    this.registry = registry;
    this.oneWayEntries = oneWay;
    this.scalingEntries = scaling;
  }

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "NAME",
      description = "Run only these mechanisms (comma-separated). See --list.")
  List<String> only;

  @Option(
      names = "--quick",
      description =
          "Fewer runs ("
              + BenchPlan.QUICK_RUNS
              + ") and 1/"
              + BenchPlan.QUICK_DIVISOR
              + " of the round trips, without the size sweep, the peers' in-JVM variants, the"
              + " LRPC call over gRPC and RMI (grpc-kv-null, rmi-kv-null), queue-pingpong-process,"
              + " the in-JVM one-way entries and the scaling series: a fast check of what the targets"
              + " judge.")
  boolean quick;

  @Option(
      names = "--runs",
      paramLabel = "N",
      description = "Runs per mechanism (default " + BenchPlan.DEFAULT_RUNS + ").")
  Integer runs;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description = "Measured round trips per run, for every mechanism (default: each one's own).")
  Integer iterations;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description =
          "Unmeasured round trips before each run (default: half the iterations; 10000 for gRPC"
              + " and RMI unless --iterations is given).")
  Integer warmup;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the results as JSON (the directory must exist).")
  Path json;

  @Option(
      names = "--sizes",
      negatable = true,
      description =
          "Include the message-size sweep (Nucleus with 1/8/63 registers, peers with 64 B..64 KiB)."
              + " Default: on for a full run, off for --quick.")
  Boolean sizes;

  @Option(
      names = "--chart",
      paramLabel = "FILE",
      description =
          "Also draw the results: FILE.png or FILE.svg (latency per mechanism, and against size;"
              + " the directory must exist).")
  Path chart;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where a full run writes bench-<time>.json and .png when --json / --chart are not given"
              + " (default: bench/results in this checkout; created if missing).")
  Path out;

  @Option(names = "--list", description = "List the mechanisms and whether they can run here.")
  boolean list;

  @Override
  public Integer call() {
    MechanismRegistry mechanisms = registry.get();
    List<OneWayMechanism> oneWay = oneWayEntries.get();
    List<ScalingSeries> scaling = scalingEntries.get();
    if (list) {
      printList(mechanisms, oneWay, scaling);
      return 0;
    }
    BenchPlan plan = plan();
    boolean full = !quick && (only == null || only.isEmpty());
    Path jsonFile = json;
    Path chartFile = chart;
    String jsonOption = "--json";
    String chartOption = "--chart";
    if (full && json == null && chart == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path dir = out != null ? out : defaultResultsDir();
      String problem = createDirectory(dir);
      if (problem != null) {
        return badOutput(out != null ? "--out" : "the results directory", dir, problem);
      }
      jsonFile = dir.resolve("bench-" + stamp + ".json");
      chartFile = dir.resolve("bench-" + stamp + ".png");
      jsonOption = chartOption = out != null ? "--out" : "the results directory";
    }
    if (chartFile != null) checkChartName(chartFile);
    // Before the run, not after it: a bad path must not cost the user a whole bench.
    for (Path file : new Path[] {jsonFile, chartFile}) {
      if (file == null) continue;
      String problem = OutputFile.problem(file).orElse(null);
      if (problem != null) return badOutput(file == jsonFile ? jsonOption : chartOption, file, problem);
    }
    List<PingPong> selected = select(mechanisms, oneWay, scaling);
    List<OneWayMechanism> oneWaySelected = selectOneWay(oneWay);
    List<ScalingSeries> scalingSelected = selectScaling(scaling);

    BenchReport report =
        selected.isEmpty() && (!oneWaySelected.isEmpty() || !scalingSelected.isEmpty())
            ? new BenchReport(List.of(), List.of(), plan.runs(), Duration.ZERO)
            : new BenchRunner(System.err::println).run(selected, plan);
    final OneWayReport oneWayReport =
        new OneWayRunner(System.err::println).run(oneWaySelected, OneWayPlan.schedule(plan));
    final ScalingReport scalingReport =
        new ScalingRunner(System.err::println).run(scalingSelected, ScalingPlan.of(plan));
    final Map<String, Double> idle = idleCosts(selected);
    final List<Targets.Verdict> targets = new ArrayList<>(Targets.check(report, idle));
    targets.addAll(OneWayTargets.check(oneWayReport));
    // The results first, then the files: a write that fails now loses nothing.
    System.err.println();
    idle.forEach((setup, fraction) -> System.out.printf(
        "idle server (%s): %.3f%% of a core while waiting for calls%n", setup, 100 * fraction));
    ReportTable.print(report, oneWayReport, scalingReport, targets, System.out); // ends with the one-line summary
    System.out.flush();
    boolean written = true;
    if (jsonFile != null) {
      final Path file = jsonFile;
      written &= write(file, () -> ReportJson.write(report, oneWayReport, scalingReport, idle, targets, file));
    }
    if (chartFile != null) {
      final Path file = chartFile;
      written &= write(file, () -> ReportChart.write(report, selected, file));
    }
    return report.anyFailed() || oneWayReport.anyFailed() || scalingReport.anyFailed() || !written ? 1 : 0;
  }

  /** What writes one result file. */
  private interface Writer {
    void write() throws IOException;
  }

  /** Writes one result file; on failure says so in one line on stderr and returns false. */
  private static boolean write(Path file, Writer writer) {
    final PrintStream err = System.err;
    try {
      writer.write();
      err.println("bench: wrote " + file);
      return true;
    } catch (IOException | RuntimeException e) {
      err.println("bench: cannot write " + file + ": " + OutputFile.reason(e) + " (the results are above)");
      return false;
    }
  }

  /** One line on stderr for an output path that cannot be written; exit code 2, as bad options. */
  private static int badOutput(String option, Path file, String problem) {
    System.err.println("bench: cannot write " + option + " " + file + ": " + problem);
    return 2;
  }

  /** Creates {@code dir} if missing; null when it exists as a directory, else why not. */
  private static String createDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      return null;
    } catch (IOException | SecurityException e) {
      return OutputFile.reason(e);
    }
  }

  /**
   * What an idle ADAPTIVE server costs (target: under 5% of a core), measured for each adaptive
   * Nucleus mechanism that was selected, over one second of silence after a burst of calls.
   */
  private static Map<String, Double> idleCosts(List<PingPong> selected) {
    final Map<String, Double> out = new LinkedHashMap<>();
    try {
      if (selected.stream().anyMatch(m -> m.name().equals("nucleus-thread-adaptive"))) {
        System.err.println("bench: measuring an idle adaptive server (thread space), 1 s");
        out.put("nucleus-thread-adaptive", IdleCost.serverCoreFraction(WaitStrategy.ADAPTIVE, Duration.ofSeconds(1)));
      }
      if (selected.stream().anyMatch(m -> m.name().equals("nucleus-process-adaptive"))) {
        System.err.println("bench: measuring an idle adaptive server (process space, whole JVM), 1 s");
        out.put("nucleus-process-adaptive", IdleCost.processServerCoreFraction(WaitStrategy.ADAPTIVE, Duration.ofSeconds(1)));
      }
    } catch (Exception e) {
      System.err.println("bench: idle-server measurement failed: " + e);
    }
    return out;
  }

  private List<PingPong> select(MechanismRegistry registry, List<OneWayMechanism> oneWay,
      List<ScalingSeries> scaling) {
    if (only != null && !only.isEmpty()) {
      final Set<String> otherNames =
          oneWay.stream().map(OneWayMechanism::name).collect(Collectors.toCollection(HashSet::new));
      scaling.forEach(s -> otherNames.add(s.name()));
      final List<String> roundTrips = only.stream().map(String::strip).filter(n -> !otherNames.contains(n)).toList();
      final List<String> unknown =
          roundTrips.stream().filter(n -> !n.isEmpty() && !registry.names().contains(n)).distinct().toList();
      if (!unknown.isEmpty()) {
        final List<String> known = new ArrayList<>(registry.names());
        oneWay.forEach(m -> known.add(m.name()));
        scaling.forEach(s -> known.add(s.name()));
        throw new ParameterException(spec.commandLine(), new UnknownMechanismException(unknown, known).getMessage());
      }
      return registry.select(roundTrips); // named sweep members run whatever --sizes says
    }
    if (quick) {
      System.err.println("bench: --quick leaves out the peers' in-JVM variants, grpc-kv-null, rmi-kv-null,"
          + " queue-pingpong-process, the in-JVM one-way entries and the scaling series (run them with --only"
          + " or a full run)");
    }
    return selection(registry, quick, sizes);
  }

  /** The one-way entries to run: those {@code --only} names; else all, or for --quick the two-process pair. */
  private List<OneWayMechanism> selectOneWay(List<OneWayMechanism> oneWay) {
    if (only != null && !only.isEmpty()) {
      final Set<String> wanted = only.stream().map(String::strip).collect(Collectors.toSet());
      return oneWay.stream().filter(m -> wanted.contains(m.name())).toList();
    }
    return oneWaySelection(oneWay, quick);
  }

  /** The scaling series to run: those {@code --only} names; else all, none for --quick. */
  private List<ScalingSeries> selectScaling(List<ScalingSeries> scaling) {
    if (only != null && !only.isEmpty()) {
      final Set<String> wanted = only.stream().map(String::strip).collect(Collectors.toSet());
      return scaling.stream().filter(s -> wanted.contains(s.name())).toList();
    }
    return scalingSelection(scaling, quick);
  }

  /**
   * What a bench without {@code --only} runs of the scaling series: all of them, none for {@code
   * quick} (at quick sizes the series would still take 6-10 s on 2 vCPUs, mostly starting its four
   * client JVMs: more than a quick check should spend on a figure no target judges).
   */
  static List<ScalingSeries> scalingSelection(List<ScalingSeries> scaling, boolean quick) {
    return quick ? List.of() : scaling;
  }

  /**
   * What a bench without {@code --only} runs of the one-way entries: all of them, or for {@code
   * quick} those that say {@link OneWayMechanism#inQuick()}.
   */
  static List<OneWayMechanism> oneWaySelection(List<OneWayMechanism> oneWay, boolean quick) {
    return oneWay.stream().filter(m -> !quick || m.inQuick()).toList();
  }

  /**
   * What a bench without {@code --only} runs: every mechanism of {@code registry}, less the size
   * sweep unless {@code sizes} says so (by default: only in a full run), and, for {@code quick},
   * less the peers' in-JVM variants and the kv peers' null calls ({@link MechanismRegistry#isKvPeer}).
   *
   * @param sizes {@code --sizes} / {@code --no-sizes}, or null when not given
   */
  static List<PingPong> selection(MechanismRegistry registry, boolean quick, Boolean sizes) {
    final boolean withSizes = sizes != null ? sizes : !quick;
    return registry.all().stream()
        .filter(m -> withSizes || !isSweep(m))
        .filter(m -> !quick || !MechanismRegistry.isInJvmPeer(m) && !MechanismRegistry.isKvPeer(m)
            && !MechanismRegistry.isQueuePingPong(m))
        .toList();
  }

  private static boolean isSweep(PingPong m) {
    MessageSize s = m.messageSize();
    return s != null && s.sweep();
  }

  private void checkChartName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".png") && !name.endsWith(".svg")) {
      throw new ParameterException(spec.commandLine(), "--chart must name a .png or .svg file: " + file);
    }
  }

  /**
   * {@code bench/results} of the checkout this CLI was built in (found from the jar's location),
   * else {@code ./bench-results}.
   */
  private static Path defaultResultsDir() {
    try {
      Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = jar.getParent(); p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve("bench").resolve("pom.xml"))) return p.resolve("bench").resolve("results");
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      // fall through
    }
    return Path.of("bench-results");
  }

  private BenchPlan plan() {
    BenchPlan plan = quick ? BenchPlan.quickPlan() : BenchPlan.standard();
    if (runs != null) plan = plan.withRuns(positive("--runs", runs, 1));
    if (iterations != null) plan = plan.withIterations(positive("--iterations", iterations, 1));
    if (warmup != null) plan = plan.withWarmup(positive("--warmup", warmup, 0));
    return plan;
  }

  private int positive(String option, int value, int min) {
    if (value < min) {
      throw new ParameterException(
          spec.commandLine(), option + " must be >= " + min + ", got " + value);
    }
    return value;
  }

  private static void printList(MechanismRegistry registry, List<OneWayMechanism> oneWay,
      List<ScalingSeries> scaling) {
    int width =
        Math.max(
            Math.max(
                registry.names().stream().mapToInt(String::length).max().orElse(0),
                oneWay.stream().mapToInt(m -> m.name().length()).max().orElse(0)),
            scaling.stream().mapToInt(s -> s.name().length()).max().orElse(0));
    for (PingPong m : registry.all()) {
      String reason = m.unavailableReason();
      String floor = (m.floor() == null ? "floor" : "vs " + m.floor()) + (isSweep(m) ? ", sweep" : "");
      System.out.printf(
          "%-" + width + "s  %-27s  %s%n",
          m.name(),
          floor,
          reason == null ? m.description() : "unavailable: " + reason);
    }
    for (OneWayMechanism m : oneWay) {
      String reason = m.unavailableReason();
      System.out.printf(
          "%-" + width + "s  %-27s  %s%n",
          m.name(),
          "one-way" + (m.inQuick() ? ", quick" : ""),
          reason == null ? m.description() : "unavailable: " + reason);
    }
    for (ScalingSeries s : scaling) {
      String reason = s.unavailableReason();
      System.out.printf(
          "%-" + width + "s  %-27s  %s%n",
          s.name(),
          "scaling series",
          reason == null ? s.description() : "unavailable: " + reason);
    }
  }
}
