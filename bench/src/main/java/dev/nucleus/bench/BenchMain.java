package dev.nucleus.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The bench's own entry point: {@code nucleus bench} and {@code nucleus jmh}, which the {@code
 * ./nucleus} launcher routes here (the {@code nucleus} command itself does not depend on the
 * bench). Runs on the class path: JMH, Aeron and gRPC are not modular.
 *
 * <p>Every error a user can cause is one line on stderr and a non-zero exit: 2 for bad options,
 * 1 for a failure while running. A stack trace is printed only when the environment variable
 * {@code NUCLEUS_DEBUG} is set.
 */
@Command(
    name = "nucleus",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    description = "The Nucleus measuring stick: IPC round trips against the hardware floor, and JMH.",
    subcommands = {BenchCommand.class, JmhCommand.class, HelpCommand.class})
public final class BenchMain {

  private BenchMain() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args e.g. {@code bench --quick} or {@code jmh -l}
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line and returns its exit code (tests call this).
   *
   * @param args e.g. {@code bench --quick} or {@code jmh -l}
   * @return 0 on success, 1 for a failure while running, 2 for bad options
   */
  public static int run(String... args) {
    return run(commandLine(CommandLine.defaultFactory()), args);
  }

  static int run(CommandLine commandLine, String... args) {
    try {
      return commandLine.execute(args);
    } catch (Error e) { // picocli hands Errors on; the user still gets one line, naming the command
      ParseResult parsed = commandLine.getParseResult();
      while (parsed != null && parsed.hasSubcommand()) {
        parsed = parsed.subcommand();
      }
      return failed(e, parsed != null ? parsed.commandSpec().commandLine() : commandLine, parsed);
    }
  }

  /** The command line with one-line error handlers; {@code factory} makes the commands. */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return new CommandLine(new BenchMain(), factory)
        .setParameterExceptionHandler(BenchMain::badArguments)
        .setExecutionExceptionHandler(BenchMain::failed);
  }

  /** Bad options: one line naming the command and where to look, exit code 2. */
  private static int badArguments(ParameterException e, String[] args) {
    final CommandLine cmd = e.getCommandLine();
    final String name = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println(name + ": " + oneLine(e.getMessage()) + " (see " + name + " --help)");
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** A failure while running: one line, the stack trace only with NUCLEUS_DEBUG set; exit code 1. */
  private static int failed(Throwable e, CommandLine cmd, ParseResult parsed) {
    final PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandName() + ": " + describe(e) + " [" + e.getClass().getSimpleName()
        + "; NUCLEUS_DEBUG=1 shows the stack trace]");
    if (System.getenv("NUCLEUS_DEBUG") != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  /**
   * {@code e}'s message and those of its causes that add something, on one line ("a: b"); the
   * exception's class name where it has no message.
   */
  static String describe(Throwable e) {
    final StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 1000; t = t.getCause() == t ? null : t.getCause()) {
      final String m = t.getMessage() == null || t.getMessage().isBlank() ? null : oneLine(t.getMessage());
      if (m == null) {
        if (sb.isEmpty()) {
          sb.append(t);
        }
      } else if (!sb.toString().contains(m)) {
        sb.append(sb.isEmpty() ? "" : ": ").append(m);
      }
    }
    return sb.toString();
  }

  /** {@code text} on one line: line breaks and the blanks around them become "; ". */
  static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /** The version of the build, from a resource Maven filtered. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"nucleus bench " + version()};
    }
  }

  /** The project version this bench was built as, or "(unknown version)" outside a Maven build. */
  static String version() {
    try (InputStream in = BenchMain.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        final Properties p = new Properties();
        p.load(in);
        final String v = p.getProperty("version", "");
        if (!v.isBlank() && !v.contains("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "(unknown version)";
  }
}
