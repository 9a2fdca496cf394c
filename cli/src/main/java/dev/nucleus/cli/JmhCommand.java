package dev.nucleus.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Runs the JMH benchmarks of the bench module; arguments go to JMH unchanged. */
@Command(
    name = "jmh",
    description = {
      "Run the JMH micro-benchmarks (in-JVM fast path). Arguments are JMH's own, e.g.",
      "  nucleus jmh CallReplyWait -prof gc     (allocation per call: gc.alloc.rate.norm)",
      "  nucleus jmh -l                         (list benchmarks)"
    })
final class JmhCommand implements Callable<Integer> {

  /** Everything after {@code jmh}, options included, belongs to JMH. */
  @Unmatched List<String> args = new java.util.ArrayList<>();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(args.toArray(String[]::new));
    return 0;
  }
}
