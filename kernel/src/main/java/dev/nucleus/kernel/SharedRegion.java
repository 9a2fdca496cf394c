package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.os.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Memory shared for a while between two processes, or two spaces of one: an anonymous memory
 * file ({@code memfd_create}), in no directory, so its size is bounded by memory, not by the size
 * of {@code /dev/shm} (a container's 64 MB). Its creator maps it and hands its {@link #handle()}
 * to the other side in a message; the other side maps it with {@link #map}, which accepts only a
 * region of the process the message came from. Used by typed calls for arguments too large for
 * the message registers (docs/rpc.md).
 *
 * <p>A region is sealed against shrinking when it is created, so no mapping of it can fault
 * however its creator behaves, and every page is reserved then: a region that cannot be had is a
 * clear error at {@link #create}, never a fault later.
 *
 * <p>Thread-safety: {@link #segment()} may be used by any thread until {@link #close()}, which
 * unmaps it; close once.
 */
public final class SharedRegion implements AutoCloseable {

  private final Arena arena;
  private final MemorySegment segment;
  private final int fd;
  private final long handle;

  private SharedRegion(Arena arena, MemorySegment segment, int fd) {
    this.arena = arena;
    this.segment = segment;
    this.fd = fd;
    this.handle = ProcessHandle.current().pid() << 32 | fd;
  }

  /**
   * Creates a region of {@code bytes} bytes, zero-filled, every page reserved, and maps it.
   *
   * @param bytes the size, at least 1
   * @return the region; close it to unmap it and give its memory back (once the other side has
   *     unmapped it too)
   * @throws IllegalArgumentException if {@code bytes} is not positive
   * @throws IllegalStateException if the system cannot give that much (one line, with the reason)
   * @throws UnsupportedOperationException where this is not Linux on x86-64
   */
  public static SharedRegion create(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("a shared region has at least 1 byte, not " + bytes);
    }
    if (!Posix.AVAILABLE) {
      throw new UnsupportedOperationException("shared regions need Linux (x86-64)");
    }
    final int fd = Posix.memfdCreate("nucleus-region", Posix.MFD_CLOEXEC | Posix.MFD_ALLOW_SEALING);
    if (fd < 0) {
      throw new IllegalStateException("cannot create a shared region: " + Posix.strerror(-fd));
    }
    try {
      check(Posix.ftruncate(fd, bytes), bytes, "size");
      final int reserved = Posix.fallocate(fd, 0, bytes);
      if (reserved != 0) {
        throw new IllegalStateException("cannot reserve a shared region of " + bytes + " bytes: "
            + Posix.strerror(reserved));
      }
      check(Posix.fcntl(fd, Posix.F_ADD_SEALS, Posix.F_SEAL_SHRINK | Posix.F_SEAL_SEAL), bytes, "seal");
      final Arena arena = Arena.ofShared();
      return new SharedRegion(arena, mapped(fd, bytes, arena, "a shared region"), fd);
    } catch (RuntimeException | Error e) {
      Posix.close(fd);
      throw e;
    }
  }

  private static void check(int rc, long bytes, String what) {
    if (rc < 0) {
      throw new IllegalStateException("cannot " + what + " a shared region of " + bytes + " bytes: "
          + Posix.strerror(-rc));
    }
  }

  /** Maps {@code bytes} of {@code fd} into {@code arena}; the mapping goes when the arena closes. */
  private static MemorySegment mapped(int fd, long bytes, Arena arena, String what) {
    final long address = Posix.mmapShared(fd, bytes);
    if (address < 0) {
      throw new IllegalStateException("cannot map " + what + " of " + bytes + " bytes: " + Posix.strerror((int) -address));
    }
    return MemorySegment.ofAddress(address).reinterpret(bytes, arena, unmapped -> Posix.munmap(address, bytes));
  }

  /**
   * The whole region, mapped.
   *
   * @return the segment, valid until {@link #close()}
   */
  public MemorySegment segment() {
    return segment;
  }

  /**
   * What the other side needs to map this region: the creator's pid and the region's descriptor,
   * as one word for a message register. It names this region only while it is open.
   *
   * @return {@code pid << 32 | fd}
   */
  public long handle() {
    return handle;
  }

  /**
   * Maps {@code bytes} bytes of the region named by {@code handle}, which must be a region of
   * process {@code sender}: the pid the kernel stamped on the message that carried the handle
   * ({@link IpcThread#senderPid()}; 0 for this process). Everything about the handle is checked
   * before the region is touched, since another process chose it.
   *
   * @param handle a {@link #handle()} from a message
   * @param sender the pid of the process the message came from, 0 for this one
   * @param bytes how many bytes to map from the start of the region
   * @param arena the mapping's lifetime: closing it unmaps
   * @return the mapped bytes
   * @throws IllegalArgumentException naming what is wrong: a handle of another process than the
   *     sender, not a region (a descriptor that is gone, or not a sealed memory file), or shorter
   *     than {@code bytes}
   */
  public static MemorySegment map(long handle, long sender, long bytes, Arena arena) {
    final int opened = open(handle, sender, bytes);
    try {
      return bytes == 0 ? MemorySegment.NULL.reinterpret(0) : mapped(opened, bytes, arena, "region 0x" + Long.toHexString(handle));
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } finally {
      Posix.close(opened);
    }
  }

  /**
   * Takes over, as a region of this process, the region another process's handle names: for a
   * relay that forwards a request to a third space, which then sees this process as the sender and
   * checks the handle against it. Opens the region (checked as {@link #map} checks it) without
   * mapping it; {@link #handle()} names this process's descriptor. Close it once the forwarded
   * call has ended.
   *
   * @param handle the handle the sender passed
   * @param sender the sender's pid as the kernel stamped it ({@link IpcThread#senderPid()}; 0 for
   *     this process)
   * @param bytes how many bytes the message says the region holds at least
   * @return the region, unmapped here ({@link #segment()} is empty)
   * @throws IllegalArgumentException as {@link #map} throws, for the same reasons
   */
  public static SharedRegion adopt(long handle, long sender, long bytes) {
    final int opened = open(handle, sender, bytes);
    return new SharedRegion(Arena.ofShared(), MemorySegment.NULL.reinterpret(0), opened);
  }

  /** Opens what {@code handle} names, after checking it; the caller closes the descriptor. */
  private static int open(long handle, long sender, long bytes) {
    final long pid = handle >>> 32;
    final int fd = (int) handle;
    final long expected = sender == 0 ? ProcessHandle.current().pid() : sender;
    if (pid != expected || fd < 0) {
      throw new IllegalArgumentException("region handle 0x" + Long.toHexString(handle) + " names process " + pid
          + ", not the sender " + expected);
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("cannot map " + bytes + " bytes of a region");
    }
    final Path path = Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd));
    final int opened = Posix.open(path, Posix.O_RDWR | Posix.O_CLOEXEC, 0);
    if (opened < 0) {
      throw new IllegalArgumentException("region handle 0x" + Long.toHexString(handle) + ": " + Posix.strerror(-opened));
    }
    try {
      final int seals = Posix.fcntl(opened, Posix.F_GET_SEALS, 0);
      if (seals < 0 || (seals & Posix.F_SEAL_SHRINK) == 0) {
        throw new IllegalArgumentException("region handle 0x" + Long.toHexString(handle)
            + " is not a shared region (not a memory file sealed against shrinking)");
      }
      final long size = Posix.lseek(opened, 0, Posix.SEEK_END);
      if (size < bytes) {
        throw new IllegalArgumentException("region handle 0x" + Long.toHexString(handle) + " has " + size
            + " bytes, not the " + bytes + " the message says");
      }
      return opened;
    } catch (RuntimeException e) {
      Posix.close(opened);
      throw e;
    }
  }

  /** Unmaps the region and closes its descriptor; its memory goes once every mapping of it is gone. */
  @Override
  public void close() {
    arena.close();
    Posix.close(fd);
  }

  @Override
  public String toString() {
    return "SharedRegion[" + segment.byteSize() + " bytes, handle 0x" + Long.toHexString(handle) + "]";
  }
}
