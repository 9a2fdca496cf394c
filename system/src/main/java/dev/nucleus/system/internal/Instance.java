package dev.nucleus.system.internal;

import dev.nucleus.kernel.ThreadId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * One run of a component, from its start to its end: a thread space or a process space. The
 * supervisor makes a new one for each restart, with fresh ids.
 */
abstract class Instance {

  /** What a process component last reported, or a thread component's threads now. */
  record Threads(long[] ids, List<String> names) {}

  private final Supervised owner;
  /** Counts down when every provided service is exported (or the instance ends first). */
  final CountDownLatch ready;
  /** The process instances this one has a peer link to (guarded by the runtime's lock). */
  final Set<ProcessInstance> connected = new HashSet<>();
  volatile boolean stopping;
  volatile boolean ended;
  volatile long driverInbox = ThreadId.NIL;
  /** Every provided service exported: the instance is ready (for one without provides, from the start). */
  volatile boolean exportedAll;
  private int exported;

  Instance(Supervised owner) {
    this.owner = owner;
    this.ready = new CountDownLatch(1);
    if (owner.spec.provides().isEmpty()) {
      exportedAll = true;
      ready.countDown();
    }
  }

  Supervised owner() {
    return owner;
  }

  /** Counts one provided service exported; true once all are (guarded by the runtime's lock). */
  boolean exportedOne() {
    if (++exported >= owner.spec.provides().size()) {
      exportedAll = true;
      ready.countDown();
      return true;
    }
    return false;
  }

  abstract int spaceNumber();

  abstract long pid();

  abstract long callsServed();

  abstract Threads threads();

  /** Ends the instance and waits (bounded) until it has: its space or its process. Idempotent. */
  abstract void stop();
}
