package dev.nucleus.bench.scaling;

import dev.nucleus.bench.lrpc.Bench_Service;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.RpcServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A scaling series of the bench: throughput against the number of concurrent clients (issue 15,
 * item 2). {@code lrpc-scaling}: LRPC calls of {@code Bench.echo(long)} (one word each way, the
 * typed call's smallest useful message: the reply is checkable) from 1, 2, 4 ... 64 client
 * threads spread over 4 client processes, all on one {@link RpcServer} pool in a thread space of
 * this JVM, as the system module's load test has them.
 *
 * <pre>
 *   bench JVM                                          client process p (of 4), a process space
 *   +---------------------------------------+          +-------------------------------------+
 *   | server space: RpcServer pool (4+ thr.) | &lt;-link-- | 16 client threads: echo(k &lt;&lt; 40|seq) |
 *   |   SequenceLedger: each client's        |          |   reply == request, else fail        |
 *   |   requests exactly once, in order      |          |   CALLS[k]++; latency in MEASURE     |
 *   | ScalingConductor --COMMAND--&gt; control region (SharedRegion) &lt;-- CALLS, reports, errors     |
 *   +---------------------------------------+          +-------------------------------------+
 * </pre>
 *
 * The kernel is the default one: ADAPTIVE waits (spin about one wake-up's worth, then sleep), so
 * that more clients than CPUs share them instead of spinning against each other. Nothing is left
 * behind however a session ends: the client processes are ended and reaped, the region closed (an
 * anonymous memory file), the kernel closed with its links. Bounded: every call has a deadline,
 * every wait for a process a limit.
 */
public final class ScalingSeries {

  /** The LRPC series. */
  public static final String LRPC_SCALING = "lrpc-scaling";

  private ScalingSeries() {}

  /**
   * The series, in the order they run: {@code lrpc-scaling}.
   *
   * @return every series
   */
  public static List<ScalingSeries> defaults() {
    return List.of(new ScalingSeries());
  }

  /**
   * The unique name, in tables, JSON and {@code --only}.
   *
   * @return {@code lrpc-scaling}
   */
  public String name() {
    return LRPC_SCALING;
  }

  /**
   * One line for {@code --list}.
   *
   * @return what is measured
   */
  public String description() {
    return "LRPC echo calls/s against 1..64 concurrent clients (threads of 4 client processes) on one RpcServer"
        + " pool in this JVM, every reply checked; full runs and --only, not --quick";
  }

  /**
   * Why it cannot run here, or null.
   *
   * @return a short reason, or null
   */
  public String unavailableReason() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
        ? null : "process spaces need Linux";
  }

  /**
   * Measures the series.
   *
   * @param plan the counts, spread and timing
   * @param progress where a line goes as the session starts and as each count ends
   * @return the figures
   * @throws Exception if the session failed: a wrong reply, a request lost or duplicated, a call
   *     past its deadline, a client process that failed or died (the message says which and why)
   */
  public ScalingResult run(ScalingPlan plan, Consumer<String> progress) throws Exception {
    return run(plan, progress, -1);
  }

  /** {@link #run(ScalingPlan, Consumer)}, the server answering request {@code corrupt} wrongly (tests). */
  ScalingResult run(ScalingPlan plan, Consumer<String> progress, long corrupt) throws Exception {
    final Kernel.Config config = Kernel.Config.defaults();
    final int cpus = Runtime.getRuntime().availableProcessors();
    try (Kernel kernel = new Kernel(config);
        SharedRegion region = SharedRegion.create(ControlDescriptor.length(plan.processes(), plan.threadsPerProcess()))) {
      final ControlFlyweight control =
          ControlFlyweight.format(region.segment(), plan.processes(), plan.threadsPerProcess());
      final Space serverSpace = kernel.createSpace("scaling-server");
      final SequenceLedger ledger = new SequenceLedger(plan.maxClients(), corrupt);
      progress.accept(String.format(Locale.ROOT,
          "[scaling] %s: server pool of %d threads in this JVM, %d client processes x %d threads, %d CPUs, %s"
              + " waits; counts %s, each %d ms of warm-up and %d x %d ms",
          name(), plan.serverThreads(), plan.processes(), plan.threadsPerProcess(), cpus, config.waitStrategy(),
          plan.clientCounts(), plan.warmup().toMillis(), plan.rounds(), plan.round().toMillis()));
      try (RpcServer server = RpcServer.export(serverSpace, Bench_Service.INSTANCE, ledger, plan.serverThreads());
          ClientProcesses processes =
              ClientProcesses.spawn(kernel, serverSpace, server.id(), region.handle(), control, plan)) {
        final long t0 = System.nanoTime();
        processes.awaitReady();
        final ScalingConductor conductor = new ScalingConductor(control, processes, ledger, plan);
        final long warmupCalls = conductor.warmUp();
        progress.accept(String.format(Locale.ROOT,
            "[scaling] %s: client processes ready in %.1f s; JIT warm-up, 1 client per process for %d ms: %,d calls"
                + " checked", name(), (System.nanoTime() - t0) / 1e9, plan.jitWarmup().toMillis(), warmupCalls));
        final List<ScalingPoint> points = new ArrayList<>();
        for (int clients : plan.clientCounts()) {
          final ScalingPoint point = conductor.measure(clients);
          points.add(point);
          progress.accept(line(point, points.getFirst()));
        }
        processes.exit();
        return new ScalingResult(name(), "Bench.echo(long), one word each way", plan.serverThreads(),
            plan.processes(), plan.threadsPerProcess(), cpus, config.waitStrategy().name(), plan.rounds(),
            plan.warmup().toMillis(), plan.round().toMillis(), warmupCalls, points);
      }
    }
  }

  private String line(ScalingPoint p, ScalingPoint first) {
    final String versus = first.clients() == 1
        ? String.format(Locale.ROOT, "  %.2fx of 1 client, efficiency %.0f%%", p.medianRate() / first.medianRate(),
            100 * p.medianRate() / first.medianRate() / p.clients())
        : "";
    return String.format(Locale.ROOT,
        "[scaling] %s %2d client(s) in %d process(es): median %,.0f calls/s (rounds %,.0f..%,.0f)"
            + "  p50 %s  p99 %s%s  (%,d calls checked)",
        name(), p.clients(), p.processes(), p.medianRate(), p.minRate(), p.maxRate(), ScalingTable.micros(p.p50Ns()),
        ScalingTable.micros(p.p99Ns()), versus, p.checkedCalls());
  }

  @Override
  public String toString() {
    return name();
  }
}
