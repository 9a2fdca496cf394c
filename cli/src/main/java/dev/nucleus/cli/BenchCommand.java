package dev.nucleus.cli;

import dev.nucleus.bench.BenchPlan;
import dev.nucleus.bench.BenchReport;
import dev.nucleus.bench.BenchRunner;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.PingPong;
import dev.nucleus.bench.ReportJson;
import dev.nucleus.bench.ReportTable;
import dev.nucleus.bench.UnknownMechanismException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
      "Measure IPC round trips against the hardware floor.",
      "Runs each mechanism several times (runs interleaved), times every round trip, and prints"
          + " p50/p90/p99/p99.9/max (median across runs) and the ratio of p50 to the floor"
          + " measured in the same bench."
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
              + " of the round trips: a fast check of the whole default set.")
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
      description = "Unmeasured round trips before each run (default: half the iterations).")
  Integer warmup;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

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
    BenchReport report = new BenchRunner(System.err::println).run(selected, plan);
    if (json != null) {
      ReportJson.write(report, json);
      System.err.println("bench: wrote " + json);
    }
    System.err.println();
    ReportTable.print(report, System.out); // ends with the one-line summary
    return report.anyFailed() ? 1 : 0;
  }

  private List<PingPong> select(MechanismRegistry registry) {
    if (only == null || only.isEmpty()) return registry.all();
    try {
      return registry.select(only);
    } catch (UnknownMechanismException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
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
      String floor = m.floor() == null ? "floor" : "vs " + m.floor();
      System.out.printf(
          "%-" + width + "s  %-20s  %s%n",
          m.name(),
          floor,
          reason == null ? m.description() : "unavailable: " + reason);
    }
  }
}
