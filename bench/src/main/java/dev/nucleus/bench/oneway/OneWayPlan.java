package dev.nucleus.bench.oneway;

import dev.nucleus.bench.BenchPlan;

/**
 * The one-way part of a {@link BenchPlan}: its runs are the rounds, its iterations (if set) the
 * messages per round, its warm-up (if set) the unmeasured messages; otherwise
 * {@link OneWayMechanism#DEFAULT_MESSAGES} per round (a fifth of it for {@code --quick}) and half
 * a round of warm-up.
 */
public final class OneWayPlan {

  private OneWayPlan() {}

  /**
   * Each size's stream under {@code plan}.
   *
   * @param plan the bench's plan
   * @return the schedule every one-way entry runs
   */
  public static Schedule schedule(BenchPlan plan) {
    final long messages = plan.iterations().isPresent() ? plan.iterations().getAsInt()
        : plan.quick() ? OneWayMechanism.DEFAULT_MESSAGES / BenchPlan.QUICK_DIVISOR : OneWayMechanism.DEFAULT_MESSAGES;
    final long warmup = plan.warmup().isPresent() ? plan.warmup().getAsInt() : messages / 2;
    return new Schedule(warmup, messages, plan.runs());
  }
}
