package dev.nucleus.bench.scaling;

import dev.nucleus.bench.Latencies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Drives the steps of a scaling session from the bench JVM, through the control region's command
 * word, and checks each step's calls.
 *
 * <pre>
 *   step s with c clients:
 *     COMMAND = (s, c, RUN)        clients 0 .. c-1 call; sleep the warm-up
 *     COMMAND = (s, c, MEASURE)    t[0], n[0] = now, sum of CALLS
 *                                  for r in 1 .. rounds: sleep until t[0] + r x round; t[r], n[r]
 *     COMMAND = (s, c, PAUSE)      every process reports s (its clients have stopped)
 *     check: the server's ledger saw no duplicated, lost or misrouted request, and
 *            sum of CALLS (what the clients completed and checked) == what the server served
 *     round r's rate = (n[r] - n[r-1]) / (t[r] - t[r-1])
 * </pre>
 *
 * The rates count calls completed between two readings of the counters, so they need no common
 * clock with the clients; a reading may miss the calls in flight at that moment, at most one per
 * client, against the thousands of calls a round holds. The clients see a new command within a
 * few milliseconds (their process polls the word), which the warm-up absorbs; latencies are
 * recorded from when a client sees MEASURE to when it sees PAUSE. While it sleeps, the
 * conductor checks the processes every {@value #CHECK_MS} ms, so a failure ends the session at once.
 *
 * <p>Not thread-safe: the bench thread drives it.
 */
final class ScalingConductor {

  private static final long CHECK_MS = 50;

  private final ControlFlyweight control;
  private final ClientProcesses processes;
  private final SequenceLedger ledger;
  private final ScalingPlan plan;
  private int step;
  /** Calls served and counted up to the end of the last step. */
  private long reconciled;

  ScalingConductor(ControlFlyweight control, ClientProcesses processes, SequenceLedger ledger, ScalingPlan plan) {
    this.control = control;
    this.processes = processes;
    this.ledger = ledger;
    this.plan = plan;
  }

  /**
   * The JIT warm-up: one client per process calls for {@code plan.jitWarmup()}, nothing measured,
   * every call checked: each process's client path and the server's get compiled before the first
   * count, without 64 cold threads contending for the CPUs with five JVMs' compilers. (It makes
   * few calls, a few thousand a second on 2 vCPUs: everything is still interpreted or compiling.)
   *
   * @return the calls made
   * @throws IllegalStateException if a process failed, or the checks found a wrong call
   * @throws TimeoutException if a process did not report in time
   * @throws InterruptedException if interrupted
   */
  long warmUp() throws TimeoutException, InterruptedException {
    step++;
    control.commandRelease(new Command(step, plan.processes(), Command.Phase.RUN));
    sleepChecking(plan.jitWarmup());
    return pause(plan.processes());
  }

  /**
   * Measures {@code clients} concurrent clients: warm-up, then the rounds.
   *
   * @param clients the count
   * @return the point
   * @throws IllegalStateException if a process failed, or the checks found a wrong call
   * @throws TimeoutException if a process did not report in time
   * @throws InterruptedException if interrupted
   */
  ScalingPoint measure(int clients) throws TimeoutException, InterruptedException {
    step++;
    control.commandRelease(new Command(step, clients, Command.Phase.RUN));
    sleepChecking(plan.warmup());
    control.commandRelease(new Command(step, clients, Command.Phase.MEASURE));
    final int rounds = plan.rounds();
    final long[] at = new long[rounds + 1];
    final long[] calls = new long[rounds + 1];
    at[0] = System.nanoTime();
    calls[0] = control.totalCallsAcquire();
    for (int r = 1; r <= rounds; r++) {
      sleepChecking(Duration.ofNanos(at[0] + r * plan.round().toNanos() - System.nanoTime()));
      at[r] = System.nanoTime();
      calls[r] = control.totalCallsAcquire();
    }
    final long checked = pause(clients);
    final Histogram latencies = Latencies.newHistogram();
    for (int p = 0; p < plan.processes(); p++) {
      latencies.add(control.histogram(p));
    }
    final List<Double> rates = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      rates.add((calls[r] - calls[r - 1]) * 1e9 / (at[r] - at[r - 1]));
    }
    final boolean any = latencies.getTotalCount() > 0;
    return new ScalingPoint(clients, plan.processesFor(clients), rates, calls[rounds] - calls[0], checked,
        any ? latencies.getValueAtPercentile(50) : -1, any ? latencies.getValueAtPercentile(99) : -1);
  }

  /** Pauses the step, waits for every report, and checks the step's calls; returns how many there were. */
  private long pause(int clients) throws TimeoutException, InterruptedException {
    control.commandRelease(new Command(step, clients, Command.Phase.PAUSE));
    processes.awaitReports(step);
    final String problem = ledger.problem();
    if (problem != null) {
      throw new IllegalStateException("the server's ledger, in the step of " + clients + " clients: " + problem);
    }
    final long counted = control.totalCallsAcquire();
    final long served = ledger.served();
    if (counted != served) {
      throw new IllegalStateException("after the step of " + clients + " clients the clients count " + counted
          + " calls completed and checked, the server served " + served + " (calls lost or miscounted)");
    }
    final long inStep = served - reconciled;
    reconciled = served;
    return inStep;
  }

  /** Sleeps {@code length}, checking the processes every {@value #CHECK_MS} ms. */
  private void sleepChecking(Duration length) throws InterruptedException {
    final long end = System.nanoTime() + length.toNanos();
    for (long left = length.toNanos(); left > 0; left = end - System.nanoTime()) {
      Thread.sleep(Math.max(1, Math.min(CHECK_MS, left / 1_000_000)));
      processes.check();
    }
    processes.check();
  }
}
