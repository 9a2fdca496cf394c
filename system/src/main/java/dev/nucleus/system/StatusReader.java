package dev.nucleus.system;

import dev.nucleus.system.internal.StatusDecoder;
import dev.nucleus.system.internal.StatusLayout;
import dev.nucleus.system.internal.StatusLayout.Geometry;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the status segment a running system publishes ({@code nucleus-status-<root pid>}, see
 * docs/status-segment.md), as AeronStat reads Aeron's counters file: it maps the file read-only
 * and copies what it reads, so it can neither stop nor slow the system. The file is written by
 * another process and is trusted in nothing: {@link #open} checks its header, {@link #read} every
 * field of a snapshot, and a bad value is a {@link CorruptStatusException} naming the field.
 *
 * <pre>
 * Implementation overview (the reader's half of the seqlock; the writer's is in StatusWriter)
 *   repeat at most MAX_TRIES times:
 *     s1 = SEQUENCE (acquire); if odd, the writer is publishing: back off, try again
 *     copy the snapshot's fixed part, then the records it counts (clamped to the capacities)
 *     load-load fence; s2 = SEQUENCE (opaque)
 *     if s2 == s1 the copy is one publish's whole snapshot: decode and check it, return it
 *   fail with a CorruptStatusException naming SEQUENCE
 * </pre>
 *
 * <p>The first 100 tries spin; the rest sleep 0.1 ms each, so {@link #read} gives up after about
 * 0.1 s at most against a writer that died while publishing (SEQUENCE stays odd). A publish takes
 * microseconds, so a live writer never makes it give up.
 *
 * <p>Thread-safety: {@link #read} and {@link #close} are synchronized; the other methods may be
 * called from any thread.
 */
public final class StatusReader implements AutoCloseable {

  /** Where {@code nucleus run} creates its status segment, and where {@code nucleus ps} looks. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");
  /** A status segment's file name is this prefix and the root task's process id. */
  public static final String FILE_PREFIX = "nucleus-status-";
  /** How many times {@link #read} tries for a consistent snapshot before it gives up. */
  public static final int MAX_TRIES = 1000;
  /** Tries that spin before the rest sleep. */
  private static final int SPIN_TRIES = 100;
  private static final long BACKOFF_NANOS = 100_000;
  /** How far a process's start may be from the one the writer recorded and still be the writer. */
  private static final long START_TOLERANCE_MS = 1000;
  private static final Pattern NAME = Pattern.compile(Pattern.quote(FILE_PREFIX) + "([1-9][0-9]{0,18})");
  /** No valid file is larger: a larger one is refused before it is mapped. */
  private static final long MAX_FILE_SIZE = new Geometry(StatusLayout.MAX_COMPONENTS_LIMIT,
      StatusLayout.MAX_THREADS_LIMIT).totalSize();

  private final Path path;
  private final Arena arena;
  private final MemorySegment mapped;
  private final Geometry geometry;
  private final long rootPid;
  private final long rootStartMs;
  /** Where {@link #read} copies a snapshot to; long[] so the layout's aligned accesses work on it. */
  private final MemorySegment copy;

  private StatusReader(Path path, Arena arena, MemorySegment mapped, Geometry geometry) {
    this.path = path;
    this.arena = arena;
    this.mapped = mapped;
    this.geometry = geometry;
    this.rootPid = StatusLayout.rootPid(mapped);
    this.rootStartMs = StatusLayout.rootStartMs(mapped);
    this.copy = MemorySegment.ofArray(new long[Math.toIntExact(geometry.totalSize() / Long.BYTES)]);
  }

  /**
   * The path of the status segment of the system whose root task is {@code rootPid}.
   *
   * @param directory the directory segments are in
   * @param rootPid the root task's process id
   * @return {@code <directory>/nucleus-status-<rootPid>}
   */
  public static Path fileFor(Path directory, long rootPid) {
    return directory.resolve(FILE_PREFIX + rootPid);
  }

  /**
   * The root task's pid a file's name says, or -1 if the name is not a status segment's.
   *
   * @param file any path
   * @return the pid in {@code nucleus-status-<pid>}, or -1
   */
  public static long rootPidOf(Path file) {
    final Path name = file.getFileName();
    final Matcher m = NAME.matcher(name == null ? "" : name.toString());
    if (!m.matches()) {
      return -1;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1; // 19 digits beyond Long.MAX_VALUE
    }
  }

  /**
   * The status segments in {@code directory}, in the order of their root pids. Neither opens nor
   * checks them.
   *
   * @param directory where to look, usually {@link #DEFAULT_DIRECTORY}
   * @return the paths of files named {@code nucleus-status-<pid>}
   * @throws IOException if the directory cannot be listed (NoSuchFileException if it does not exist)
   */
  public static List<Path> list(Path directory) throws IOException {
    final List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, FILE_PREFIX + "*")) {
      for (Path f : files) {
        if (rootPidOf(f) > 0) {
          found.add(f);
        }
      }
    }
    found.sort(Comparator.comparingLong(StatusReader::rootPidOf));
    return found;
  }

  /**
   * Whether a process with id {@code pid} is running.
   *
   * @param pid a process id
   * @return true if it exists and has not exited
   */
  public static boolean isAlive(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Maps {@code file} read-only and checks its header: magic, layout version, capacities,
   * offsets and size, and that its ROOT_PID is the pid in its name.
   *
   * @param file a status segment
   * @return a reader of it, which holds the mapping until {@link #close}
   * @throws IOException if the file cannot be opened or mapped, or is not a regular file
   * @throws CorruptStatusException if the header is not a valid status segment's (the message
   *     names the file and the field)
   */
  public static StatusReader open(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(file + ": " + (Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "not a regular file"
          : "no such file"));
    }
    final Arena arena = Arena.ofShared();
    try {
      final MemorySegment mapped;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        final long size = channel.size();
        if (size > MAX_FILE_SIZE) {
          throw new CorruptStatusException("TOTAL_SIZE", "cannot be right: the file has " + size
              + " bytes, more than any status segment (" + MAX_FILE_SIZE + ")");
        }
        mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      }
      final Geometry geometry = StatusLayout.validateHeader(mapped, mapped.byteSize());
      final long named = rootPidOf(file);
      final long pid = StatusLayout.rootPid(mapped);
      if (named > 0 && pid != named) {
        throw new CorruptStatusException("ROOT_PID", "is " + pid + " but the file is named for pid " + named);
      }
      return new StatusReader(file, arena, mapped, geometry);
    } catch (CorruptStatusException e) {
      arena.close();
      throw e.in(file);
    } catch (IOException | RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  /**
   * The segment's path.
   *
   * @return the path it was opened at
   */
  public Path path() {
    return path;
  }

  /**
   * The root task's process id (the header's ROOT_PID).
   *
   * @return the pid
   */
  public long rootPid() {
    return rootPid;
  }

  /**
   * Whether the segment is stale: its root task is no longer running (it was killed and could not
   * remove the file), or its pid now belongs to another process (one that started at another
   * time than the writer recorded). A stale segment can be deleted.
   *
   * @return true if no running root task owns the segment
   */
  public boolean isStale() {
    final var process = ProcessHandle.of(rootPid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return true;
    }
    if (rootStartMs == 0) {
      return false;
    }
    return process.flatMap(p -> p.info().startInstant())
        .map(start -> Math.abs(start.toEpochMilli() - rootStartMs) > START_TOLERANCE_MS)
        .orElse(false);
  }

  /**
   * When the writer last finished a publish, by its clock.
   *
   * @return the HEARTBEAT_MS field as an instant; the epoch if it never published
   */
  public Instant heartbeat() {
    return Instant.ofEpochMilli(StatusLayout.heartbeatAcquire(mapped));
  }

  /**
   * Reads a consistent snapshot: one whole publish, never a mix of two. Does not block the
   * writer; waits for it at most about 0.1 s (see the class comment).
   *
   * @return the system's status as last published
   * @throws CorruptStatusException if a field is wrong, or no consistent snapshot was found in
   *     {@link #MAX_TRIES} tries (field SEQUENCE); the message names the file
   * @throws IllegalStateException if the reader is closed
   */
  public synchronized SystemStatus read() {
    long seen = 0;
    for (int tries = 1; tries <= MAX_TRIES; tries++) {
      seen = StatusLayout.sequenceAcquire(mapped);
      if ((seen & 1) == 0) {
        copySnapshot();
        VarHandle.loadLoadFence();
        if (StatusLayout.sequenceOpaque(mapped) == seen) {
          try {
            return StatusDecoder.decode(copy, geometry, rootPid);
          } catch (CorruptStatusException e) {
            throw e.in(path);
          }
        }
      }
      if (tries < SPIN_TRIES) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(BACKOFF_NANOS);
      }
    }
    throw new CorruptStatusException("SEQUENCE", ((seen & 1) != 0
        ? "stayed odd over " + MAX_TRIES + " tries: the writer stopped in the middle of a publish"
        : "changed during each of " + MAX_TRIES + " tries: the writer publishes without pause")).in(path);
  }

  /** Copies the snapshot's fixed part, then the records its counts name (clamped: they may be torn). */
  private void copySnapshot() {
    MemorySegment.copy(mapped, StatusLayout.SNAPSHOT_START, copy, StatusLayout.SNAPSHOT_START,
        StatusLayout.SNAPSHOT_END - StatusLayout.SNAPSHOT_START);
    final int components = clamp(copy.get(ValueLayout.JAVA_INT, StatusLayout.COMPONENT_COUNT_OFFSET),
        geometry.maxComponents());
    final int threads = clamp(copy.get(ValueLayout.JAVA_INT, StatusLayout.THREAD_COUNT_OFFSET), geometry.maxThreads());
    MemorySegment.copy(mapped, StatusLayout.COMPONENTS_START, copy, StatusLayout.COMPONENTS_START,
        StatusLayout.COMPONENT_SIZE * components);
    MemorySegment.copy(mapped, geometry.threadsOffset(), copy, geometry.threadsOffset(),
        StatusLayout.THREAD_SIZE * threads);
  }

  private static int clamp(int count, int max) {
    return count < 0 ? 0 : Math.min(count, max);
  }

  /** Unmaps the segment. Idempotent. */
  @Override
  public synchronized void close() {
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }
}
