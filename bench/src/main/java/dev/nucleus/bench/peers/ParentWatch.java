package dev.nucleus.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * The child side of {@link ChildJvm}'s lifecycle: ends this JVM at once ({@link Runtime#halt}) when
 * the parent is gone, so no echo server outlives the bench that started it.
 *
 * <p>Two signals, either suffices: EOF on stdin (the parent closed it, or died and the kernel
 * closed it), and the parent process no longer alive (polled every {@value #POLL_MS} ms, for the
 * pipe peer whose stdin carries data). Both run on daemon threads and cost nothing on the measured
 * path.
 */
public final class ParentWatch {

  private static final long POLL_MS = 250;

  private ParentWatch() {}

  /** Halts this JVM when stdin reaches EOF or the parent process ends. */
  public static void start() {
    startPolling();
    Thread.ofPlatform()
        .daemon()
        .name("parent-watch-stdin")
        .start(
            () -> {
              InputStream in = System.in;
              byte[] sink = new byte[64];
              try {
                while (in.read(sink) >= 0) {
                  // the parent sends nothing; only EOF matters
                }
              } catch (IOException ignored) {
                // treat like EOF
              }
              Runtime.getRuntime().halt(0);
            });
  }

  /** Halts this JVM when the parent process ends; leaves stdin alone (it carries data). */
  static void startPolling() {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isEmpty()) Runtime.getRuntime().halt(0); // already orphaned
    long ppid = parent.get().pid();
    Thread.ofPlatform()
        .daemon()
        .name("parent-watch-pid")
        .start(
            () -> {
              try {
                while (ProcessHandle.of(ppid).map(ProcessHandle::isAlive).orElse(false)) {
                  Thread.sleep(Duration.ofMillis(POLL_MS));
                }
              } catch (InterruptedException ignored) {
                // fall through: nobody interrupts this thread except at JVM exit
              }
              Runtime.getRuntime().halt(0);
            });
  }
}
