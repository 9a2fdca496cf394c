package dev.nucleus.kernel.internal.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * Wrappers of the glibc file calls a link file needs and {@code FileChannel} does not offer (it
 * hides the descriptor, so it cannot reserve a file's blocks): {@code open}, {@code lseek},
 * {@code ftruncate}, {@code memfd_create}, {@code fcntl} (seals), {@code posix_fallocate}, {@code mmap}, {@code munmap}, {@code close}, {@code strerror}.
 * Wrappers only: each returns what the call returns, with {@code errno} made a positive result
 * where the call reports failure through it, and callers decide what a failure means.
 *
 * <p>Linux x86-64 only (the flag values below are that ABI's); {@link #AVAILABLE} is false
 * elsewhere. None of these is on an IPC path: they run when a link is created or attached.
 */
public final class Posix {

  public static final int O_RDWR = 02;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_NOFOLLOW = 0400000;
  public static final int O_CLOEXEC = 02000000;
  public static final int SEEK_END = 2;
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;
  private static final long MAP_FAILED = -1L;

  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EACCES = 13;
  public static final int ENOSPC = 28;
  public static final int EROFS = 30;

  /** Whether these calls work on this platform. */
  public static final boolean AVAILABLE;

  private static final MethodHandle OPEN;
  private static final MethodHandle LSEEK;
  private static final MethodHandle FTRUNCATE;
  private static final MethodHandle MEMFD_CREATE;
  private static final MethodHandle FCNTL;
  private static final MethodHandle FALLOCATE;
  private static final MethodHandle MMAP;
  private static final MethodHandle MUNMAP;
  private static final MethodHandle CLOSE;
  private static final MethodHandle STRERROR;
  private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  static {
    final boolean supported = System.getProperty("os.name", "").toLowerCase().contains("linux")
        && System.getProperty("os.arch", "").matches("amd64|x86_64");
    MethodHandle open = null;
    MethodHandle lseek = null;
    MethodHandle ftruncate = null;
    MethodHandle memfdCreate = null;
    MethodHandle fcntl = null;
    MethodHandle fallocate = null;
    MethodHandle mmap = null;
    MethodHandle munmap = null;
    MethodHandle close = null;
    MethodHandle strerror = null;
    if (supported) {
      try {
        final Linker linker = Linker.nativeLinker();
        final Linker.Option errno = Linker.Option.captureCallState("errno");
        // open(const char *path, int flags, ...): the mode is the first variadic argument.
        open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), errno);
        lseek = linker.downcallHandle(linker.defaultLookup().find("lseek").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), errno);
        ftruncate = linker.downcallHandle(linker.defaultLookup().find("ftruncate").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), errno);
        memfdCreate = linker.downcallHandle(linker.defaultLookup().find("memfd_create").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), errno);
        // fcntl(int fd, int cmd, ...): the argument is the first variadic one.
        fcntl = linker.downcallHandle(linker.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), errno);
        // posix_fallocate returns the error number itself and leaves errno alone.
        fallocate = linker.downcallHandle(linker.defaultLookup().find("posix_fallocate").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
        mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), errno);
        munmap = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
        close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
        strerror = linker.downcallHandle(linker.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
      } catch (RuntimeException e) {
        open = null;
      }
    }
    AVAILABLE = open != null;
    OPEN = open;
    LSEEK = lseek;
    FTRUNCATE = ftruncate;
    MEMFD_CREATE = memfdCreate;
    FCNTL = fcntl;
    FALLOCATE = fallocate;
    MMAP = mmap;
    MUNMAP = munmap;
    CLOSE = close;
    STRERROR = strerror;
  }

  private Posix() {}

  /** {@code open(path, flags, mode)}: a descriptor, or {@code -errno}. */
  public static int open(Path path, int flags, int mode) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(CALL_STATE);
      final int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags, mode);
      return fd >= 0 ? fd : -errno(state);
    } catch (Throwable t) {
      throw new IllegalStateException("open failed", t);
    }
  }

  /** {@code lseek(fd, offset, whence)}: the new offset, or {@code -errno}. */
  public static long lseek(int fd, long offset, int whence) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(CALL_STATE);
      final long at = (long) LSEEK.invokeExact(state, fd, offset, whence);
      return at >= 0 ? at : -errno(state);
    } catch (Throwable t) {
      throw new IllegalStateException("lseek failed", t);
    }
  }

  /** memfd_create's flag: the descriptor is closed across exec. */
  public static final int MFD_CLOEXEC = 1;

  /**
   * {@code memfd_create(name, flags)}: an anonymous shared-memory file, not in any directory (so
   * not limited by the size of {@code /dev/shm}). A descriptor, or {@code -errno}.
   */
  public static int memfdCreate(String name, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(CALL_STATE);
      final int fd = (int) MEMFD_CREATE.invokeExact(state, arena.allocateFrom(name), flags);
      return fd >= 0 ? fd : -errno(state);
    } catch (Throwable t) {
      throw new IllegalStateException("memfd_create failed", t);
    }
  }

  /** memfd_create's flag: seals may be added (see {@link #fcntl}). */
  public static final int MFD_ALLOW_SEALING = 2;
  /** fcntl command: add seals to a memfd. */
  public static final int F_ADD_SEALS = 1033;
  /** fcntl command: the seals of a memfd. */
  public static final int F_GET_SEALS = 1034;
  /** Seal: no more seals may be added. */
  public static final int F_SEAL_SEAL = 1;
  /** Seal: the file can no longer shrink (so a mapping of it never faults for want of a page). */
  public static final int F_SEAL_SHRINK = 2;

  /** {@code fcntl(fd, cmd, arg)} with an int argument: the call's result, or {@code -errno}. */
  public static int fcntl(int fd, int cmd, int arg) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(CALL_STATE);
      final int rc = (int) FCNTL.invokeExact(state, fd, cmd, arg);
      return rc >= 0 ? rc : -errno(state);
    } catch (Throwable t) {
      throw new IllegalStateException("fcntl failed", t);
    }
  }

  /**
   * {@code ftruncate(fd, length)}: sets the file's size without reserving its blocks (a sparse
   * file). 0, or {@code -errno}.
   */
  public static int ftruncate(int fd, long length) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(CALL_STATE);
      final int rc = (int) FTRUNCATE.invokeExact(state, fd, length);
      return rc == 0 ? 0 : -errno(state);
    } catch (Throwable t) {
      throw new IllegalStateException("ftruncate failed", t);
    }
  }

  /**
   * {@code posix_fallocate(fd, offset, length)}: reserves the blocks of that range (growing the
   * file if it ends beyond), so that no later store into a mapping of it can fail for want of
   * space. 0, or the error number (not -1: this call returns it instead of setting errno).
   * Interrupted calls are retried.
   */
  public static int fallocate(int fd, long offset, long length) {
    try {
      int rc;
      do {
        rc = (int) FALLOCATE.invokeExact(fd, offset, length);
      } while (rc == EINTR);
      return rc;
    } catch (Throwable t) {
      throw new IllegalStateException("posix_fallocate failed", t);
    }
  }

  /** {@code mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0)}: the address, or {@code -errno}. */
  public static long mmapShared(int fd, long length) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(CALL_STATE);
      final long address = (long) MMAP.invokeExact(state, 0L, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
      return address != MAP_FAILED ? address : -errno(state);
    } catch (Throwable t) {
      throw new IllegalStateException("mmap failed", t);
    }
  }

  /** {@code munmap(address, length)}: 0, or {@code -errno}. */
  public static int munmap(long address, long length) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(CALL_STATE);
      final int rc = (int) MUNMAP.invokeExact(state, address, length);
      return rc == 0 ? 0 : -errno(state);
    } catch (Throwable t) {
      throw new IllegalStateException("munmap failed", t);
    }
  }

  /** {@code close(fd)}: 0, or {@code -errno}. */
  public static int close(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment state = arena.allocate(CALL_STATE);
      final int rc = (int) CLOSE.invokeExact(state, fd);
      return rc == 0 ? 0 : -errno(state);
    } catch (Throwable t) {
      throw new IllegalStateException("close failed", t);
    }
  }

  /** {@code strerror(errno)}: the C library's text for an error number ("No space left on device"). */
  public static String strerror(int errno) {
    try {
      final MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }
}
