package dev.nucleus.bench;

import java.util.OptionalInt;

/**
 * How much to measure: runs per mechanism, and measured and warmup round trips per run. Unset
 * counts come from each mechanism ({@link PingPong#defaultIterations()}); warmup defaults to half
 * the measured count, enough for the JIT to compile the loop before measuring.
 *
 * @param runs runs per mechanism, {@code >= 1}
 * @param iterations measured round trips per run for every mechanism, or empty for each one's
 *     default (divided by {@link #QUICK_DIVISOR} when {@code quick})
 * @param warmup warmup round trips per run, or empty for each mechanism's default (see {@link
 *     #warmupFor})
 * @param quick whether defaults are scaled down so the whole default set finishes in about a minute
 */
public record BenchPlan(int runs, OptionalInt iterations, OptionalInt warmup, boolean quick) {

  public static final int DEFAULT_RUNS = 5;
  public static final int QUICK_RUNS = 3;
  public static final int QUICK_DIVISOR = 5;

  /**
   * Most runs of a size-sweep member ({@link MessageSize#sweep()}): the sweep has many members,
   * each starting processes per run, and its chart compares sizes within one mechanism.
   */
  public static final int SWEEP_RUNS = 3;

  public BenchPlan {
    if (runs < 1) throw new IllegalArgumentException("runs must be >= 1, got " + runs);
    if (iterations.isPresent() && iterations.getAsInt() < 1) {
      throw new IllegalArgumentException("iterations must be >= 1, got " + iterations.getAsInt());
    }
    if (warmup.isPresent() && warmup.getAsInt() < 0) {
      throw new IllegalArgumentException("warmup must be >= 0, got " + warmup.getAsInt());
    }
  }

  /** The normal plan: {@value #DEFAULT_RUNS} runs of each mechanism's default count. */
  public static BenchPlan standard() {
    return new BenchPlan(DEFAULT_RUNS, OptionalInt.empty(), OptionalInt.empty(), false);
  }

  /** The quick plan: {@value #QUICK_RUNS} runs of a fifth of each mechanism's default count. */
  public static BenchPlan quickPlan() {
    return new BenchPlan(QUICK_RUNS, OptionalInt.empty(), OptionalInt.empty(), true);
  }

  public BenchPlan withRuns(int n) {
    return new BenchPlan(n, iterations, warmup, quick);
  }

  public BenchPlan withIterations(int n) {
    return new BenchPlan(runs, OptionalInt.of(n), warmup, quick);
  }

  public BenchPlan withWarmup(int n) {
    return new BenchPlan(runs, iterations, OptionalInt.of(n), quick);
  }

  /** Runs of {@code m}: {@link #runs()}, at most {@value #SWEEP_RUNS} for size-sweep members. */
  public int runsFor(PingPong m) {
    MessageSize size = m.messageSize();
    return size != null && size.sweep() ? Math.min(runs, SWEEP_RUNS) : runs;
  }

  /** Measured round trips per run for {@code m}. */
  public int iterationsFor(PingPong m) {
    if (iterations.isPresent()) return iterations.getAsInt();
    int d = Math.max(1, m.defaultIterations());
    return quick ? Math.max(1, d / QUICK_DIVISOR) : d;
  }

  /**
   * Warmup round trips per run for {@code m}: the plan's count if set; else, unless the plan sets
   * the measured count, the mechanism's own {@link PingPong#defaultWarmup()} (divided by {@link
   * #QUICK_DIVISOR} when {@code quick}); else half the measured count.
   */
  public int warmupFor(PingPong m) {
    if (warmup.isPresent()) return warmup.getAsInt();
    int own = m.defaultWarmup();
    if (own >= 0 && iterations.isEmpty()) return quick ? own / QUICK_DIVISOR : own;
    return iterationsFor(m) / 2;
  }
}
