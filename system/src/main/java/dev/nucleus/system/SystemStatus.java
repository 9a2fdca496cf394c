package dev.nucleus.system;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a running system publishes about itself in its status segment, and what {@code nucleus
 * ps} shows: the system, its root task's process, and each component with its threads.
 *
 * @param system the system's name (from its descriptor)
 * @param rootPid the process id of the root task
 * @param started when the system started
 * @param updated when this snapshot was taken
 * @param components the components, in start order
 * @param truncated whether components or threads were left out because the segment had no room
 *     for them (set by the writer; a reader sees it as published)
 */
public record SystemStatus(String system, long rootPid, Instant started, Instant updated,
    List<ComponentStatus> components, boolean truncated) {

  /**
   * Checks the fields and copies the list.
   *
   * @throws NullPointerException if a field or a component is null
   * @throws IllegalArgumentException if {@code rootPid} is not positive
   */
  public SystemStatus {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(updated, "updated");
    components = List.copyOf(components);
    if (rootPid < 1) {
      throw new IllegalArgumentException("rootPid must be a process id, not " + rootPid);
    }
  }

  /**
   * A complete status (nothing left out): what the root task builds.
   *
   * @param system the system's name
   * @param rootPid the process id of the root task
   * @param started when the system started
   * @param updated when this snapshot was taken
   * @param components the components, in start order
   */
  public SystemStatus(String system, long rootPid, Instant started, Instant updated,
      List<ComponentStatus> components) {
    this(system, rootPid, started, updated, components, false);
  }
}
