package dev.nucleus.kernel.internal.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Waits for the exit of a process that is not our child, as promptly as {@code waitpid} waits
 * for a child: Linux's {@code pidfd_open(2)} gives a descriptor that becomes readable when the
 * process exits, and {@code poll(2)} sleeps on it. Where pidfds are missing (Linux before 5.3,
 * another OS) it falls back to polling the pid every {@value #FALLBACK_POLL_MILLIS} ms.
 *
 * <p>A pidfd names one process, not a pid number: a pid reused by a new process after the exit
 * cannot fool the wait. The descriptor is closed when the wait returns.
 */
public final class ProcessExitWatch {

  private static final long SYS_PIDFD_OPEN = 434;
  private static final short POLLIN = 0x1;
  /** struct pollfd: int fd; short events; short revents. */
  private static final long POLLFD_SIZE = 8;
  private static final long FALLBACK_POLL_MILLIS = 5;

  private static final MethodHandle SYSCALL;
  private static final MethodHandle POLL;
  private static final MethodHandle CLOSE;

  static {
    MethodHandle syscall = null;
    MethodHandle poll = null;
    MethodHandle close = null;
    if (Futex.AVAILABLE) { // Linux on x86-64: the syscall number above is that ABI's
      try {
        final Linker linker = Linker.nativeLinker();
        syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
        poll = linker.downcallHandle(linker.defaultLookup().find("poll").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
      } catch (RuntimeException e) {
        syscall = null;
      }
    }
    SYSCALL = syscall;
    POLL = poll;
    CLOSE = close;
  }

  private ProcessExitWatch() {}

  /**
   * Blocks until process {@code pid} has exited (returns at once if it is gone already).
   *
   * @throws InterruptedException if interrupted while polling (the pidfd wait itself is not
   *     interruptible: run it on a daemon thread of its own)
   */
  public static void awaitExit(long pid) throws InterruptedException {
    final int fd = pidfdOpen(pid);
    if (fd < 0) {
      final ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
      while (handle != null && handle.isAlive()) {
        Thread.sleep(FALLBACK_POLL_MILLIS);
      }
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment pollfd = arena.allocate(POLLFD_SIZE, 8);
      pollfd.set(JAVA_INT, 0, fd);
      pollfd.set(JAVA_SHORT, 4, POLLIN);
      while (true) {
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        final int n = (int) POLL.invokeExact(pollfd, 1L, -1);
        if (n > 0) {
          return; // readable: the process has exited
        }
        // n < 0: EINTR (a signal for this thread); poll again
      }
    } catch (Throwable t) {
      throw new IllegalStateException("poll on the pidfd of process " + pid + " failed", t);
    } finally {
      closeQuietly(fd);
    }
  }

  /** A pidfd for {@code pid}, or -1 if the process is gone or pidfds are unavailable. */
  private static int pidfdOpen(long pid) {
    if (SYSCALL == null) {
      return -1;
    }
    try {
      return (int) (long) SYSCALL.invokeExact(SYS_PIDFD_OPEN, pid, 0L);
    } catch (Throwable t) {
      return -1;
    }
  }

  private static void closeQuietly(int fd) {
    try {
      final int ignored = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      // nothing to do: the descriptor is lost either way
    }
  }
}
