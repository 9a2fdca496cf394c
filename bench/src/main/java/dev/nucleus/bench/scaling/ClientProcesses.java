package dev.nucleus.bench.scaling;

import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The client processes of a scaling session, seen from the bench JVM: process spaces running
 * {@link ScalingClientProcess}, linked to the server's space. Starts them, waits (bounded) for
 * them to be ready, for their reports and for their exit, and fails loudly when one fails or dies:
 * the message is the process's own reason from the control region, or its exit status.
 * {@link #close()} ends every one that still runs.
 *
 * <p>Not thread-safe: the bench thread drives it.
 */
final class ClientProcesses implements AutoCloseable {

  /** How long the client JVMs may take to start, map the region, bind and start their threads. */
  static final Duration READY_LIMIT = Duration.ofSeconds(60);
  /**
   * How long a report may take after a pause: a client finishes its call in flight first, which
   * its deadline bounds.
   */
  private final Duration reportLimit;

  private final List<ProcessSpace> spaces;
  private final ControlFlyweight control;

  private ClientProcesses(List<ProcessSpace> spaces, ControlFlyweight control, Duration reportLimit) {
    this.spaces = spaces;
    this.control = control;
    this.reportLimit = reportLimit;
  }

  /**
   * Starts {@code plan.processes()} client processes linked to {@code serverSpace}, and offers
   * each the server's id. Blocks while each JVM starts and attaches.
   *
   * @param kernel the root kernel
   * @param serverSpace the thread space the server pool runs in: every process's peer
   * @param server the server pool's endpoint id
   * @param region the control region's handle
   * @param control the control region
   * @param plan the session's plan
   * @return the processes, attached (perhaps not ready yet)
   * @throws IllegalStateException if one does not start (those started are ended)
   */
  static ClientProcesses spawn(Kernel kernel, Space serverSpace, long server, long region, ControlFlyweight control,
      ScalingPlan plan) {
    final List<ProcessSpace> spaces = new ArrayList<>();
    final ClientProcesses processes = new ClientProcesses(spaces, control, plan.callDeadline().plusSeconds(10));
    try {
      for (int p = 0; p < plan.processes(); p++) {
        final ProcessSpace space = kernel.spawnProcessSpace("scaling-client-" + p, ScalingClientProcess.class,
            serverSpace, ChildJvm.HEAP, ScalingClientProcess.args(region, p, plan));
        spaces.add(space);
        space.offer(ScalingClientProcess.SERVER_NAME, server);
      }
      return processes;
    } catch (RuntimeException | Error e) {
      processes.close();
      throw e;
    }
  }

  /**
   * Waits until every process has said READY.
   *
   * @throws IllegalStateException if one failed or ended
   * @throws TimeoutException if one is not ready within {@link #READY_LIMIT}
   * @throws InterruptedException if interrupted
   */
  void awaitReady() throws TimeoutException, InterruptedException {
    await(READY_LIMIT, "become ready", p -> control.stateAcquire(p) == ControlDescriptor.READY);
  }

  /**
   * Waits until every process has reported {@code step}.
   *
   * @param step the step paused
   * @throws IllegalStateException if one failed or ended
   * @throws TimeoutException if one has not reported in time
   * @throws InterruptedException if interrupted
   */
  void awaitReports(int step) throws TimeoutException, InterruptedException {
    await(reportLimit, "reported step " + step, p -> control.reportedStepAcquire(p) >= step);
  }

  /**
   * Fails if a process has failed or ended. Never blocks.
   *
   * @throws IllegalStateException with the process's reason, or its exit status
   */
  void check() {
    for (int p = 0; p < spaces.size(); p++) {
      final int state = control.stateAcquire(p);
      if (state == ControlDescriptor.FAILED) {
        throw new IllegalStateException(control.error(p));
      }
      if (state != ControlDescriptor.STARTING && state != ControlDescriptor.READY) {
        throw new IllegalStateException("client process " + p + " wrote the state " + state + ", not one of 0..2");
      }
      if (!spaces.get(p).isAlive()) {
        throw new IllegalStateException("client process " + p + " ended without a reason" + status(spaces.get(p))
            + " (its output is above)");
      }
    }
  }

  /**
   * Tells every process to exit, and waits until each has, with status 0.
   *
   * @throws IllegalStateException if one failed, or exited with another status
   * @throws TimeoutException if one is still running after the report limit
   * @throws InterruptedException if interrupted
   */
  void exit() throws TimeoutException, InterruptedException {
    control.commandRelease(new Command(0, 0, Command.Phase.EXIT));
    for (int p = 0; p < spaces.size(); p++) {
      final ProcessSpace space = spaces.get(p);
      if (!space.awaitExit(reportLimit)) {
        throw new TimeoutException("client process " + p + " did not exit within " + reportLimit.toSeconds() + " s");
      }
      if (control.stateAcquire(p) == ControlDescriptor.FAILED) {
        throw new IllegalStateException(control.error(p));
      }
      if (space.exitCode() != 0) {
        throw new IllegalStateException("client process " + p + " exited with status " + space.exitCode());
      }
    }
  }

  /** What {@link #await} waits for, per process. */
  @FunctionalInterface
  private interface Condition {
    boolean holds(int p);
  }

  private void await(Duration limit, String what, Condition condition) throws TimeoutException, InterruptedException {
    final long deadline = System.nanoTime() + limit.toNanos();
    for (int p = 0; p < spaces.size(); p++) {
      while (!condition.holds(p)) {
        check();
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("client process " + p + " has not " + what + " within " + limit.toSeconds() + " s");
        }
        Thread.sleep(1);
      }
    }
    check();
  }

  private static String status(ProcessSpace space) {
    try {
      return " (status " + space.exitCode() + ")";
    } catch (IllegalThreadStateException | UnsupportedOperationException e) {
      return "";
    }
  }

  /** Ends every process that still runs (SIGTERM, then SIGKILL), and waits for each. Idempotent. */
  @Override
  public void close() {
    for (ProcessSpace space : spaces) {
      space.close();
    }
  }
}
