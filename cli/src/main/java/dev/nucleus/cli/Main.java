package dev.nucleus.cli;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code nucleus} command: one subcommand per job. The benchmarks ({@code bench}, {@code
 * jmh}) have their own entry point in the bench module; the {@code ./nucleus} launcher routes them
 * there, and so does {@code build} and {@code test} to Maven. This command lists them all.
 *
 * <p>Every error a user can cause is one line on stderr and a non-zero exit: 2 for bad options
 * (picocli's convention), 1 for a failure while running. A stack trace is printed only when the
 * environment variable {@code NUCLEUS_DEBUG} is set.
 */
@Command(
    name = "nucleus",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "An L4-style microkernel runtime for the JVM with fast local IPC.",
    subcommands = {DemoCommand.class, RunCommand.class, PsCommand.class, PingCommand.class, HelpCommand.class},
    footerHeading = "%nRun by the ./nucleus launcher:%n",
    footer = {
      "  bench  Measure IPC round trips against the hardware floor (bench module).",
      "  jmh    Run the JMH micro-benchmarks of the in-JVM fast path (bench module).",
      "  build  Build the jars; --install also installs them into ~/.m2.",
      "  test   Build and run the whole test suite (./mvnw verify).",
      "",
      "nucleus COMMAND --help shows a command's options."
    })
public final class Main {

  /** Commands the launcher runs itself or routes to another entry point. */
  private static final Set<String> LAUNCHER_COMMANDS = Set.of("bench", "jmh", "build", "test");

  private Main() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args e.g. {@code demo} or {@code ping --space thread}
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line and returns its exit code (tests call this).
   *
   * @param args e.g. {@code demo} or {@code ping --space thread}
   * @return 0 on success, 1 for a failure while running, 2 for bad options
   */
  public static int run(String... args) {
    return run(commandLine(CommandLine.defaultFactory()), args);
  }

  static int run(CommandLine commandLine, String... args) {
    if (args.length > 0 && LAUNCHER_COMMANDS.contains(args[0])) {
      commandLine.getErr().println("nucleus: '" + args[0] + "' is run by the ./nucleus launcher"
          + (args[0].equals("bench") || args[0].equals("jmh") ? " (from the bench module)" : "")
          + ": ./nucleus " + args[0]);
      commandLine.getErr().flush();
      return 2;
    }
    return OneLineErrors.execute(commandLine, args);
  }

  /** The command line with one-line error handlers; {@code factory} makes the commands. */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return OneLineErrors.install(new CommandLine(new Main(), factory));
  }

  /** The version of the build, from a resource Maven filtered. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"nucleus " + version()};
    }
  }

  /** The project version this was built as, or "(unknown version)" outside a Maven build. */
  static String version() {
    return OneLineErrors.version(Main.class);
  }

}
