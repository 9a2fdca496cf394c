package dev.nucleus.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the bench harness lands. */
@Command(name = "bench", description = "Measure IPC round trips against the hardware floor.")
final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("bench: not yet");
    return 0;
  }
}
