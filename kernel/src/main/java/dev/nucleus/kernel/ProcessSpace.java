package dev.nucleus.kernel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The root kernel's handle on a process space: a space whose threads run in another OS process,
 * with OS memory isolation, reached through one channel segment shared with a thread space of
 * the root (its <em>peer</em>). IPC between the two uses the same rendezvous as thread spaces.
 *
 * <p>Liveness: when the process exits for any reason (return, crash, {@code kill -9}), the root
 * learns it from the operating system at once and fails every IPC blocked on the process space
 * with PEER_DEAD; its ids become stale. A stopped process (SIGSTOP, a long GC pause) is not dead.
 * The child is started so that it dies with the root (PR_SET_PDEATHSIG).
 *
 * <p>Thread-safe.
 */
public final class ProcessSpace implements AutoCloseable {

  private final Kernel kernel;
  private final int number;
  private final String name;
  private final Space peer;
  private final ChannelSegment channel;
  private final Process process;
  private volatile boolean exitHandled;

  ProcessSpace(Kernel kernel, int number, String name, Space peer, ChannelSegment channel, Process process) {
    this.kernel = kernel;
    this.number = number;
    this.name = name;
    this.peer = peer;
    this.channel = channel;
    this.process = process;
  }

  /** The space number in this space's ids. */
  public int number() {
    return number;
  }

  public String name() {
    return name;
  }

  /** The thread space of the root this process space is connected to. */
  public Space peer() {
    return peer;
  }

  /** The OS process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process still runs (a stopped process does). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until the component has published its bootstrap id ({@link ProcessContext#publish})
   * and returns it. Throws TimeoutException after {@code timeout}, IllegalStateException if the
   * process exits or its component fails first.
   */
  public long awaitPublished(Duration timeout) throws TimeoutException, InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final long id = channel.published();
      if (id != 0 && channel.bState() == ChannelDescriptor.B_RUNNING) {
        return id;
      }
      if (!process.isAlive() || channel.bState() == ChannelDescriptor.B_FAILED) {
        throw new IllegalStateException("process space " + name + " (pid " + pid() + ") ended before publishing"
            + (process.isAlive() ? "" : ", exit code " + process.exitValue()));
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("process space " + name + " published nothing within " + timeout);
      }
      Thread.sleep(1);
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public void kill() {
    process.destroyForcibly();
  }

  /** Waits for the process to exit; false on timeout. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The exit code; throws IllegalThreadStateException while it runs. */
  public int exitCode() {
    return process.exitValue();
  }

  /** Called once the process has exited: everything blocked on it fails with PEER_DEAD. */
  void exited() {
    if (exitHandled) {
      return;
    }
    exitHandled = true;
    channel.unlink();
    channel.markSpaceDead(number, ChannelSegment.SIDE_B);
    kernel.processExited(this);
  }

  ChannelSegment channel() {
    return channel;
  }

  /**
   * Ends the process space: asks the process to exit, kills it if it has not within a second,
   * and releases the channel. Idempotent.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    exited();
  }

  @Override
  public String toString() {
    return "process space " + number + " (" + name + ", pid " + pid() + (isAlive() ? "" : ", exited") + ")";
  }
}
