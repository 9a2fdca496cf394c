package dev.nucleus.cli;

import dev.nucleus.bench.BenchPlan;
import dev.nucleus.bench.BenchReport;
import dev.nucleus.bench.BenchRunner;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.PingPong;
import dev.nucleus.bench.ReportChart;
import dev.nucleus.bench.IdleCost;
import dev.nucleus.bench.ReportJson;
import dev.nucleus.bench.ReportTable;
import dev.nucleus.bench.Targets;
import dev.nucleus.bench.UnknownMechanismException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import dev.nucleus.kernel.WaitStrategy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nucleus bench}: parses options and hands them to the bench harness ({@link BenchRunner});
 * all measuring lives in {@code dev.nucleus.bench}. Progress goes to stderr, the table and summary
 * to stdout. Exit codes: 0 done (unavailable mechanisms skipped), 1 a mechanism failed during a
 * run, 2 bad options (e.g. an unknown name in {@code --only}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure IPC round trips against the hardware floor and the mechanisms users pick today.",
      "Runs each mechanism several times (runs interleaved), times every round trip, and prints"
          + " p50/p90/p99/p99.9/max (median across runs) and the ratio of p50 to the floor"
          + " measured in the same bench. Peers (pipes, sockets, POSIX mq, Aeron, gRPC, RMI) run"
          + " their echo side in a child JVM; the Java floor, the Nucleus entries and the in-JVM"
          + " peers run in a fresh JVM per run. A full run (no --quick, no --only) also runs the"
          + " message-size sweep and writes JSON and a chart to bench/results/. Ends with the"
          + " verdict on each target of docs/performance.md that the selection covers."
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

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
              + " of the round trips, without the size sweep and the peers' in-JVM variants: a"
              + " fast check of everything the targets judge.")
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

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
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
      description = "Also draw the results: FILE.png or FILE.svg (latency per mechanism, and against size).")
  Path chart;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where a full run writes bench-<time>.json and .png when --json / --chart are not given"
              + " (default: bench/results in this checkout).")
  Path out;

  @Option(names = "--list", description = "List the mechanisms and whether they can run here.")
  boolean list;

  @Override
  public Integer call() throws IOException {
    MechanismRegistry registry = MechanismRegistry.defaults();
    if (list) {
      printList(registry);
      return 0;
    }
    List<PingPong> selected = select(registry);
    BenchPlan plan = plan();
    boolean full = !quick && (only == null || only.isEmpty());
    Path jsonFile = json;
    Path chartFile = chart;
    if (full && json == null && chart == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path dir = out != null ? out : defaultResultsDir();
      jsonFile = dir.resolve("bench-" + stamp + ".json");
      chartFile = dir.resolve("bench-" + stamp + ".png");
    }
    if (chartFile != null) checkChartName(chartFile);
    BenchReport report = new BenchRunner(System.err::println).run(selected, plan);
    final Map<String, Double> idle = idleCosts(selected);
    final List<Targets.Verdict> targets = Targets.check(report, idle);
    if (jsonFile != null) {
      ReportJson.write(report, idle, targets, jsonFile);
      System.err.println("bench: wrote " + jsonFile);
    }
    if (chartFile != null) {
      ReportChart.write(report, selected, chartFile);
      System.err.println("bench: wrote " + chartFile);
    }
    System.err.println();
    idle.forEach((setup, fraction) -> System.out.printf(
        "idle server (%s): %.3f%% of a core while waiting for calls%n", setup, 100 * fraction));
    ReportTable.print(report, targets, System.out); // ends with the one-line summary
    return report.anyFailed() ? 1 : 0;
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

  private List<PingPong> select(MechanismRegistry registry) {
    if (only != null && !only.isEmpty()) {
      try {
        return registry.select(only); // named sweep members run whatever --sizes says
      } catch (UnknownMechanismException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    boolean withSizes = sizes != null ? sizes : !quick;
    if (quick) {
      System.err.println("bench: --quick leaves out the peers' in-JVM variants (run them with --only or a full run)");
    }
    return registry.all().stream()
        .filter(m -> withSizes || !isSweep(m))
        .filter(m -> !quick || !MechanismRegistry.isInJvmPeer(m))
        .toList();
  }

  private static boolean isSweep(PingPong m) {
    MessageSize s = m.messageSize();
    return s != null && s.sweep();
  }

  private void checkChartName(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
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

  private static void printList(MechanismRegistry registry) {
    int width = registry.names().stream().mapToInt(String::length).max().orElse(0);
    for (PingPong m : registry.all()) {
      String reason = m.unavailableReason();
      String floor = (m.floor() == null ? "floor" : "vs " + m.floor()) + (isSweep(m) ? ", sweep" : "");
      System.out.printf(
          "%-" + width + "s  %-27s  %s%n",
          m.name(),
          floor,
          reason == null ? m.description() : "unavailable: " + reason);
    }
  }
}
