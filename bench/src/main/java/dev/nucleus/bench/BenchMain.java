package dev.nucleus.bench;

import dev.nucleus.cli.OneLineErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

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
    return OneLineErrors.execute(commandLine, args);
  }

  /** The command line with one-line error handlers; {@code factory} makes the commands. */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return OneLineErrors.install(new CommandLine(new BenchMain(), factory));
  }

  /** The version of the build, from a resource Maven filtered. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"nucleus bench " + version()};
    }
  }

  /** The project version this was built as, or "(unknown version)" outside a Maven build. */
  static String version() {
    return OneLineErrors.version(BenchMain.class);
  }

}
