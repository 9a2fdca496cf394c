package dev.nucleus.system.internal;

import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.CorruptStatusException;
import dev.nucleus.system.SystemStatus;
import dev.nucleus.system.ThreadStatus;
import dev.nucleus.system.internal.StatusLayout.Geometry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a consistent copy of a status segment's snapshot into a {@link SystemStatus}, checking
 * every field on the way: the segment is written by another process, so no value is used before
 * it is known to be one its writer could have written. An error names the field as
 * docs/status-segment.md does ({@code COMPONENT_COUNT}, {@code COMPONENT[3].STATE}, {@code
 * THREAD[17].NAME}) and says what it holds and what was expected.
 *
 * <p>Stateless and thread-safe.
 */
public final class StatusDecoder {

  private StatusDecoder() {}

  /**
   * Decodes the snapshot in {@code copy}.
   *
   * @param copy a private copy of the segment, laid out as the file (only the snapshot's fixed
   *     part and the records it counts need be there)
   * @param g the file's capacities, from its validated header
   * @param rootPid the file's ROOT_PID, from its validated header
   * @return the status
   * @throws CorruptStatusException naming the first field that is wrong
   */
  public static SystemStatus decode(MemorySegment copy, Geometry g, long rootPid) {
    final int flags = copy.get(ValueLayout.JAVA_INT, StatusLayout.FLAGS_OFFSET);
    if ((flags & ~StatusLayout.KNOWN_FLAGS) != 0) {
      throw new CorruptStatusException("FLAGS", "is 0x" + Integer.toHexString(flags) + ", only bit 0 (TRUNCATED) is"
          + " defined");
    }
    final int componentCount = count(copy, StatusLayout.COMPONENT_COUNT_OFFSET, g.maxComponents(), "COMPONENT_COUNT",
        "MAX_COMPONENTS");
    final int threadCount = count(copy, StatusLayout.THREAD_COUNT_OFFSET, g.maxThreads(), "THREAD_COUNT",
        "MAX_THREADS");
    final String system = Utf8Field.read(copy, StatusLayout.SYSTEM_NAME_OFFSET, StatusLayout.NAME_BYTES,
        "SYSTEM_NAME");
    final Instant started = instant(copy, StatusLayout.STARTED_SECONDS_OFFSET, StatusLayout.STARTED_NANOS_OFFSET,
        "STARTED");
    final Instant updated = instant(copy, StatusLayout.UPDATED_SECONDS_OFFSET, StatusLayout.UPDATED_NANOS_OFFSET,
        "UPDATED");
    final List<ComponentStatus> components = new ArrayList<>(componentCount);
    int nextThread = 0;
    for (int k = 0; k < componentCount; k++) {
      final ComponentStatus c = component(copy, g, k, nextThread, threadCount);
      components.add(c);
      nextThread += c.threads().size();
    }
    if (nextThread != threadCount) {
      throw new CorruptStatusException("THREAD_COUNT", "is " + threadCount + " but the components own " + nextThread
          + " threads");
    }
    return new SystemStatus(system, rootPid, started, updated, components,
        (flags & StatusLayout.FLAG_TRUNCATED) != 0);
  }

  private static ComponentStatus component(MemorySegment copy, Geometry g, int k, int firstExpected,
      int threadCount) {
    final long at = g.component(k);
    final String f = "COMPONENT[" + k + "].";
    final String name = Utf8Field.read(copy, at + StatusLayout.COMPONENT_NAME_OFFSET, StatusLayout.NAME_BYTES,
        f + "NAME");
    final String isolation = code(copy, at + StatusLayout.COMPONENT_ISOLATION_OFFSET, StatusLayout.ISOLATIONS,
        f + "ISOLATION");
    final String state = code(copy, at + StatusLayout.COMPONENT_STATE_OFFSET, StatusLayout.STATES, f + "STATE");
    final int space = copy.get(ValueLayout.JAVA_INT, at + StatusLayout.COMPONENT_SPACE_OFFSET);
    if (space < 0 || space >= StatusLayout.SPACE_LIMIT) {
      throw new CorruptStatusException(f + "SPACE", "is " + Integer.toUnsignedString(space) + ", expected 0.."
          + (StatusLayout.SPACE_LIMIT - 1));
    }
    final int first = copy.get(ValueLayout.JAVA_INT, at + StatusLayout.COMPONENT_FIRST_THREAD_OFFSET);
    if (first != firstExpected) {
      throw new CorruptStatusException(f + "FIRST_THREAD", "is " + Integer.toUnsignedString(first) + ", expected "
          + firstExpected + ": each component's threads follow the previous component's");
    }
    final int count = copy.get(ValueLayout.JAVA_INT, at + StatusLayout.COMPONENT_THREAD_COUNT_OFFSET);
    if (count < 0 || count > threadCount - first) {
      throw new CorruptStatusException(f + "THREAD_COUNT", "is " + Integer.toUnsignedString(count) + ", but only "
          + (threadCount - first) + " of THREAD_COUNT " + threadCount + " threads are left from FIRST_THREAD " + first);
    }
    final long pid = nonNegative(copy, at + StatusLayout.COMPONENT_PID_OFFSET, f + "PID");
    final long restarts = nonNegative(copy, at + StatusLayout.COMPONENT_RESTARTS_OFFSET, f + "RESTARTS");
    final long calls = nonNegative(copy, at + StatusLayout.COMPONENT_CALLS_SERVED_OFFSET, f + "CALLS_SERVED");
    final Instant since = instant(copy, at + StatusLayout.COMPONENT_SINCE_SECONDS_OFFSET,
        at + StatusLayout.COMPONENT_SINCE_NANOS_OFFSET, f + "SINCE");
    final List<ThreadStatus> threads = new ArrayList<>(count);
    for (int t = first; t < first + count; t++) {
      threads.add(thread(copy, g, t));
    }
    return new ComponentStatus(name, isolation, state, space, pid, restarts, calls, since, threads);
  }

  private static ThreadStatus thread(MemorySegment copy, Geometry g, int t) {
    final long at = g.thread(t);
    final String f = "THREAD[" + t + "].";
    final long id = copy.get(ValueLayout.JAVA_LONG, at + StatusLayout.THREAD_ID_OFFSET);
    final String kind = code(copy, at + StatusLayout.THREAD_KIND_OFFSET, StatusLayout.KINDS, f + "KIND");
    final String name = Utf8Field.read(copy, at + StatusLayout.THREAD_NAME_OFFSET, StatusLayout.NAME_BYTES,
        f + "NAME");
    final String partner = Utf8Field.read(copy, at + StatusLayout.THREAD_PARTNER_OFFSET, StatusLayout.PARTNER_BYTES,
        f + "PARTNER");
    return new ThreadStatus(id, name, kind, partner);
  }

  /** A u32 count at {@code offset}, checked against {@code max}. */
  private static int count(MemorySegment copy, long offset, int max, String field, String maxField) {
    final int v = copy.get(ValueLayout.JAVA_INT, offset);
    if (v < 0 || v > max) {
      throw new CorruptStatusException(field, "is " + Integer.toUnsignedString(v) + ", more than " + maxField + " "
          + max);
    }
    return v;
  }

  /** The value whose code is the u32 at {@code offset}. */
  private static String code(MemorySegment copy, long offset, List<String> values, String field) {
    final int v = copy.get(ValueLayout.JAVA_INT, offset);
    if (v < 0 || v >= values.size()) {
      throw new CorruptStatusException(field, "is " + Integer.toUnsignedString(v) + ", expected 0.."
          + (values.size() - 1) + " (" + String.join(", ", values) + ")");
    }
    return values.get(v);
  }

  private static long nonNegative(MemorySegment copy, long offset, String field) {
    final long v = copy.get(ValueLayout.JAVA_LONG, offset);
    if (v < 0) {
      throw new CorruptStatusException(field, "is " + Long.toUnsignedString(v) + ", more than 2^63 - 1");
    }
    return v;
  }

  /** An instant from its seconds (i64) and nanoseconds (u32) fields, named {@code field}_SECONDS/_NANOS. */
  private static Instant instant(MemorySegment copy, long secondsOffset, long nanosOffset, String field) {
    final long seconds = copy.get(ValueLayout.JAVA_LONG, secondsOffset);
    final int nanos = copy.get(ValueLayout.JAVA_INT, nanosOffset);
    if (nanos < 0 || nanos > 999_999_999) {
      throw new CorruptStatusException(field + "_NANOS", "is " + Integer.toUnsignedString(nanos)
          + ", expected 0..999999999");
    }
    if (seconds < 0 || seconds > StatusLayout.MAX_SECONDS) {
      throw new CorruptStatusException(field + "_SECONDS", "is " + seconds + ", expected 0.." + StatusLayout.MAX_SECONDS
          + " (1970 to 9999)");
    }
    return Instant.ofEpochSecond(seconds, nanos);
  }
}
