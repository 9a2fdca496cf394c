package dev.nucleus.bench;

import dev.nucleus.bench.oneway.OneWayReport;
import dev.nucleus.bench.oneway.OneWayResult;
import dev.nucleus.bench.oneway.OneWayTable;
import dev.nucleus.bench.scaling.ScalingReport;
import dev.nucleus.bench.scaling.ScalingTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link BenchReport} as a fixed-width text table, the notes needed to read it, the
 * skipped mechanisms, and a one-line summary (always the last line).
 */
public final class ReportTable {

  private static final String[] HEADERS = {
    "mechanism", "runs", "iterations", "p50", "p90", "p99", "p99.9", "max", "rt/s", "floor", "ratio"
  };

  private ReportTable() {}

  /** Writes the table, notes and summary to {@code out}. */
  public static void print(BenchReport report, PrintStream out) {
    print(report, List.of(), out);
  }

  /**
   * Writes the table, notes, the verdict on each target in {@code targets} (none: no such block)
   * and the summary to {@code out}.
   */
  public static void print(BenchReport report, List<Targets.Verdict> targets, PrintStream out) {
    print(report, OneWayReport.empty(), targets, out);
  }

  /**
   * Writes the round-trip table and its notes (left out when no round-trip entry was selected),
   * the one-way throughput table ({@link OneWayTable}; left out when none), the verdicts and the
   * summary to {@code out}.
   */
  public static void print(
      BenchReport report, OneWayReport oneWay, List<Targets.Verdict> targets, PrintStream out) {
    print(report, oneWay, ScalingReport.empty(), targets, out);
  }

  /**
   * Writes the round-trip table and its notes (left out when no round-trip entry was selected),
   * the one-way throughput table ({@link OneWayTable}; left out when none), the scaling series
   * ({@link ScalingTable}; left out when none), the verdicts and the summary to {@code out}.
   */
  public static void print(BenchReport report, OneWayReport oneWay, ScalingReport scaling,
      List<Targets.Verdict> targets, PrintStream out) {
    if (!report.results().isEmpty() || !report.skipped().isEmpty() || oneWay.isEmpty() && scaling.isEmpty()) {
      printRoundTrips(report, out);
    }
    OneWayTable.print(oneWay, out);
    ScalingTable.print(scaling, out);
    if (!targets.isEmpty()) {
      out.println();
      out.println("Targets (docs/performance.md), judged on this bench's figures alone:");
      int met = 0;
      int bar = 0;
      for (Targets.Verdict v : targets) {
        out.println(label(v.outcome()) + v.target() + ": " + v.detail());
        if (v.outcome() == Targets.Outcome.MET) met++;
        if (v.outcome() == Targets.Outcome.BAR_MET) bar++;
      }
      out.println("targets: " + met + " of " + targets.size() + " met in this bench"
          + (bar == 0 ? "" : ", " + bar + " more at their bar"));
    }
    out.println();
    out.println(summary(report, oneWay, scaling));
  }

  private static void printRoundTrips(BenchReport report, PrintStream out) {
    out.println(
        "Round-trip latency in ns; each percentile is the median across runs of that run's"
            + " percentile.");
    out.println(
        "Each round trip is timed on its own with System.nanoTime (C: clock_gettime), which adds"
            + " ~20-25 ns.");
    out.println(
        "rt/s = 1e9 / mean round trip; ratio = p50 / p50 of the floor measured in this same"
            + " bench.");
    out.println();

    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (MechanismResult r : report.results()) rows.add(row(r));
    int[] widths = new int[HEADERS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
    }
    for (String[] row : rows) out.println(format(row, widths));

    List<String> allocations = new ArrayList<>();
    for (MechanismResult r : report.results()) {
      if (r.allocation() != null) {
        allocations.add(
            String.format(
                Locale.ROOT,
                "%s %.2f / %.2f",
                r.name(),
                r.allocation().clientBytesPerRoundTrip(),
                r.allocation().serverBytesPerRoundTrip()));
      }
    }
    if (!allocations.isEmpty()) {
      out.println(
          "heap bytes allocated per round trip, client / server (thread counters, median of runs): "
              + String.join(", ", allocations));
    }
    for (MechanismResult r : report.results()) {
      if (r.floor() != null && r.ratioToFloor() == null) {
        out.println(
            "ratio blank for " + r.name() + ": " + r.floor() + " was not measured in this bench");
      }
    }
    if (!report.skipped().isEmpty()) {
      out.println();
      for (Skipped s : report.skipped()) {
        out.println((s.failed() ? "FAILED  " : "skipped ") + s.name() + ": " + s.reason());
      }
    }
  }

  /** A verdict's outcome as the first column of its line. */
  private static String label(Targets.Outcome outcome) {
    return switch (outcome) {
      case MET -> "  met      ";
      case BAR_MET -> "  bar met  ";
      case MISSED -> "  NOT MET  ";
    };
  }

  /** The one-line summary, with the one-way entries' counts when there were any. */
  public static String summary(BenchReport report, OneWayReport oneWay) {
    if (oneWay.isEmpty()) {
      return summary(report);
    }
    long failed = oneWay.skipped().stream().filter(Skipped::failed).count();
    long measured = oneWay.results().stream().map(OneWayResult::name).distinct().count();
    return summary(report)
        + String.format(
            Locale.ROOT,
            "; one-way: %d measured, %d skipped, %d failed",
            measured,
            oneWay.skipped().size() - failed,
            failed);
  }

  /** The one-line summary, with the one-way entries' and the scaling series' counts when there were any. */
  public static String summary(BenchReport report, OneWayReport oneWay, ScalingReport scaling) {
    if (scaling.isEmpty()) {
      return summary(report, oneWay);
    }
    long failed = scaling.skipped().stream().filter(Skipped::failed).count();
    return summary(report, oneWay)
        + String.format(
            Locale.ROOT,
            "; scaling: %d measured, %d skipped, %d failed",
            scaling.results().size(),
            scaling.skipped().size() - failed,
            failed);
  }

  /** The one-line summary. */
  public static String summary(BenchReport report) {
    long failed = report.skipped().stream().filter(Skipped::failed).count();
    long skipped = report.skipped().size() - failed;
    int fewest = report.results().stream().mapToInt(MechanismResult::runs).min().orElse(report.runs());
    return String.format(
        Locale.ROOT,
        "bench: %d measured, %d skipped, %d failed; median of %d run(s) each%s; %.1f s in all",
        report.results().size(),
        skipped,
        failed,
        report.runs(),
        fewest < report.runs() ? " (" + fewest + " for some, see runs)" : "",
        report.elapsed().toMillis() / 1000.0);
  }

  private static String[] row(MechanismResult r) {
    Percentiles p = r.rttNs();
    return new String[] {
      r.name(),
      Integer.toString(r.runs()),
      Long.toString(r.iterations()),
      Long.toString(p.p50()),
      Long.toString(p.p90()),
      Long.toString(p.p99()),
      Long.toString(p.p999()),
      Long.toString(p.max()),
      String.format(Locale.ROOT, "%,.0f", r.opsPerSecond()),
      r.floor() == null ? "" : r.floor(),
      r.ratioToFloor() == null ? "" : String.format(Locale.ROOT, "%.2fx", r.ratioToFloor())
    };
  }

  /** Names and floors left-aligned, numbers right-aligned. */
  private static String format(String[] row, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i > 0) sb.append("  ");
      boolean left = i == 0 || i == 9;
      String cell = row[i];
      String pad = " ".repeat(widths[i] - cell.length());
      sb.append(left ? cell + pad : pad + cell);
    }
    return sb.toString().stripTrailing();
  }
}
