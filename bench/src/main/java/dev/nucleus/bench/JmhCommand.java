package dev.nucleus.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code nucleus jmh}: runs the JMH benchmarks of the bench module; arguments go to JMH
 * unchanged, {@code -h} included. Only {@code --help} is this command's own.
 */
@Command(
    name = "jmh",
    description = {
      "Run the JMH micro-benchmarks of the in-JVM fast path.",
      "",
      "Arguments are JMH's own (nucleus jmh -h lists them), e.g.",
      "  nucleus jmh CallReplyWait -prof gc   (bytes per call: gc.alloc.rate.norm)",
      "  nucleus jmh Lrpc -prof gc            (the same for LRPC calls between thread spaces)",
      "  nucleus jmh -l                       (list benchmarks)"
    })
final class JmhCommand implements Callable<Integer> {

  @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  /** Everything after {@code jmh}, options included, belongs to JMH. */
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(args.toArray(String[]::new));
    return 0;
  }
}
