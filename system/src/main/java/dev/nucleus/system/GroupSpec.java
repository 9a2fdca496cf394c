package dev.nucleus.system;

import java.time.Duration;
import java.util.Objects;

/**
 * A supervision group: the descriptor's {@code [supervisor]} table (the top group, named
 * {@code ""}) or one {@code [[group]]}. Its supervisor restarts the group's components as
 * {@link #strategy} says; more than {@link #intensity} restarts within {@link #period} escalate:
 * the group stops, then the system.
 *
 * @param name the group's name; {@code ""} for the top group, the supervisor's own
 * @param strategy what a restart of one component restarts
 * @param intensity the most restarts allowed within {@code period}, at least 0
 * @param period the window over which restarts are counted, positive
 */
public record GroupSpec(String name, Strategy strategy, int intensity, Duration period) {

  /** The top group's policy when the descriptor has no {@code [supervisor]}: one_for_one, 5 in 10 s. */
  public static final GroupSpec DEFAULT_SUPERVISOR =
      new GroupSpec("", Strategy.ONE_FOR_ONE, 5, Duration.ofSeconds(10));

  /**
   * A group, as given.
   *
   * @throws NullPointerException if any reference is null
   */
  public GroupSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(period, "period");
  }
}
