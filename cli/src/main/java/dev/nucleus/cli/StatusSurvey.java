package dev.nucleus.cli;

import dev.nucleus.system.CorruptStatusException;
import dev.nucleus.system.StatusReader;
import dev.nucleus.system.SystemStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code nucleus ps} finds in a directory of status segments: for each segment, the system
 * it shows, or that it is stale (its root task is gone), or why it cannot be read. One unreadable
 * segment never hides the others. Only maps and reads: a running system is not disturbed.
 */
final class StatusSurvey {

  private StatusSurvey() {}

  /** One segment, and what was found in it. */
  sealed interface Found {
    /** The segment's file. */
    Path path();
  }

  /** A running system's status. */
  record Running(Path path, SystemStatus status) implements Found {}

  /** A segment whose root task is not running: it can be deleted. */
  record Stale(Path path, long rootPid, String reason) implements Found {}

  /** A segment that could not be read, and why, in one line naming the file and the field. */
  record Unreadable(Path path, String error) implements Found {}

  /**
   * Looks at every status segment in {@code directory}, or only at that of {@code rootPid}.
   *
   * @param directory where the segments are
   * @param rootPid a root task's pid, or null for all
   * @return what was found, in the order of the root pids
   * @throws IOException if the directory cannot be listed
   */
  static List<Found> take(Path directory, Long rootPid) throws IOException {
    final List<Found> found = new ArrayList<>();
    for (Path file : StatusReader.list(directory)) {
      if (rootPid == null || StatusReader.rootPidOf(file) == rootPid) {
        found.add(look(file));
      }
    }
    return found;
  }

  /** What one segment holds. */
  static Found look(Path file) {
    final long pid = StatusReader.rootPidOf(file);
    if (!StatusReader.isAlive(pid)) {
      return new Stale(file, pid, "root pid " + pid + " is not running");
    }
    try (StatusReader reader = StatusReader.open(file)) {
      if (reader.isStale()) {
        return new Stale(file, pid, "pid " + pid + " now belongs to a process that is not its root task");
      }
      return new Running(file, reader.read());
    } catch (CorruptStatusException e) {
      // The writer may have exited while we read: then the segment is stale, not corrupt.
      return StatusReader.isAlive(pid) ? new Unreadable(file, e.getMessage())
          : new Stale(file, pid, "root pid " + pid + " is not running");
    } catch (IOException e) {
      return new Unreadable(file, file + ": " + OutputFile.reason(e));
    }
  }
}
