package dev.nucleus.system;

import dev.nucleus.kernel.IpcState;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.system.internal.StatusWriter;
import dev.nucleus.system.internal.SystemRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A running system: the root task booted from a {@link SystemDescriptor}. It holds the kernel,
 * which alone creates spaces and channels; runs each component in its own thread or process space;
 * keeps the name server, through which components find each other's services; supervises and
 * restarts components as their policy says; and, if asked, publishes its status in a shared
 * segment that {@code nucleus ps} reads from another terminal.
 *
 * <p>{@link #boot} returns once every component has started and exported what it provides. The
 * system then runs until {@link #close()} (an orderly stop in reverse start order) or until a group
 * exceeds its restart intensity, when the root task stops the group, then the system, and
 * {@link #end()} completes with {@link #EXIT_ESCALATED}.
 *
 * <p>Thread-safe.
 */
public final class RootTask implements AutoCloseable {

  /** Exit code of a system that was stopped. */
  public static final int EXIT_STOPPED = SystemRuntime.STOPPED;
  /** Exit code of a system a component of which did not start at boot. */
  public static final int EXIT_BOOT_FAILED = SystemRuntime.BOOT_FAILED;
  /** Exit code of a system stopped because a group exceeded its restart intensity. */
  public static final int EXIT_ESCALATED = SystemRuntime.ESCALATED;

  private static final long PUBLISH_INTERVAL_MS = 200;

  private final SystemRuntime runtime;
  private final StatusWriter writer;
  private final Thread publisher;

  private RootTask(SystemRuntime runtime, StatusWriter writer) {
    this.runtime = runtime;
    this.writer = writer;
    this.publisher = writer == null ? null
        : Thread.ofPlatform().daemon().name("nucleus-status").start(this::publishLoop);
  }

  /**
   * Boots {@code descriptor}'s system.
   *
   * @param descriptor the system
   * @param statusDirectory where to publish the status segment (e.g. {@code /dev/shm}), or null
   *     for none
   * @param log receives a line for each event of the system's life: a start, a death, a restart,
   *     an escalation; called from the supervisor's thread
   * @return the running system
   * @throws IllegalStateException if a component does not start (what was started is stopped)
   * @throws IOException if the status segment cannot be created
   * @throws InterruptedException if interrupted while booting
   */
  public static RootTask boot(SystemDescriptor descriptor, Path statusDirectory, Consumer<String> log)
      throws IOException, InterruptedException {
    StatusWriter writer = null;
    if (statusDirectory != null) {
      writer = StatusWriter.create(statusDirectory, descriptor.name());
    }
    final SystemRuntime runtime;
    try {
      runtime = SystemRuntime.boot(descriptor, log);
    } catch (RuntimeException | InterruptedException e) {
      if (writer != null) {
        writer.close();
      }
      throw e;
    }
    return new RootTask(runtime, writer);
  }

  /**
   * Completes when the system ends by itself ({@link #EXIT_ESCALATED}) or is closed
   * ({@link #EXIT_STOPPED}).
   *
   * @return the exit code, in the future
   */
  public CompletableFuture<Integer> end() {
    return runtime.end();
  }

  /**
   * Why the system ended by itself.
   *
   * @return one line, or empty
   */
  public String endMessage() {
    return runtime.endMessage();
  }

  /**
   * Where the status segment is.
   *
   * @return its path, or null if none is published
   */
  public Path statusPath() {
    return writer == null ? null : writer.path();
  }

  /**
   * The system's state now: every component, its instance and its threads' IPC states.
   *
   * @return a snapshot
   */
  public SystemStatus status() {
    final List<SystemRuntime.ComponentView> views = runtime.components();
    final Map<Long, String> names = new HashMap<>();
    for (SystemRuntime.ComponentView v : views) {
      for (int i = 0; i < v.threadIds().length; i++) {
        names.put(v.threadIds()[i], v.name() + "/" + v.threadNames().get(i));
      }
    }
    final List<ComponentStatus> components = new ArrayList<>();
    for (SystemRuntime.ComponentView v : views) {
      final List<ThreadStatus> threads = new ArrayList<>();
      for (int i = 0; i < v.threadIds().length; i++) {
        final long id = v.threadIds()[i];
        IpcState s;
        try {
          s = runtime.kernel().ipcState(id);
        } catch (RuntimeException e) {
          continue; // the thread or its space has just gone
        }
        threads.add(new ThreadStatus(id, v.threadNames().get(i), s.kind().name().toLowerCase(java.util.Locale.ROOT), partner(s, names)));
      }
      components.add(new ComponentStatus(v.name(), v.isolation().name().toLowerCase(java.util.Locale.ROOT), v.state(),
          Math.max(0, v.space()), v.pid(), v.restarts(), v.callsServed(), v.since(), threads));
    }
    return new SystemStatus(runtime.descriptor().name(), ProcessHandle.current().pid(), runtime.started(),
        Instant.now(), components, false);
  }

  private String partner(IpcState s, Map<Long, String> names) {
    return switch (s.kind()) {
      case SENDING, WAITING_FOR_REPLY -> name(s.partner(), names);
      case RECEIVING -> s.endpoint() != ThreadId.NIL ? "any at " + name(s.endpoint(), names)
          : s.partner() == ThreadId.ANY ? "any" : name(s.partner(), names);
      default -> "";
    };
  }

  private String name(long id, Map<Long, String> names) {
    final String known = names.get(id);
    if (known != null) {
      return known;
    }
    final String component = runtime.componentOfSpace(ThreadId.space(id));
    return component != null ? component + "/" + ThreadId.toString(id) : ThreadId.toString(id);
  }

  private void publishLoop() {
    while (!runtime.end().isDone()) {
      try {
        writer.publish(status());
        Thread.sleep(PUBLISH_INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // a component changed under the snapshot: publish the next one
      }
    }
  }

  /**
   * Stops the system: every component in reverse start order, then the kernel; removes the status
   * segment. Blocks until done. Idempotent.
   */
  @Override
  public void close() {
    runtime.close();
    if (publisher != null) {
      publisher.interrupt();
      try {
        publisher.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (writer != null) {
      writer.close();
    }
  }
}
