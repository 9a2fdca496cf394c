package dev.nucleus.bench.scaling;

import dev.nucleus.bench.Skipped;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a {@link ScalingReport} as a fixed-width table per series, with the notes needed to read it. */
public final class ScalingTable {

  private static final String[] HEADERS = {
    "clients", "processes", "median calls/s", "min..max calls/s", "p50", "p99", "speedup", "efficiency"
  };

  private ScalingTable() {}

  /**
   * Writes each series' table, and the series that were skipped or failed, to {@code out};
   * nothing for an empty report.
   *
   * @param report the scaling figures
   * @param out where to print
   */
  public static void print(ScalingReport report, PrintStream out) {
    if (report.isEmpty()) {
      return;
    }
    for (ScalingResult r : report.results()) {
      print(r, out);
    }
    if (report.results().isEmpty()) {
      out.println();
    }
    for (Skipped s : report.skipped()) {
      out.println((s.failed() ? "FAILED  " : "skipped ") + s.name() + ": " + s.reason());
    }
  }

  private static void print(ScalingResult r, PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "Throughput against concurrent clients (%s): %s; calls per second, median of %d"
        + " round(s) of %d ms and the slowest..fastest round.%n", r.name(), r.call(), r.rounds(), r.roundMs());
    out.printf(Locale.ROOT, "Server: one RpcServer pool of %d threads in the bench JVM; clients: threads of up to %d"
        + " client processes (client k in process k mod %d); %s waits; every reply checked by its client, every"
        + " request by the server (%,d calls in all).%n", r.serverThreads(), r.processes(), r.processes(),
        r.waitStrategy(), r.checkedCalls());
    out.println("speedup = calls/s over 1 client's; efficiency = speedup / clients (100% = linear);"
        + " p50/p99 = one call as its client timed it.");
    final int most = r.points().stream().mapToInt(ScalingPoint::clients).max().orElse(0);
    if (most > r.cpus()) {
      out.printf(Locale.ROOT, "This machine has %d CPU(s) for the clients and the server's threads together, so the"
          + " curve flattens from about %d clients on; it shows where, not what a larger machine would do.%n",
          r.cpus(), r.cpus());
    }
    final List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (ScalingPoint p : r.points()) {
      rows.add(new String[] {
        Integer.toString(p.clients()),
        Integer.toString(p.processes()),
        String.format(Locale.ROOT, "%,.0f", p.medianRate()),
        String.format(Locale.ROOT, "%,.0f..%,.0f", p.minRate(), p.maxRate()),
        micros(p.p50Ns()),
        micros(p.p99Ns()),
        r.speedup(p).map(s -> String.format(Locale.ROOT, "%.2fx", s)).orElse("-"),
        r.efficiency(p).map(e -> String.format(Locale.ROOT, "%.0f%%", 100 * e)).orElse("-")
      });
    }
    final int[] widths = new int[HEADERS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      final StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == 0 ? "" : "  ").append(" ".repeat(widths[i] - row[i].length())).append(row[i]);
      }
      out.println(line);
    }
  }

  /**
   * A latency as the table and the progress lines print it.
   *
   * @param ns nanoseconds, or negative for none
   * @return e.g. {@code 12.3 us}, or {@code -}
   */
  static String micros(long ns) {
    return ns < 0 ? "-" : String.format(Locale.ROOT, "%,.1f us", ns / 1e3);
  }
}
