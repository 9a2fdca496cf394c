package dev.nucleus.cli;

import dev.nucleus.cli.StatusSurvey.Found;
import dev.nucleus.cli.StatusSurvey.Running;
import dev.nucleus.cli.StatusSurvey.Unreadable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code nucleus ps}: the running systems on this machine, read from the status segments their
 * root tasks publish (docs/status-segment.md), as AeronStat reads Aeron's counters file. It maps
 * and reads only: a system never waits for it.
 *
 * <p>Exit codes: 0, also when no system is running; 1 if a named PID has no running system, or a
 * segment could not be read (each such segment is one line on stderr naming the file and the
 * field; the others are shown all the same); 2 for bad options. {@code --watch} runs until
 * interrupted (Ctrl-C).
 */
@Command(
    name = "ps",
    mixinStandardHelpOptions = true,
    description = {
      "Show the running systems: components, threads and their IPC states.",
      "",
      "Reads the status segment each running system's root task publishes (nucleus-status-<pid> in"
          + " --dir) without disturbing it: per system, each component's isolation, state, space,"
          + " pid, restarts, calls served and uptime, and under it its threads and what each is"
          + " doing in IPC. A segment whose root task has died is listed as stale, with the file to"
          + " delete."
    })
final class PsCommand implements Callable<Integer> {

  /** What {@link #frame} returns in --watch when the directory itself could not be listed. */
  private static final int FAILED_TO_LIST = -1;

  @Option(names = "--json", description = "print JSON instead of tables (with --watch: one line per frame)")
  boolean json;

  @Option(names = "--watch", description = "redraw every --interval until interrupted (Ctrl-C)")
  boolean watch;

  @Option(names = "--interval", defaultValue = "1s", converter = IntervalConverter.class, paramLabel = "TIME",
      description = "how often --watch redraws: 500ms, 2s, 1m (default ${DEFAULT-VALUE}; at least 100ms)")
  Duration interval;

  @Option(names = "--dir", defaultValue = "/dev/shm", paramLabel = "DIR",
      description = "where the status segments are (default ${DEFAULT-VALUE})")
  Path dir;

  @Parameters(arity = "0..1", paramLabel = "PID", description = "show only the system whose root task has this pid")
  Long pid;

  @Override
  public Integer call() {
    final PrintStream out = System.out;
    if (!watch) {
      return frame(out, true);
    }
    final boolean terminal = System.console() != null && !json;
    while (true) {
      if (terminal) {
        out.print("\033[H\033[2J"); // cursor home, clear the screen: redraw in place
      }
      if (!json) {
        out.println("every " + intervalText() + " from " + dir + "; Ctrl-C to stop");
      }
      final int code = frame(out, false);
      out.flush();
      if (code == FAILED_TO_LIST) {
        return 1;
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
  }

  /**
   * Surveys the directory once and prints it: the tables, or JSON indented ({@code pretty}) or on
   * one line. Returns the exit code of a one-shot ps.
   */
  private int frame(PrintStream out, boolean pretty) {
    final List<Found> found;
    try {
      found = StatusSurvey.take(dir, pid);
    } catch (NoSuchFileException e) {
      System.err.println("ps: no such directory " + dir);
      return watch ? FAILED_TO_LIST : 1;
    } catch (IOException e) {
      System.err.println("ps: cannot list " + dir + ": " + OutputFile.reason(e));
      return watch ? FAILED_TO_LIST : 1;
    }
    final Instant now = Instant.now();
    boolean unreadable = false;
    for (Found f : found) {
      if (f instanceof Unreadable u) {
        System.err.println("ps: " + u.error());
        unreadable = true;
      }
    }
    final boolean running = found.stream().anyMatch(f -> f instanceof Running);
    if (json) {
      out.println(PsJson.render(dir, found, now, pretty));
    } else {
      out.print(PsTable.render(found, now));
      if (!running && !unreadable && pid == null) {
        out.println("ps: no running system in " + dir);
      }
    }
    final boolean pidMissing = pid != null && !running && !unreadable;
    if (pidMissing) {
      System.err.println("ps: no running system with root pid " + pid + " in " + dir);
    }
    return unreadable || pidMissing ? 1 : 0;
  }

  /** {@code --interval}: a number and a unit (ms, s, m; s if none), at least 100 ms. */
  static final class IntervalConverter implements ITypeConverter<Duration> {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m)?");
    private static final Duration MIN = Duration.ofMillis(100);

    @Override
    public Duration convert(String value) {
      final Matcher m = TEXT.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new TypeConversionException("'" + value + "' is not a time such as 500ms, 2s or 1m");
      }
      final long n = Long.parseLong(m.group(1));
      final String unit = m.group(2) == null ? "s" : m.group(2);
      final Duration d = switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      };
      if (d.compareTo(MIN) < 0) {
        throw new TypeConversionException("'" + value + "' is shorter than 100ms");
      }
      return d;
    }
  }

  /** The interval as it was given: 500ms, 2s, 1m02s. */
  private String intervalText() {
    return interval.toMillisPart() != 0 ? interval.toMillis() + "ms" : PsTable.duration(interval);
  }
}
