package dev.nucleus.cli;

import dev.nucleus.cli.StatusSurvey.Found;
import dev.nucleus.cli.StatusSurvey.Running;
import dev.nucleus.cli.StatusSurvey.Stale;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.SystemStatus;
import dev.nucleus.system.ThreadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nucleus ps} as text: one table per running system, its components in rows, each
 * component's threads under it; then the stale segments, each with the file to delete. Strings
 * come from another process but were checked by the reader: no control character reaches the
 * terminal.
 */
final class PsTable {

  private static final String[] HEADINGS = {"COMPONENT", "ISOLATION", "STATE", "SPACE", "PID", "RESTARTS",
      "CALLS SERVED", "UPTIME"};
  /** Which columns are numbers, aligned right. */
  private static final boolean[] RIGHT = {false, false, false, true, true, true, true, true};

  private PsTable() {}

  /**
   * The text of {@code found}, as of {@code now}.
   *
   * @param found what the survey found (unreadable segments are reported elsewhere, on stderr)
   * @param now the time ages and uptimes are measured to
   * @return lines, each ending with a line break
   */
  static String render(List<Found> found, Instant now) {
    final List<String> blocks = new ArrayList<>();
    for (Found f : found) {
      if (f instanceof Running r) {
        final StringBuilder block = new StringBuilder();
        system(block, r, now);
        blocks.add(block.toString());
      }
    }
    final StringBuilder stale = new StringBuilder();
    for (Found f : found) {
      if (f instanceof Stale s) {
        stale.append("stale: ").append(s.path()).append(" (").append(s.reason()).append("); delete it: rm ")
            .append(s.path()).append('\n');
      }
    }
    if (!stale.isEmpty()) {
      blocks.add(stale.toString());
    }
    return String.join("\n", blocks); // a blank line between two systems, and before the stale ones
  }

  private static void system(StringBuilder out, Running r, Instant now) {
    final SystemStatus s = r.status();
    out.append("system ").append(s.system()).append(", root pid ").append(s.rootPid()).append(", up ")
        .append(duration(Duration.between(s.started(), now))).append(", updated ")
        .append(age(Duration.between(s.updated(), now))).append(" ago\n");
    final List<String[]> rows = new ArrayList<>();
    rows.add(HEADINGS);
    for (ComponentStatus c : s.components()) {
      rows.add(new String[] {c.name(), c.isolation(), c.state(), Integer.toString(c.space()),
          c.pid() == 0 ? "-" : Long.toString(c.pid()), Long.toString(c.restarts()), Long.toString(c.callsServed()),
          isUp(c) ? duration(Duration.between(c.since(), now)) : "-"});
    }
    final int[] widths = widths(rows, HEADINGS.length);
    final int[] threadWidths = threadWidths(s);
    for (int k = 0; k < rows.size(); k++) {
      out.append("  ");
      cells(out, rows.get(k), widths, RIGHT);
      if (k > 0) {
        for (ThreadStatus t : s.components().get(k - 1).threads()) {
          out.append("      ");
          cells(out, new String[] {ThreadId.toString(t.id()), t.name(), t.describe()}, threadWidths,
              new boolean[3]);
        }
      }
    }
    if (s.components().isEmpty()) {
      out.append("  (no components yet)\n");
    }
    if (s.truncated()) {
      out.append("  (truncated: the status segment had no room for every component and thread)\n");
    }
  }

  /** Whether a component in this state has an instance whose uptime means something. */
  private static boolean isUp(ComponentStatus c) {
    return !c.state().equals("stopped") && !c.state().equals("failed");
  }

  private static int[] threadWidths(SystemStatus s) {
    final int[] w = new int[3];
    for (ComponentStatus c : s.components()) {
      for (ThreadStatus t : c.threads()) {
        w[0] = Math.max(w[0], ThreadId.toString(t.id()).length());
        w[1] = Math.max(w[1], t.name().length());
      }
    }
    return w;
  }

  private static int[] widths(List<String[]> rows, int columns) {
    final int[] w = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        w[i] = Math.max(w[i], row[i].length());
      }
    }
    return w;
  }

  /** One line of cells two blanks apart; the last cell of a left-aligned line is not padded. */
  private static void cells(StringBuilder out, String[] cells, int[] widths, boolean[] right) {
    for (int i = 0; i < cells.length; i++) {
      final String pad = " ".repeat(Math.max(0, widths[i] - cells[i].length()));
      if (i > 0) {
        out.append("  ");
      }
      if (right[i]) {
        out.append(pad).append(cells[i]);
      } else {
        out.append(cells[i]).append(i == cells.length - 1 ? "" : pad);
      }
    }
    out.append('\n');
  }

  /**
   * A span as a person reads it: {@code 42s}, {@code 5m02s}, {@code 1h02m}, {@code 3d04h}.
   *
   * @param d a duration; a negative one (a clock stepped back) reads as 0s
   * @return the text
   */
  static String duration(Duration d) {
    final long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
  }

  /** An age: tenths of a second below 10 s ({@code 0.3s}), else as {@link #duration}. */
  static String age(Duration d) {
    final long ms = Math.max(0, d.toMillis());
    return ms < 10_000 ? String.format("%d.%ds", ms / 1000, ms % 1000 / 100) : duration(d);
  }
}
