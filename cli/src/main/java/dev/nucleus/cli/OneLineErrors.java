package dev.nucleus.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How every Nucleus command line reports what went wrong: one line on standard error and a
 * non-zero exit code, never a stack trace (unless {@code NUCLEUS_DEBUG} is set). Used by the
 * {@code nucleus} command and by the bench's entry point.
 *
 * <p>Thread-safety: stateless; the handlers write to the command line's error stream.
 */
public final class OneLineErrors {

  private OneLineErrors() {}

  /**
   * Installs the one-line handlers on {@code commandLine}: bad arguments exit with picocli's
   * invalid-input code (2), failures while running with 1.
   *
   * @param commandLine the command line to configure
   * @return {@code commandLine}
   */
  public static CommandLine install(CommandLine commandLine) {
    return commandLine.setParameterExceptionHandler(OneLineErrors::badArguments)
        .setExecutionExceptionHandler(OneLineErrors::failed);
  }

  /**
   * Runs {@code commandLine} on {@code args}; an Error that picocli hands on is reported in one
   * line too, naming the command that was running.
   *
   * @param commandLine a command line with the handlers {@link #install}ed
   * @param args the arguments
   * @return the exit code
   */
  public static int execute(CommandLine commandLine, String... args) {
    try {
      return commandLine.execute(args);
    } catch (Error e) {
      ParseResult parsed = commandLine.getParseResult();
      while (parsed != null && parsed.hasSubcommand()) {
        parsed = parsed.subcommand();
      }
      return failed(e, parsed != null ? parsed.commandSpec().commandLine() : commandLine, parsed);
    }
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
   *
   * @param e the failure
   * @return one line, at most about 1,000 characters
   */
  public static String describe(Throwable e) {
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

  /**
   * {@code text} on one line: line breaks and the blanks around them become "; ".
   *
   * @param text any text
   * @return the text, stripped, on one line
   */
  public static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /**
   * The project version a module was built as: the {@code version} property of the
   * Maven-filtered {@code version.properties} next to {@code anchor}.
   *
   * @param anchor a class of the module, beside its version.properties
   * @return the version, or "(unknown version)" outside a Maven build
   */
  public static String version(Class<?> anchor) {
    try (InputStream in = anchor.getResourceAsStream("version.properties")) {
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
