package dev.nucleus.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs mechanisms according to a {@link BenchPlan} and returns a {@link BenchReport}. Plain Java,
 * no CLI: {@code new BenchRunner(System.err::println).run(registry.all(), BenchPlan.quickPlan())}.
 *
 * <p>Runs are interleaved: run 1 of every mechanism, then run 2 of every mechanism, and so on. Spin
 * round trips on the bench VM switch between two modes from one run to the next; interleaving
 * spreads those modes across mechanisms instead of giving one mechanism all its runs in a fast (or
 * slow) stretch, which keeps ratios to floors honest.
 *
 * <p>Unavailable mechanisms are skipped with their reason; a mechanism whose run throws is reported
 * as failed and not run again. Neither stops the others. Progress (one line per run, one per skip)
 * goes to the given consumer. Not thread-safe; one bench at a time.
 */
public final class BenchRunner {

  private final Consumer<String> progress;

  /** A runner that reports progress lines (without line terminators) to {@code progress}. */
  public BenchRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  /**
   * Measures {@code mechanisms} (in the given order) as {@code plan} says.
   *
   * @throws CancellationException if the calling thread is interrupted
   */
  public BenchReport run(List<? extends PingPong> mechanisms, BenchPlan plan) {
    long start = System.nanoTime();
    Map<String, Skipped> skipped = new HashMap<>();
    List<PingPong> runnable = new ArrayList<>();
    for (PingPong m : mechanisms) {
      String reason = unavailableReason(m);
      if (reason == null) {
        runnable.add(m);
      } else {
        skipped.put(m.name(), new Skipped(m.name(), reason, false));
        progress.accept("skip " + m.name() + ": " + reason);
      }
    }
    int fewest = runnable.stream().mapToInt(plan::runsFor).min().orElse(plan.runs());
    progress.accept(
        "bench: "
            + runnable.size()
            + " mechanism(s) x "
            + plan.runs()
            + " run(s)"
            + (fewest < plan.runs() ? " (size-sweep members: " + fewest + ")" : "")
            + ", interleaved; warmup precedes every run");

    int width = runnable.stream().mapToInt(m -> m.name().length()).max().orElse(0);
    Map<String, List<RunStats>> stats = new LinkedHashMap<>();
    Map<String, List<Allocation>> allocations = new HashMap<>();
    for (int run = 1; run <= plan.runs(); run++) {
      for (PingPong m : runnable) {
        if (skipped.containsKey(m.name())) continue; // failed in an earlier run
        if (run > plan.runsFor(m)) continue; // sweep members run fewer times
        try {
          RunStats s = runOnce(m, plan, run, width);
          stats.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(s);
          Allocation a = m.lastAllocation();
          if (a != null) allocations.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(a);
        } catch (CancellationException e) {
          throw e; // interrupted: stop the whole bench, not just this mechanism
        } catch (Exception e) {
          String reason = "failed in run " + run + "/" + plan.runsFor(m) + ": " + describe(e);
          skipped.put(m.name(), new Skipped(m.name(), reason, true));
          stats.remove(m.name());
          progress.accept("FAIL " + m.name() + ": " + reason);
        }
      }
    }
    return report(
        mechanisms, plan, stats, allocations, skipped, Duration.ofNanos(System.nanoTime() - start));
  }

  private RunStats runOnce(PingPong m, BenchPlan plan, int run, int width) throws Exception {
    int iterations = plan.iterationsFor(m);
    int warmup = plan.warmupFor(m);
    Histogram h = Latencies.newHistogram();
    long t0 = System.nanoTime();
    try {
      m.run(warmup, iterations, h);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("bench interrupted during " + m.name());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (h.getTotalCount() != iterations) {
      throw new IllegalStateException(
          "recorded " + h.getTotalCount() + " round trips, expected " + iterations);
    }
    RunStats s = RunStats.of(h);
    String line =
        String.format(
            Locale.ROOT,
            "[run %d/%d] %-" + width + "s  p50 %,8d  p99 %,9d  max %,11d ns  (%,d round trips, %.2f s)",
            run,
            plan.runsFor(m),
            m.name(),
            s.p50(),
            s.p99(),
            s.max(),
            iterations,
            seconds);
    progress.accept(line);
    return s;
  }

  private static BenchReport report(
      List<? extends PingPong> mechanisms,
      BenchPlan plan,
      Map<String, List<RunStats>> stats,
      Map<String, List<Allocation>> allocations,
      Map<String, Skipped> skipped,
      Duration elapsed) {
    List<MechanismResult> raw = new ArrayList<>();
    List<Skipped> skippedInOrder = new ArrayList<>();
    for (PingPong m : mechanisms) {
      List<RunStats> runs = stats.get(m.name());
      if (runs != null) {
        raw.add(
            MechanismResult.aggregate(m.name(), m.floor(), plan.iterationsFor(m), runs)
                .withAllocations(allocations.getOrDefault(m.name(), List.of())));
      } else {
        skippedInOrder.add(skipped.get(m.name()));
      }
    }
    Map<String, Long> p50ByName = new HashMap<>();
    raw.forEach(r -> p50ByName.put(r.name(), r.rttNs().p50()));
    List<MechanismResult> results =
        raw.stream()
            .map(r -> r.floor() == null ? r : r.withFloorP50(p50ByName.get(r.floor())))
            .toList();
    return new BenchReport(results, skippedInOrder, plan.runs(), elapsed);
  }

  /** A mechanism whose availability check throws is unavailable, with the exception as reason. */
  private static String unavailableReason(PingPong m) {
    try {
      return m.unavailableReason();
    } catch (RuntimeException e) {
      return "availability check failed: " + describe(e);
    }
  }

  private static String describe(Throwable e) {
    String msg = e.getMessage();
    String text = msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    return text.replace('\n', ' ').strip();
  }
}
