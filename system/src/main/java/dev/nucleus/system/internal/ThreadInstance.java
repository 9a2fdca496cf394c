package dev.nucleus.system.internal;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Space;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An instance in a thread space of the root JVM: the component runs on the space's main thread. */
final class ThreadInstance extends Instance {

  private static final Duration STOP_PATIENCE = Duration.ofSeconds(5);

  final Space space;
  LocalContext context;

  ThreadInstance(Supervised owner, Space space) {
    super(owner);
    this.space = space;
  }

  @Override
  int spaceNumber() {
    return space.number();
  }

  @Override
  long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  long callsServed() {
    final LocalContext c = context;
    return c == null ? 0 : c.callsServed();
  }

  @Override
  Threads threads() {
    final List<IpcThread> threads = space.threads();
    final long[] ids = new long[threads.size()];
    final List<String> names = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = threads.get(i).id();
      names.add(threads.get(i).name());
    }
    return new Threads(ids, names);
  }

  @Override
  void stop() {
    stopping = true;
    final LocalContext c = context;
    if (c != null) {
      c.closeAll();
    }
    space.end();
    try {
      space.awaitTermination(STOP_PATIENCE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
