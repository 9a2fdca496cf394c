package dev.nucleus.kernel.internal.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shared-memory file backing one channel between two processes: created in {@code /dev/shm}
 * with mode 0600 and an unguessable name, mapped into a {@link MemorySegment} in both processes.
 *
 * <p>Names are {@code nucleus-<creator pid>-<128 random bits in hex>}: the random part makes the
 * file unguessable by other users' processes, the pid lets a later start reclaim files whose
 * creator crashed ({@link #reclaimOrphans}). The creator deletes the file when it closes it;
 * the mapping of a process that still has it open stays valid until that process unmaps it.
 *
 * <p>Not thread-safe: one owner opens and closes it.
 */
public final class LinkFile implements AutoCloseable {

  /** Where segments live unless told otherwise. */
  public static final Path DEFAULT_DIR = Path.of("/dev/shm");
  public static final String PREFIX = "nucleus-";
  private static final Pattern NAME = Pattern.compile("nucleus-(\\d+)-[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path path;
  private final Arena arena;
  private final MemorySegment segment;
  private final boolean creator;

  private LinkFile(Path path, Arena arena, MemorySegment segment, boolean creator) {
    this.path = path;
    this.arena = arena;
    this.segment = segment;
    this.creator = creator;
  }

  /** Creates and maps a new zero-filled file of {@code size} bytes in {@code dir}. */
  public static LinkFile create(Path dir, long size) {
    final byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    final Path path = dir.resolve(PREFIX + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random));
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create channel segment " + path, e);
    }
    try {
      return map(path, size, true);
    } catch (RuntimeException e) {
      deleteQuietly(path);
      throw e;
    }
  }

  /**
   * Maps an existing file created by the peer. Throws IllegalArgumentException if it is not a
   * regular file of at least {@code minSize} bytes, UncheckedIOException if it cannot be opened.
   */
  public static LinkFile open(Path path, long minSize) {
    try {
      final long size = Files.size(path);
      if (!Files.isRegularFile(path) || size < minSize) {
        throw new IllegalArgumentException("channel segment " + path + " is " + size + " bytes, expected at least " + minSize);
      }
      return map(path, size, false);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("channel segment " + path + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open channel segment " + path, e);
    }
  }

  private static LinkFile map(Path path, long size, boolean creator) {
    final Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (creator) {
        // Extend to size; on tmpfs pages are allocated on first touch, so unused ports cost nothing.
        ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
      }
      final MemorySegment mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
      // Seen through a plain native segment of the same arena: the rendezvous code then meets one
      // segment class in thread and process spaces alike, and the JIT keeps its accesses
      // monomorphic (a mapped segment class next to the native one slows both by a third).
      final MemorySegment view = MemorySegment.ofAddress(mapped.address()).reinterpret(size, arena, null);
      return new LinkFile(path, arena, view, creator);
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e instanceof IOException io ? new UncheckedIOException("cannot map " + path, io) : (RuntimeException) e;
    }
  }

  public Path path() {
    return path;
  }

  public MemorySegment segment() {
    return segment;
  }

  /** Removes the file name (the creator does this once both sides have mapped it, or at close). */
  public void unlink() {
    deleteQuietly(path);
  }

  /** Unmaps the segment; the creator also deletes the file. Idempotent. */
  @Override
  public void close() {
    if (creator) {
      deleteQuietly(path);
    }
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }

  /**
   * Deletes segment files in {@code dir} whose creating process no longer runs: what a crash
   * left behind. Returns how many were removed. Files of live processes are left alone.
   */
  public static int reclaimOrphans(Path dir) {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path f : files) {
        final Matcher m = NAME.matcher(f.getFileName().toString());
        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
          if (deleteQuietly(f)) {
            removed++;
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Reclaiming is best effort: a directory we cannot read holds nothing we can remove.
    }
    return removed;
  }

  private static boolean deleteQuietly(Path p) {
    try {
      return Files.deleteIfExists(p);
    } catch (IOException e) {
      return false;
    }
  }
}
