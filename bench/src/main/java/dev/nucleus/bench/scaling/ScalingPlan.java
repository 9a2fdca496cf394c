package dev.nucleus.bench.scaling;

import dev.nucleus.bench.BenchPlan;
import java.time.Duration;
import java.util.List;

/**
 * How a scaling series measures: the client counts, how the clients are spread, the server pool,
 * and the timing of each step.
 *
 * <pre>
 *   session:  start the client processes; JIT warm-up: one client per process calls for {@code jitWarmup}
 *   per count c (ascending):
 *     clients 0 .. c-1 call        warm-up for {@code warmup}
 *     rounds x {@code round}       each round's rate = calls completed in it / its length
 *     pause: every process reports; the server's ledger must match the clients' counts
 * </pre>
 *
 * Client k is thread {@code k / processes} of process {@code k % processes}: c clients use
 * {@code min(c, processes)} processes, as evenly as they go.
 *
 * @param clientCounts the counts, ascending, each {@code 1 .. processes x threadsPerProcess}
 * @param processes client processes (child JVMs)
 * @param threadsPerProcess client threads in each
 * @param serverThreads threads of the server pool
 * @param rounds measured rounds per count, {@code >= 1}
 * @param jitWarmup how long one client per process calls before the first count, unmeasured
 * @param warmup how long a count's clients call before its first round
 * @param round how long one round lasts
 * @param callDeadline the deadline of every call: a reply that does not come within it fails the run
 */
public record ScalingPlan(List<Integer> clientCounts, int processes, int threadsPerProcess, int serverThreads,
    int rounds, Duration jitWarmup, Duration warmup, Duration round, Duration callDeadline) {

  /** The client counts of issue 15: 1, 2, 4 ... 64. */
  public static final List<Integer> CLIENT_COUNTS = List.of(1, 2, 4, 8, 16, 32, 64);
  /** Client processes: as the load test (system module's LoadTest), 4 JVMs of 16 threads. */
  public static final int PROCESSES = 4;
  /** Threads per client process. */
  public static final int THREADS_PER_PROCESS = 16;
  /** The deadline of every call. */
  public static final Duration CALL_DEADLINE = Duration.ofSeconds(5);

  /** Checks the counts and durations. */
  public ScalingPlan {
    clientCounts = List.copyOf(clientCounts);
    ControlDescriptor.checkCounts(processes, threadsPerProcess);
    if (clientCounts.isEmpty()) {
      throw new IllegalArgumentException("a scaling plan has at least one client count");
    }
    int previous = 0;
    for (int c : clientCounts) {
      if (c <= previous || c > processes * threadsPerProcess) {
        throw new IllegalArgumentException("client counts ascend within 1.." + processes * threadsPerProcess
            + ": " + clientCounts);
      }
      previous = c;
    }
    if (serverThreads < 1 || rounds < 1) {
      throw new IllegalArgumentException("a scaling plan has >= 1 server thread and >= 1 round, not "
          + serverThreads + " and " + rounds);
    }
    if (jitWarmup.isNegative() || warmup.isNegative() || !round.isPositive() || !callDeadline.isPositive()) {
      throw new IllegalArgumentException("a scaling plan's round and deadline are positive, its warm-ups not"
          + " negative: " + jitWarmup + ", " + warmup + ", " + round + ", " + callDeadline);
    }
  }

  /**
   * The series under the bench's {@code plan}: its runs are the rounds; 300 ms rounds after
   * 500 ms of warm-up per count and 2 s of JIT warm-up ({@code --quick}: 100 ms, 200 ms and
   * 500 ms). {@code --iterations} and {@code --warmup} do not apply: a round is a length of time,
   * since the calls one takes vary 30-fold across the counts.
   *
   * @param plan the bench's plan
   * @return the counts {@link #CLIENT_COUNTS} over {@value #PROCESSES} processes of
   *     {@value #THREADS_PER_PROCESS} threads, and a server pool of {@link #defaultServerThreads()}
   */
  public static ScalingPlan of(BenchPlan plan) {
    final boolean quick = plan.quick();
    return new ScalingPlan(CLIENT_COUNTS, PROCESSES, THREADS_PER_PROCESS, defaultServerThreads(), plan.runs(),
        Duration.ofMillis(quick ? 500 : 2000), Duration.ofMillis(quick ? 200 : 500),
        Duration.ofMillis(quick ? 100 : 300), CALL_DEADLINE);
  }

  /**
   * The server pool's size: 4 threads, as the load test's, or one per CPU where there are more, so
   * that the pool is not what limits a larger machine.
   *
   * @return {@code max(4, CPUs)}
   */
  public static int defaultServerThreads() {
    return Math.max(4, Runtime.getRuntime().availableProcessors());
  }

  /**
   * The most clients the session can run.
   *
   * @return {@code processes x threadsPerProcess}
   */
  public int maxClients() {
    return processes * threadsPerProcess;
  }

  /**
   * How many client processes {@code clients} clients occupy.
   *
   * @param clients a client count
   * @return {@code min(clients, processes)}
   */
  public int processesFor(int clients) {
    return Math.min(clients, processes);
  }
}
