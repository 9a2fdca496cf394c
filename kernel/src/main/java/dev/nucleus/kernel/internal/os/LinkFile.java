package dev.nucleus.kernel.internal.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shared-memory file backing one link between two processes: created in the link directory
 * (a tmpfs: {@link #defaultDirectory()} unless configured) with mode 0600 and an unguessable
 * name, sparse, with the ranges its creator will touch reserved, and mapped into a
 * {@link MemorySegment} in both processes.
 *
 * <pre>
 * Implementation overview
 *   create:  open(O_CREAT|O_EXCL|O_NOFOLLOW, 0600) -> ftruncate(size) -> posix_fallocate(prefix)
 *            -> mmap(MAP_SHARED); the creator keeps the fd; any failure closes the fd, removes the
 *            file and throws one line
 *   reserve: posix_fallocate(range) on the creator's fd, before anything touches the range
 *   open:    open(O_NOFOLLOW) -> size = lseek(SEEK_END) -> mmap -> close(fd)
 *   close:   the creator closes its fd and removes the file; the mapping goes when the segment
 *            is unreachable
 *   full:    if mappings of this process wait for the collector, collect, wait for their
 *            unmapping (as java.nio.Bits does for direct memory), and reserve once more
 * </pre>
 *
 * <p>Why reserve: a tmpfs allocates a page when it is first touched, and a touch that finds the
 * tmpfs full raises SIGBUS, which the JVM reports as an {@code InternalError} wherever the touch
 * happens (a wake-up scan, a thread's first message, long after creation). posix_fallocate
 * allocates the pages up front instead, so a full directory is an error there, naming the
 * directory, the bytes needed and the bytes free, and no access to a reserved range can fault
 * later. Why sparse: a link's table is indexed like the kernel's, but only the rows of the two
 * spaces it joins are ever used; reserving just those makes a link cost what its spaces use
 * (tens of kilobytes) instead of the whole table. Neither side touches a range the creator has
 * not reserved: the creator records each reserved row in the file's row map, which the opener
 * (whose creator is the root kernel it trusts) reads before touching a row.
 *
 * <p>Why unmap on unreachability: a thread of the root may still be inside a dead link's table
 * (until its next IPC), and an explicit unmap would turn its next access into a fault. The
 * segment's arena is automatic, as the kernel's own tables are: the mapping is released by the
 * collector once nothing can reach the segment. Until then its pages still count against the
 * directory, which is why a full directory first collects.
 *
 * <p>Names are {@code nucleus-<creator pid>-<128 random bits in hex>}: the random part makes the
 * file unguessable by other users' processes, the pid lets a later start reclaim files whose
 * creator crashed ({@link #reclaimOrphans}). The mapping of a process stays valid after the name
 * is removed, until that process unmaps it.
 *
 * <p>Errors: {@link #create}, {@link #reserve} and {@link #open} throw IllegalStateException (the directory or
 * the system refuses: missing, read-only, full, not permitted) or IllegalArgumentException (open:
 * not a usable link file), each with a one-line message that says what and where.
 * {@link #reserve} and {@link #close} are thread-safe; one owner opens and closes a file.
 */
public final class LinkFile implements AutoCloseable {

  /** The environment variable naming the link directory, as Aeron's {@code aeron.dir}. */
  public static final String DIRECTORY_VARIABLE = "NUCLEUS_LINK_DIR";
  /** Where links live when {@value #DIRECTORY_VARIABLE} is not set. */
  public static final Path DEFAULT_DIR = Path.of("/dev/shm");
  public static final String PREFIX = "nucleus-";
  private static final Pattern NAME = Pattern.compile("nucleus-(\\d+)-[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MODE_0600 = 0600;
  /** Pauses between collections while a full directory waits for unreachable links to be unmapped. */
  private static final int COLLECT_ROUNDS = 8;

  /** Bytes of link files this process has mapped: each mapping adds, each unmapping subtracts. */
  private static final AtomicLong MAPPED_BYTES = new AtomicLong();

  private final Path path;
  private final MemorySegment segment;
  private final boolean creator;
  /** The creator's descriptor, kept to reserve more of the file later; -1 once closed (and always for an opener). */
  private int fd;

  private LinkFile(Path path, MemorySegment segment, boolean creator, int fd) {
    this.path = path;
    this.segment = segment;
    this.creator = creator;
    this.fd = fd;
  }

  /** {@code $NUCLEUS_LINK_DIR} if set and not blank, else {@code /dev/shm}. */
  public static Path defaultDirectory() {
    final String dir = System.getenv(DIRECTORY_VARIABLE);
    return dir == null || dir.isBlank() ? DEFAULT_DIR : Path.of(dir);
  }

  /**
   * Creates a new zero-filled file of {@code size} bytes in {@code dir}, sparse but for its first
   * {@code reservedPrefix} bytes, which are reserved; maps it. Reserve more with {@link #reserve}
   * before touching it.
   *
   * @throws IllegalStateException if the file cannot be created, reserved or mapped (the
   *     directory is missing, read-only or full, ...): nothing is left in {@code dir}
   */
  public static LinkFile create(Path dir, long size, long reservedPrefix) {
    checkAvailable();
    final byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    final Path path = dir.resolve(PREFIX + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random));
    final int fd = Posix.open(path, Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL | Posix.O_NOFOLLOW | Posix.O_CLOEXEC,
        MODE_0600);
    if (fd < 0) {
      throw new IllegalStateException("cannot create a link in " + dir + ": " + Posix.strerror(-fd));
    }
    try {
      final int sized = Posix.ftruncate(fd, size);
      if (sized != 0) {
        throw new IllegalStateException("cannot size link file " + path + " to " + size + " bytes: "
            + Posix.strerror(-sized));
      }
      reserve(fd, path, 0, reservedPrefix, "a link");
      return new LinkFile(path, map(fd, path, size), true, fd);
    } catch (RuntimeException | Error e) {
      closeQuietly(fd);
      removeAfterFailure(path, e);
      throw e;
    }
  }

  /**
   * Maps an existing file created by the peer. It reserves nothing: the creator reserves what
   * either side may touch and says so in the file (see LinkDescriptor, ROW_MAP).
   *
   * @throws IllegalArgumentException if it does not exist, is not a regular file or is shorter
   *     than {@code minSize} bytes
   * @throws IllegalStateException if it cannot be opened or mapped
   */
  public static LinkFile open(Path path, long minSize) {
    checkAvailable();
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("link file " + path + " is not a regular file");
    }
    final int fd = Posix.open(path, Posix.O_RDWR | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0);
    if (fd == -Posix.ENOENT) {
      throw new IllegalArgumentException("link file " + path + " does not exist");
    }
    if (fd < 0) {
      throw new IllegalStateException("cannot open link file " + path + ": " + Posix.strerror(-fd));
    }
    try {
      final long size = Posix.lseek(fd, 0, Posix.SEEK_END);
      if (size < minSize) {
        throw new IllegalArgumentException("link file " + path + " is " + (size < 0 ? "unreadable" : size + " bytes")
            + ", expected at least " + minSize);
      }
      return new LinkFile(path, map(fd, path, size), false, -1);
    } finally {
      closeQuietly(fd); // the mapping keeps the file's pages; the descriptor is not needed
    }
  }

  /**
   * The creator reserves bytes {@code [offset, offset + length)} of the file, for {@code what}
   * (named in the error), so that touching them can never fault. Reserving a range twice is
   * harmless.
   *
   * @throws IllegalStateException if the directory is full (naming it, the bytes needed and the
   *     bytes free) or the file is closed or was not created here
   */
  public synchronized void reserve(long offset, long length, String what) {
    if (fd < 0) {
      throw new IllegalStateException("cannot reserve " + what + " in link file " + path + ": "
          + (creator ? "it is closed" : "only its creator reserves"));
    }
    reserve(fd, path, offset, length, what);
  }

  private static void reserve(int fd, Path path, long offset, long length, String what) {
    int reserved = Posix.fallocate(fd, offset, length);
    if (reserved == Posix.ENOSPC && collectUnreachableLinks()) {
      reserved = Posix.fallocate(fd, offset, length);
    }
    if (reserved == Posix.ENOSPC) {
      final Path dir = path.toAbsolutePath().getParent();
      throw new IllegalStateException("not enough space in " + dir + " for " + what + ": it needs " + length
          + " bytes, " + usableSpace(dir) + " are free");
    }
    if (reserved != 0) {
      throw new IllegalStateException("cannot reserve " + length + " bytes for " + what + " in link file " + path
          + ": " + Posix.strerror(reserved));
    }
  }

  /** Maps {@code size} bytes of {@code fd}'s file; the descriptor stays open. */
  private static MemorySegment map(int fd, Path path, long size) {
    final long address = Posix.mmapShared(fd, size);
    if (address < 0) {
      throw new IllegalStateException("cannot map link file " + path + " (" + size + " bytes): "
          + Posix.strerror((int) -address));
    }
    // A plain native segment of an automatic arena, as the kernel's own tables: the rendezvous
    // code meets one segment class in thread and process spaces alike, and the JIT keeps its
    // accesses monomorphic (a mapped segment class next to the native one slows both by a
    // third). The cleanup captures only numbers, so that it keeps nothing reachable.
    MAPPED_BYTES.addAndGet(size);
    return MemorySegment.ofAddress(address).reinterpret(size, Arena.ofAuto(), unreachable -> {
      Posix.munmap(address, size);
      MAPPED_BYTES.addAndGet(-size);
    });
  }

  /**
   * A full directory may hold the pages of links that nothing reaches any more but the collector
   * has not unmapped yet: collects and waits (at most about half a second) until some are unmapped.
   * Returns whether any were.
   */
  private static boolean collectUnreachableLinks() {
    final long mapped = MAPPED_BYTES.get();
    if (mapped == 0) {
      return false;
    }
    long pauseMillis = 1;
    for (int round = 0; round < COLLECT_ROUNDS; round++) {
      System.gc();
      if (MAPPED_BYTES.get() < mapped) {
        return true;
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      pauseMillis *= 2;
    }
    return MAPPED_BYTES.get() < mapped;
  }

  public Path path() {
    return path;
  }

  public MemorySegment segment() {
    return segment;
  }

  /**
   * Removes the file name (the creator does this once both sides have mapped it, or at close);
   * the mappings stay. Never throws: a name it cannot remove is reported on standard error and
   * left to {@link #reclaimOrphans} of a later kernel.
   */
  public void unlink() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException | RuntimeException e) {
      System.err.println("nucleus: cannot remove link file " + path + ": " + e);
    }
  }

  /**
   * The creator removes the file (the opener does nothing); the mapping is released once the
   * segment is unreachable. Idempotent.
   *
   * @throws IllegalStateException if the file cannot be removed
   */
  @Override
  public synchronized void close() {
    if (fd >= 0) {
      closeQuietly(fd);
      fd = -1;
    }
    if (creator) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("cannot remove link file " + path + ": " + e, e);
      }
    }
  }

  /**
   * Deletes link files in {@code dir} whose creating process no longer runs: what a crash left
   * behind. Returns how many were removed. Files of live processes are left alone; a directory
   * that cannot be read holds nothing this can remove, and is not an error.
   */
  public static int reclaimOrphans(Path dir) {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path f : files) {
        final Matcher m = NAME.matcher(f.getFileName().toString());
        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
          if (Files.deleteIfExists(f)) {
            removed++;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: what is left is tried again by the next kernel.
    }
    return removed;
  }

  /** Removes a file whose creation failed; a failure to remove it is added to {@code failure}. */
  private static void removeAfterFailure(Path path, Throwable failure) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException | RuntimeException | Error e) {
      failure.addSuppressed(e);
    }
  }

  private static void closeQuietly(int fd) {
    Posix.close(fd); // close(2) releases the descriptor even when it reports an error
  }

  private static String usableSpace(Path dir) {
    try {
      return Long.toString(Files.getFileStore(dir).getUsableSpace());
    } catch (IOException | RuntimeException e) {
      return "an unknown number of";
    }
  }

  private static void checkAvailable() {
    if (!Posix.AVAILABLE) {
      throw new UnsupportedOperationException("process spaces need Linux (x86-64)");
    }
  }
}
