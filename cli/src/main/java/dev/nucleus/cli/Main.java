package dev.nucleus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nucleus} command: one subcommand per job. */
@Command(
    name = "nucleus",
    mixinStandardHelpOptions = true,
    version = "nucleus 0.1.0",
    description = "An L4-style microkernel runtime for the JVM with fast local IPC.",
    subcommands = {DemoCommand.class, PingCommand.class, BenchCommand.class, JmhCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }
}
