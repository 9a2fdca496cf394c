package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.IpcConformanceSuite.World;
import dev.nucleus.kernel.Site.Actor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The worlds of the conformance suite with a {@link PartnerProcess}: a kernel, its root space
 * {@code peer}, and a partner process linked to it (and, for {@link Placement#PEER_PROCESSES},
 * a second process for the test thread, connected to the partner's by a peer link). Starting a JVM costs more than most scenarios
 * (about a second here), so one kernel and process serve every test of a class with the same
 * configuration, one after the other. After each test its world is cleared on both sides (its
 * threads and endpoints closed, their Java threads finished); a world the test left broken (it
 * failed, ended a space, closed the kernel, or a partner failed) is discarded: the process is
 * ended, the kernel closed, its link gone from /dev/shm. Its replacement starts at once, in the
 * background, while other tests run; {@link #close} checks that nothing at all is left.
 *
 * <p>Not thread-safe: the tests of a class run one at a time.
 */
final class PartnerWorlds implements AutoCloseable {

  /** Where the test thread is; its partners are on the other side. */
  enum Placement {
    /** The test thread in the root space, the partners in the process. */
    PARTNERS_IN_PROCESS,
    /** The test thread in the process, the partners (the servers) in the root space. */
    TEST_IN_PROCESS,
    /**
     * The test thread in one process, the partners in another, the two connected by a peer link
     * ({@link Kernel#connect}); both processes are also linked to the root space, which the test
     * does not use.
     */
    PEER_PROCESSES
  }

  /**
   * Threads a kernel has at least: the default, which leaves room for the process space's range
   * (Kernel.PROCESS_THREADS) and the root's threads. A scenario that asks for fewer (to pin which
   * slot is reused) gets this many, and a new thread takes the first free slot all the same.
   */
  private static final int MIN_THREADS = Kernel.Config.defaults().maxThreads();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** A kernel, its root space, the partner process, and (PEER_PROCESSES) the test's process, or null. */
  private record Shared(Kernel kernel, Space peer, PartnerProcess process, PartnerProcess testProcess) {

    boolean healthy() {
      return !kernel.isClosed() && peer.isAlive() && peer.failure() == null && process.healthy()
          && (testProcess == null || testProcess.healthy());
    }

    /** Resets the processes after a test; whether both came back clean. */
    boolean reset() {
      return process.reset() && (testProcess == null || testProcess.reset());
    }

    void closeProcesses() throws Exception {
      try {
        process.close();
      } finally {
        if (testProcess != null) {
          testProcess.close();
        }
      }
    }
  }

  private final Placement placement;
  private final Map<Kernel.Config, Shared> shared = new HashMap<>();
  /** Replacements of discarded worlds, starting. */
  private final Map<Kernel.Config, Future<Shared>> spares = new HashMap<>();
  private final ExecutorService starter = Executors.newSingleThreadExecutor(
      r -> Thread.ofPlatform().daemon().name("partner-starter").unstarted(r));

  PartnerWorlds(Placement placement) {
    this.placement = placement;
  }

  /** The world of one test over a kernel with {@code config} (its thread count raised where needed). */
  World newWorld(Kernel.Config config) {
    final Kernel.Config adapted = config.withMaxThreads(Math.max(config.maxThreads(), MIN_THREADS));
    Shared s = shared.remove(adapted);
    if (s != null && !s.healthy()) {
      discard(s, false);
      s = null;
    }
    if (s == null) {
      s = spare(adapted);
    }
    shared.put(adapted, s);
    final ThreadSite root = new ThreadSite(s.peer());
    final WaitStrategy w = config.waitStrategy();
    if (placement == Placement.PARTNERS_IN_PROCESS) {
      final Actor me = root.attach("test", w);
      return new World(s.kernel(), root, s.process(), me, w);
    }
    if (placement == Placement.PEER_PROCESSES) {
      final Actor me = s.testProcess().attach("test", w);
      return new World(s.kernel(), s.testProcess(), s.process(), me, w);
    }
    final Actor me = s.process().attach("test", w);
    return new World(s.kernel(), s.process(), root, me, w);
  }

  /** The replacement started for {@code config}, if it started well; else a new one. */
  private Shared spare(Kernel.Config config) {
    final Future<Shared> spare = spares.remove(config);
    if (spare != null) {
      try {
        final Shared s = spare.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (s.healthy()) {
          return s;
        }
        discard(s, false);
      } catch (ExecutionException e) {
        // it did not start (and closed what it made): start afresh below
      } catch (TimeoutException e) {
        spares.put(config, spare); // for close() to clean up
        throw new IllegalStateException("a partner process did not start within " + PATIENCE, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return start(config);
  }

  private Shared start(Kernel.Config config) {
    final Kernel kernel = new Kernel(config);
    try {
      final Space peer = kernel.createSpace("root");
      final PartnerProcess partner = PartnerProcess.start(kernel, peer, "partner");
      if (placement != Placement.PEER_PROCESSES) {
        return new Shared(kernel, peer, partner, null);
      }
      final PartnerProcess test = PartnerProcess.start(kernel, peer, "test");
      kernel.connect(test.processSpace(), partner.processSpace());
      return new Shared(kernel, peer, partner, test);
    } catch (Exception | Error e) {
      try {
        ProcessTests.closeAndCheckItsLinksGone(kernel);
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
  void endWorld(World f, boolean discard) {
    final Kernel.Config config = configOf(f.kernel());
    if (config == null) {
      return; // discarded already
    }
    final Shared s = shared.get(config);
    final ThreadSite root = placement == Placement.PARTNERS_IN_PROCESS ? (ThreadSite) f.local()
        : placement == Placement.TEST_IN_PROCESS ? (ThreadSite) f.remote() : null;
    if (root != null) {
      root.quiesce();
    }
    boolean clean = !discard && s.healthy() && s.reset();
    if (root != null) {
      root.closeAll();
    }
    try {
      clean = clean && s.peer().awaitTermination(PATIENCE) && s.healthy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    }
    if (!clean) {
      shared.remove(config);
      discard(s, true);
    }
  }

  private Kernel.Config configOf(Kernel kernel) {
    for (Map.Entry<Kernel.Config, Shared> e : shared.entrySet()) {
      if (e.getValue().kernel() == kernel) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Ends {@code s}'s process, closes its kernel and checks its link is gone; then starts a replacement. */
  private void discard(Shared s, boolean replace) {
    try {
      s.closeProcesses();
      ProcessTests.closeAndCheckItsLinksGone(s.kernel());
    } catch (Exception e) {
      throw new IllegalStateException("cleaning up " + s.process() + " failed: " + e, e);
    } finally {
      if (replace) {
        final Kernel.Config config = s.kernel().config();
        spares.put(config, starter.submit(() -> start(config)));
      }
    }
  }

  /** Discards every kernel and process, spares included; checks that nothing is left in /dev/shm. */
  @Override
  public void close() throws Exception {
    final List<Throwable> failures = new ArrayList<>();
    final List<Shared> all = new ArrayList<>(shared.values());
    shared.clear();
    starter.shutdown();
    for (Future<Shared> spare : spares.values()) {
      try {
        all.add(spare.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        failures.add(e.getCause());
      }
    }
    spares.clear();
    for (Shared s : all) {
      try {
        discard(s, false);
      } catch (RuntimeException | Error e) {
        failures.add(e);
      }
    }
    try {
      assertThat(ProcessTests.segmentsOfThisProcess()).as("links left in /dev/shm").isEmpty();
    } catch (AssertionError e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      final AssertionError e = new AssertionError("cleaning up the partner processes failed: " + failures.getFirst());
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }
}
