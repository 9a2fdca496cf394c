package dev.nucleus.system.internal;

import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.StatusReader;
import dev.nucleus.system.SystemStatus;
import dev.nucleus.system.ThreadStatus;
import dev.nucleus.system.internal.StatusLayout.Geometry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The root task's side of the status segment: creates {@code nucleus-status-<root pid>}, publishes
 * a {@link SystemStatus} into it a few times a second, and removes it on close. Readers ({@link
 * StatusReader}, {@code nucleus ps}) only map the file read-only; nothing they do can block or slow
 * the writer.
 *
 * <pre>
 * Implementation overview
 *   create:  reclaim status files of dead roots in the directory; create a temporary file (random
 *            name, O_EXCL, mode 0644), write it full of zeros (a full tmpfs fails here, not as a
 *            SIGBUS at a later store), map it, write the header and an empty snapshot, then rename
 *            it to its name atomically: a reader never finds a file that is not complete
 *   publish: encode the status into a private heap copy of the layout (strings cut to fit,
 *            components and threads beyond capacity left out and FLAGS.TRUNCATED set), then
 *              SEQUENCE = s + 1 (opaque); store-store fence
 *              copy the snapshot's fixed part and the used records into the mapping
 *              SEQUENCE = s + 2 (release); HEARTBEAT_MS = now (release)
 *            so the window in which SEQUENCE is odd is a few memory copies long
 *   close:   unmap, then delete the file
 * </pre>
 *
 * <p>The mode is 0644: like /proc, a system's status may be read by other users' {@code nucleus
 * ps}; only the root writes it. The seqlock needs no help from readers: a reader that finds
 * SEQUENCE odd or changed retries, and gives up after a bounded number of tries.
 *
 * <p>Thread-safety: {@link #publish} and {@link #close} are synchronized; any thread may call them.
 * Memory consistency effects: a reader whose acquire load of SEQUENCE returns the even value a
 * publish stored sees everything that publish wrote.
 */
public final class StatusWriter implements AutoCloseable {

  /** Where status segments live unless told otherwise: the same tmpfs as the kernel's links. */
  public static final Path DEFAULT_DIRECTORY = StatusReader.DEFAULT_DIRECTORY;

  private static final Pattern TEMPORARY = Pattern.compile(Pattern.quote(StatusReader.FILE_PREFIX)
      + "(\\d{1,19})\\..*\\.tmp");
  /** Bytes of zeros written per call while filling a new file. */
  private static final int FILL_CHUNK = 64 * 1024;

  private final Path path;
  private final Geometry geometry;
  private final long rootPid;
  private final Arena arena;
  private final MemorySegment mapped;
  /** The layout in the heap: publish encodes here, then copies the used parts into {@link #mapped}. */
  private final MemorySegment staging;
  /** The last even SEQUENCE this writer stored; guarded by this. */
  private long sequence;
  private boolean closed;

  private StatusWriter(Path path, Geometry geometry, long rootPid, Arena arena, MemorySegment mapped) {
    this.path = path;
    this.geometry = geometry;
    this.rootPid = rootPid;
    this.arena = arena;
    this.mapped = mapped;
    // long[]: 8-byte aligned, so the layout's aligned accessors work on it as on the mapping.
    this.staging = MemorySegment.ofArray(new long[Math.toIntExact(geometry.totalSize() / Long.BYTES)]);
  }

  /**
   * Creates the status segment of this process's system in {@code directory}, with room for 128
   * components and 2048 threads, holding an empty status until the first {@link #publish}.
   *
   * @param directory where to create it, usually {@link #DEFAULT_DIRECTORY}
   * @param system the system's name
   * @return the writer, which owns the file until {@link #close}
   * @throws IOException if the directory is missing, not writable or full (one line naming it)
   */
  public static StatusWriter create(Path directory, String system) throws IOException {
    return create(directory, system, Geometry.DEFAULT, ProcessHandle.current().pid());
  }

  /**
   * Creates a status segment with the given capacities for the root process {@code rootPid}:
   * {@code nucleus-status-<rootPid>} in {@code directory}, replacing a file of that name. Tests and
   * tools use this to write the segment of another process (a dead one: a stale segment).
   *
   * @param directory where to create it
   * @param system the system's name
   * @param geometry the capacities
   * @param rootPid the process the segment describes
   * @return the writer
   * @throws IOException if the directory is missing, not writable or full
   */
  public static StatusWriter create(Path directory, String system, Geometry geometry, long rootPid)
      throws IOException {
    if (rootPid < 1) {
      throw new IllegalArgumentException("rootPid must be a process id, not " + rootPid);
    }
    reclaimStale(directory);
    final long startMs = ProcessHandle.of(rootPid).flatMap(p -> p.info().startInstant())
        .map(Instant::toEpochMilli).orElse(0L);
    final Path target = StatusReader.fileFor(directory, rootPid);
    final Path temporary;
    try {
      temporary = Files.createTempFile(directory, StatusReader.FILE_PREFIX + rootPid + ".", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    } catch (IOException e) {
      throw new IOException("cannot create a status segment in " + directory + ": " + reason(e), e);
    }
    final Arena arena = Arena.ofShared();
    try {
      final MemorySegment mapped;
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        fillWithZeros(channel, geometry.totalSize());
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, geometry.totalSize(), arena);
      }
      final StatusWriter writer = new StatusWriter(target, geometry, rootPid, arena, mapped);
      StatusLayout.writeHeader(mapped, geometry, rootPid, startMs);
      final Instant now = Instant.now();
      writer.publish(new SystemStatus(system, rootPid, now, now, List.of()));
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return writer;
    } catch (IOException | RuntimeException | Error e) {
      arena.close();
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw new IOException("cannot create a status segment in " + directory + ": " + reason(io), io);
      }
      throw e;
    }
  }

  /** Writes {@code size} zero bytes: tmpfs allocates every page now, and says so if it cannot. */
  private static void fillWithZeros(FileChannel channel, long size) throws IOException {
    final ByteBuffer zeros = ByteBuffer.allocate(FILL_CHUNK);
    for (long at = 0; at < size; ) {
      zeros.clear().limit((int) Math.min(FILL_CHUNK, size - at));
      at += channel.write(zeros, at);
    }
  }

  /** Why a file operation failed, in a few words (the caller names the directory). */
  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /**
   * Removes the status segments in {@code directory} whose root process is no longer running, and
   * the temporary files of creations a dead root left behind. Best effort: what cannot be removed
   * (another user's file) stays, and an unreadable directory is skipped.
   *
   * @param directory the directory to clean
   * @return how many files were removed
   */
  public static int reclaimStale(Path directory) {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, StatusReader.FILE_PREFIX + "*")) {
      for (Path f : files) {
        final String name = f.getFileName().toString();
        final Matcher temporary = TEMPORARY.matcher(name);
        final long pid = temporary.matches() ? parsePid(temporary.group(1)) : StatusReader.rootPidOf(f);
        if (pid > 0 && !StatusReader.isAlive(pid) && Files.deleteIfExists(f)) {
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a later start tries again, and ps shows what is left as stale.
    }
    return removed;
  }

  private static long parsePid(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The segment's path.
   *
   * @return {@code <directory>/nucleus-status-<root pid>}
   */
  public Path path() {
    return path;
  }

  /**
   * Publishes {@code status}: readers that start reading after this returns see it whole, or a
   * later one. Never waits for a reader. Strings longer than their fields are cut on a character
   * boundary; components and threads beyond the segment's capacity are left out, and the
   * published status says it was truncated.
   *
   * @param status the system's state now
   * @throws IllegalArgumentException if {@code status.rootPid()} is not the segment's root pid
   * @throws IllegalStateException if the writer is closed
   */
  public synchronized void publish(SystemStatus status) {
    if (closed) {
      throw new IllegalStateException("the status segment " + path + " is closed");
    }
    if (status.rootPid() != rootPid) {
      throw new IllegalArgumentException("the status is of root pid " + status.rootPid() + ", the segment of "
          + rootPid);
    }
    final int[] used = encode(status);
    final long odd = sequence + 1;
    StatusLayout.sequenceOpenOpaque(mapped, odd);
    MemorySegment.copy(staging, StatusLayout.SNAPSHOT_START, mapped, StatusLayout.SNAPSHOT_START,
        StatusLayout.SNAPSHOT_END - StatusLayout.SNAPSHOT_START);
    MemorySegment.copy(staging, StatusLayout.COMPONENTS_START, mapped, StatusLayout.COMPONENTS_START,
        StatusLayout.COMPONENT_SIZE * used[0]);
    MemorySegment.copy(staging, geometry.threadsOffset(), mapped, geometry.threadsOffset(),
        StatusLayout.THREAD_SIZE * used[1]);
    sequence = odd + 1;
    StatusLayout.sequenceRelease(mapped, sequence);
    StatusLayout.heartbeatRelease(mapped, System.currentTimeMillis());
  }

  /** Encodes {@code status} into {@link #staging}; returns {components, threads} written. */
  private int[] encode(SystemStatus status) {
    final MemorySegment s = staging;
    boolean truncated = status.truncated();
    final List<ComponentStatus> components = status.components();
    final int componentCount = Math.min(components.size(), geometry.maxComponents());
    truncated |= componentCount < components.size();
    int threadCount = 0;
    for (int k = 0; k < componentCount; k++) {
      final ComponentStatus c = components.get(k);
      final long at = geometry.component(k);
      final int threads = Math.min(c.threads().size(), geometry.maxThreads() - threadCount);
      truncated |= threads < c.threads().size();
      Utf8Field.write(s, at + StatusLayout.COMPONENT_NAME_OFFSET, StatusLayout.NAME_BYTES, c.name());
      s.set(ValueLayout.JAVA_INT, at + StatusLayout.COMPONENT_ISOLATION_OFFSET, StatusLayout.ISOLATIONS.indexOf(c.isolation()));
      s.set(ValueLayout.JAVA_INT, at + StatusLayout.COMPONENT_STATE_OFFSET, StatusLayout.STATES.indexOf(c.state()));
      s.set(ValueLayout.JAVA_INT, at + StatusLayout.COMPONENT_SPACE_OFFSET, c.space());
      s.set(ValueLayout.JAVA_INT, at + StatusLayout.COMPONENT_FIRST_THREAD_OFFSET, threadCount);
      s.set(ValueLayout.JAVA_INT, at + StatusLayout.COMPONENT_THREAD_COUNT_OFFSET, threads);
      s.set(ValueLayout.JAVA_LONG, at + StatusLayout.COMPONENT_PID_OFFSET, c.pid());
      s.set(ValueLayout.JAVA_LONG, at + StatusLayout.COMPONENT_RESTARTS_OFFSET, c.restarts());
      s.set(ValueLayout.JAVA_LONG, at + StatusLayout.COMPONENT_CALLS_SERVED_OFFSET, c.callsServed());
      StatusLayout.putTime(s, at + StatusLayout.COMPONENT_SINCE_SECONDS_OFFSET,
          at + StatusLayout.COMPONENT_SINCE_NANOS_OFFSET, c.since());
      for (int t = 0; t < threads; t++) {
        encodeThread(s, geometry.thread(threadCount + t), c.threads().get(t));
      }
      threadCount += threads;
    }
    Utf8Field.write(s, StatusLayout.SYSTEM_NAME_OFFSET, StatusLayout.NAME_BYTES, status.system());
    s.set(ValueLayout.JAVA_INT, StatusLayout.FLAGS_OFFSET, truncated ? StatusLayout.FLAG_TRUNCATED : 0);
    s.set(ValueLayout.JAVA_INT, StatusLayout.COMPONENT_COUNT_OFFSET, componentCount);
    s.set(ValueLayout.JAVA_INT, StatusLayout.THREAD_COUNT_OFFSET, threadCount);
    StatusLayout.putTime(s, StatusLayout.STARTED_SECONDS_OFFSET, StatusLayout.STARTED_NANOS_OFFSET, status.started());
    StatusLayout.putTime(s, StatusLayout.UPDATED_SECONDS_OFFSET, StatusLayout.UPDATED_NANOS_OFFSET, status.updated());
    return new int[] {componentCount, threadCount};
  }

  private static void encodeThread(MemorySegment s, long at, ThreadStatus t) {
    s.set(ValueLayout.JAVA_LONG, at + StatusLayout.THREAD_ID_OFFSET, t.id());
    s.set(ValueLayout.JAVA_INT, at + StatusLayout.THREAD_KIND_OFFSET, StatusLayout.KINDS.indexOf(t.kind()));
    Utf8Field.write(s, at + StatusLayout.THREAD_NAME_OFFSET, StatusLayout.NAME_BYTES, t.name());
    Utf8Field.write(s, at + StatusLayout.THREAD_PARTNER_OFFSET, StatusLayout.PARTNER_BYTES, t.partner());
  }

  /**
   * Unmaps the segment and deletes its file. Idempotent.
   *
   * @throws UncheckedIOException if the file cannot be deleted (it is unmapped all the same)
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    arena.close();
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the status segment " + path, e);
    }
  }

}
