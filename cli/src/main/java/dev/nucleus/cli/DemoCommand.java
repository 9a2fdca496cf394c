package dev.nucleus.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the demo system lands. */
@Command(name = "demo", description = "Boot a small system of thread spaces and show IPC at work.")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("demo: not yet");
    return 0;
  }
}
