package dev.nucleus.system;

import dev.nucleus.system.internal.StatusLayout;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One component of a running system, as its status segment shows it.
 *
 * @param name the component's name in the descriptor
 * @param isolation {@code "thread"} or {@code "process"}
 * @param state {@code "starting"}, {@code "running"}, {@code "restarting"}, {@code "stopping"},
 *     {@code "stopped"} or {@code "failed"}
 * @param space the number of its current space
 * @param pid its process's id; the root's for a thread component; 0 while it has none (a
 *     process component starting)
 * @param restarts how many times the supervisor has restarted it
 * @param callsServed calls its exported services have served, over all its instances
 * @param since when its current instance started
 * @param threads its IPC threads, with what each is doing
 */
public record ComponentStatus(String name, String isolation, String state, int space, long pid, long restarts,
    long callsServed, Instant since, List<ThreadStatus> threads) {

  /**
   * Checks the fields and copies the list.
   *
   * @throws NullPointerException if a field or a thread is null
   * @throws IllegalArgumentException if {@code isolation} or {@code state} is not one of the values
   *     above, or a number is negative
   */
  public ComponentStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(since, "since");
    threads = List.copyOf(threads);
    if (!StatusLayout.ISOLATIONS.contains(isolation)) {
      throw new IllegalArgumentException("isolation is '" + isolation + "', expected one of " + StatusLayout.ISOLATIONS);
    }
    if (!StatusLayout.STATES.contains(state)) {
      throw new IllegalArgumentException("state is '" + state + "', expected one of " + StatusLayout.STATES);
    }
    if (space < 0 || pid < 0 || restarts < 0 || callsServed < 0) {
      throw new IllegalArgumentException("space, pid, restarts and callsServed are never negative: " + space + ", "
          + pid + ", " + restarts + ", " + callsServed);
    }
  }
}
