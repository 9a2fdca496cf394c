package dev.nucleus.system.internal;

import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import java.util.List;

/**
 * The root's {@link Names} server for one process component, exported in the component's gate:
 * the only space its process reaches in the root. Answers only for that component, so a process
 * learns nothing of routes that are not its own.
 */
final class NamesServer implements Names {

  /** The longest a resolve waits, whatever the caller asks: a pool thread is not held longer. */
  private static final long MAX_WAIT_NANOS = 30_000_000_000L;

  private final SystemRuntime runtime;
  private final Supervised component;

  NamesServer(SystemRuntime runtime, Supervised component) {
    this.runtime = runtime;
    this.component = component;
  }

  @Override
  public long resolve(String service, long waitNanos) {
    if (!SystemRuntime.imports(component, service)) {
      return NOT_IMPORTED;
    }
    final long wait = Math.clamp(waitNanos, 0, MAX_WAIT_NANOS);
    try {
      return runtime.awaitRoute(component, service, Timeout.now() + wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ThreadId.NIL;
    }
  }

  @Override
  public long deaths(String service, long seen, long waitNanos) {
    if (!SystemRuntime.imports(component, service)) {
      return NOT_IMPORTED;
    }
    try {
      return runtime.awaitDeaths(service, seen, Timeout.now() + Math.clamp(waitNanos, 0, MAX_WAIT_NANOS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return seen;
    }
  }

  @Override
  public void report(long callsServed, long[] threadIds, List<String> threadNames) {
    if (threadIds.length != threadNames.size() || threadIds.length > 64 || callsServed < 0) {
      return; // a broken report: keep the last good one
    }
    runtime.reported(component, callsServed, threadIds, threadNames);
  }
}
