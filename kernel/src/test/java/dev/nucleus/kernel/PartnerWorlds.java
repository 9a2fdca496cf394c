package dev.nucleus.kernel;

import dev.nucleus.kernel.IpcConformanceSuite.World;
import dev.nucleus.kernel.Site.Actor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The worlds of the conformance suite with a {@link PartnerProcess}: a kernel, its root space
 * {@code peer}, and a partner process linked to it. Starting a JVM costs more than most scenarios
 * (a second or so here), so one kernel and process serve every test of a class with the same
 * configuration, one after the other. After each test its world is cleared on both sides (its
 * threads and endpoints closed, their Java threads finished); a world the test left broken (it
 * failed, ended a space, closed the kernel, or a partner failed) is discarded: the process is
 * ended, the kernel closed, and nothing may be left in /dev/shm.
 *
 * <p>Not thread-safe: the tests of a class run one at a time.
 */
final class PartnerWorlds implements AutoCloseable {

  /** Where the test thread is; its partners are on the other side. */
  enum Placement {
    /** The test thread in the root space, the partners in the process. */
    PARTNERS_IN_PROCESS,
    /** The test thread in the process, the partners (the servers) in the root space. */
    TEST_IN_PROCESS
  }

  /**
   * Threads a kernel needs at least: 64 for the process space's range (Kernel.PROCESS_THREADS)
   * and room for the root's. A scenario that asks for fewer (to pin which slot is reused) gets
   * this many, and the first free slot is reused all the same.
   */
  private static final int MIN_THREADS = 256;
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private record Shared(Kernel kernel, Space peer, PartnerProcess process) {

    boolean healthy() {
      return !kernel.isClosed() && peer.isAlive() && peer.failure() == null && process.healthy();
    }
  }

  private final Placement placement;
  private final Map<Kernel.Config, Shared> shared = new HashMap<>();

  PartnerWorlds(Placement placement) {
    this.placement = placement;
  }

  /** The world of one test over a kernel with {@code config} (its thread count raised where needed). */
  World newWorld(Kernel.Config config) {
    final Kernel.Config adapted = config.withMaxThreads(Math.max(config.maxThreads(), MIN_THREADS));
    Shared s = shared.get(adapted);
    if (s != null && !s.healthy()) {
      try {
        discard(s);
      } catch (Exception e) {
        throw new IllegalStateException("cleaning up after an earlier test failed: " + e, e);
      }
      s = null;
    }
    if (s == null) {
      s = start(adapted);
      shared.put(adapted, s);
    }
    final ThreadSite root = new ThreadSite(s.peer());
    final WaitStrategy w = config.waitStrategy();
    if (placement == Placement.PARTNERS_IN_PROCESS) {
      final Actor me = root.attach("test", w);
      return new World(s.kernel(), root, s.process(), me, w);
    }
    final Actor me = s.process().attach("test", w);
    return new World(s.kernel(), s.process(), root, me, w);
  }

  private static Shared start(Kernel.Config config) {
    final Kernel kernel = new Kernel(config);
    try {
      final Space peer = kernel.createSpace("root");
      return new Shared(kernel, peer, PartnerProcess.start(kernel, peer, "partner"));
    } catch (Exception | Error e) {
      try {
        ProcessTests.closeAndCheckNothingLeft(kernel);
      } catch (Exception | Error cleanUp) {
        e.addSuppressed(cleanUp);
      }
      throw new IllegalStateException("cannot start a partner process: " + e, e);
    }
  }

  /**
   * Clears {@code f} after its test, or ({@code discard}, or if clearing does not work out)
   * discards its kernel and process.
   */
  void endWorld(World f, boolean discard) throws Exception {
    final Shared s = sharedOf(f.kernel());
    if (s == null) {
      return; // discarded already
    }
    final ThreadSite root = (ThreadSite) (placement == Placement.PARTNERS_IN_PROCESS ? f.local() : f.remote());
    root.quiesce();
    boolean clean = !discard && s.healthy() && s.process().reset();
    root.closeAll();
    clean = clean && s.peer().awaitTermination(PATIENCE) && s.healthy();
    if (!clean) {
      discard(s);
    }
  }

  private Shared sharedOf(Kernel kernel) {
    for (Shared s : shared.values()) {
      if (s.kernel() == kernel) {
        return s;
      }
    }
    return null;
  }

  private void discard(Shared s) throws Exception {
    shared.values().remove(s);
    try {
      s.process().close();
    } finally {
      ProcessTests.closeAndCheckNothingLeft(s.kernel());
    }
  }

  /** Discards every kernel and process; checks that nothing is left. */
  @Override
  public void close() throws Exception {
    final List<Throwable> failures = new ArrayList<>();
    for (Shared s : List.copyOf(shared.values())) {
      try {
        discard(s);
      } catch (Exception | Error e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      final AssertionError e = new AssertionError("cleaning up the partner processes failed: " + failures.getFirst());
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }
}
