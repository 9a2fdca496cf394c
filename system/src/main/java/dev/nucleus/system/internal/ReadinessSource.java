package dev.nucleus.system.internal;

import dev.nucleus.kernel.InterruptSource;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Fires when a file or FIFO becomes readable: poll(2) on a read end the root holds open,
 * edge-triggered (one firing per change from not readable to readable, so that data the component
 * has not read yet does not fire again and again). The root never reads: the component opens the
 * path and reads the data itself. Closing stops watching and closes the fd.
 */
final class ReadinessSource implements InterruptSource {

  private static final int O_RDONLY = 0;
  private static final int O_NONBLOCK = 04000;
  private static final short POLLIN = 1;
  private static final int POLL_MS = 100;
  private static final MethodHandle OPEN;
  private static final MethodHandle POLL;
  private static final MethodHandle CLOSE;

  static {
    final Linker linker = Linker.nativeLinker();
    OPEN = linker.downcallHandle(linker.defaultLookup().findOrThrow("open"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
        Linker.Option.firstVariadicArg(2));
    POLL = linker.downcallHandle(linker.defaultLookup().findOrThrow("poll"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    CLOSE = linker.downcallHandle(linker.defaultLookup().findOrThrow("close"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  }

  private final Path path;
  private volatile boolean closed;
  private Thread thread;

  ReadinessSource(Path path) {
    this.path = path;
  }

  @Override
  public synchronized void start(Runnable trigger) {
    final int fd;
    try (Arena a = Arena.ofConfined()) {
      fd = (int) OPEN.invokeExact(a.allocateFrom(path.toString()), O_RDONLY | O_NONBLOCK);
    } catch (Throwable t) {
      throw new IllegalStateException("cannot open " + path + ": " + t, t);
    }
    if (fd < 0) {
      throw new IllegalStateException("cannot open " + path + " for reading");
    }
    thread = Thread.ofPlatform().daemon().name("driver-file-" + path.getFileName()).start(() -> watch(fd, trigger));
  }

  private void watch(int fd, Runnable trigger) {
    try (Arena a = Arena.ofConfined()) {
      final MemorySegment pfd = a.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
      boolean readable = false;
      while (!closed) {
        pfd.set(ValueLayout.JAVA_INT, 0, fd);
        pfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
        pfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        final int n = (int) POLL.invokeExact(pfd, 1L, POLL_MS);
        final boolean now = n > 0 && (pfd.get(ValueLayout.JAVA_SHORT, 6) & POLLIN) != 0;
        if (now && !readable) {
          trigger.run();
        }
        readable = now;
        if (now || n < 0) {
          Thread.sleep(POLL_MS); // readable stays readable until the component reads: look again later
        }
      }
    } catch (Throwable t) {
      // closed while sleeping, or poll failed: the driver stops
    } finally {
      try {
        final int ignored = (int) CLOSE.invokeExact(fd);
      } catch (Throwable t) {
        // closing
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  @Override
  public String describe() {
    return "readiness of " + path;
  }
}
