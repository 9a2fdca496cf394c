package dev.nucleus.system.internal;

import dev.nucleus.kernel.ProcessSpace;
import java.time.Duration;
import java.util.List;

/** An instance in a process space of its own, hosted by {@link ProcessHostMain}. */
final class ProcessInstance extends Instance {

  private static final Duration STOP_PATIENCE = Duration.ofSeconds(5);

  final ProcessSpace process;
  private volatile long calls;
  private volatile Threads threads = new Threads(new long[0], List.of());

  ProcessInstance(Supervised owner, ProcessSpace process) {
    super(owner);
    this.process = process;
  }

  /** What the process reported last (through its Names server). */
  void reported(long callsServed, long[] ids, List<String> names) {
    calls = callsServed;
    threads = new Threads(ids.clone(), List.copyOf(names));
  }

  @Override
  int spaceNumber() {
    return process.number();
  }

  @Override
  long pid() {
    return process.pid();
  }

  @Override
  long callsServed() {
    return calls;
  }

  @Override
  Threads threads() {
    return threads;
  }

  @Override
  void stop() {
    stopping = true;
    process.close();
    try {
      process.awaitExit(STOP_PATIENCE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
