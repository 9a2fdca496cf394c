package dev.nucleus.bench.oneway;

import dev.nucleus.bench.Skipped;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a {@link OneWayReport} as a fixed-width table with the notes needed to read it. */
public final class OneWayTable {

  private static final String[] HEADERS = {
    "one-way", "size", "rounds", "msgs/round", "median M/s", "min..max M/s", "retries", "B/msg send / recv"
  };

  private OneWayTable() {}

  /**
   * Writes the table, and the entries that were skipped or failed, to {@code out}; nothing for an
   * empty report.
   *
   * @param report the one-way figures
   * @param out where to print
   */
  public static void print(OneWayReport report, PrintStream out) {
    if (report.isEmpty()) {
      return;
    }
    out.println();
    out.println("One-way throughput, sender and receiver busy-spinning: messages per second (M = million),"
        + " median of the rounds and the slowest..fastest round; each message checked by the receiver.");
    out.println("retries = offers the mechanism refused (back-pressure); B/msg = heap bytes each side's thread"
        + " allocated per measured message.");
    final List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (OneWayResult r : report.results()) {
      rows.add(new String[] {
        r.name(),
        r.bytes() + " B",
        Integer.toString(r.rounds()),
        String.format(Locale.ROOT, "%,d", r.messages()),
        String.format(Locale.ROOT, "%.2f", r.medianRate() / 1e6),
        String.format(Locale.ROOT, "%.2f..%.2f", r.minRate() / 1e6, r.maxRate() / 1e6),
        String.format(Locale.ROOT, "%,d", r.retries()),
        bytes(r.senderBytesPerMessage()) + " / " + bytes(r.receiverBytesPerMessage())
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
        final String pad = " ".repeat(widths[i] - row[i].length());
        line.append(i == 0 ? "" : "  ").append(i == 0 || i == row.length - 1 ? row[i] + pad : pad + row[i]);
      }
      out.println(line.toString().stripTrailing());
    }
    for (Skipped s : report.skipped()) {
      out.println((s.failed() ? "FAILED  " : "skipped ") + s.name() + ": " + s.reason());
    }
  }

  /**
   * A bytes-per-message figure as the table prints it.
   *
   * @param perMessage bytes, or null where not counted
   * @return e.g. {@code 0.00}, or {@code -}
   */
  static String bytes(Double perMessage) {
    return perMessage == null ? "-" : String.format(Locale.ROOT, "%.2f", perMessage);
  }
}
