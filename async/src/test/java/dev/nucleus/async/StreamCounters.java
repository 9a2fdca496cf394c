package dev.nucleus.async;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The side channel of a stream in the broker tests: a small file that the test and a child both
 * map, where the party that sends or receives counts what it did, so that the test knows, after a
 * SIGKILL, what the dead party had published. Each counter has one writer (release stores, after
 * the act they count); readers load with acquire. Closing unmaps.
 *
 * <pre>
 *   0  PUBLISHED  messages the sender has committed (stored after each commit)
 *   8  FULLS      zero-timeout claims that found the ring full, before the sender waited for room
 *  16  RECEIVED   messages the receiver has taken and checked
 * </pre>
 */
final class StreamCounters implements AutoCloseable {

  static final long PUBLISHED = 0;
  static final long FULLS = 8;
  static final long RECEIVED = 16;
  private static final long SIZE = 64;
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  private final Arena arena = Arena.ofShared();
  private final MemorySegment memory;

  /** Maps {@code file}, creating it (zero-filled) if it does not exist. */
  StreamCounters(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      memory = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
    }
  }

  long get(long counter) {
    return (long) LONG.getAcquire(memory, counter);
  }

  void set(long counter, long value) {
    LONG.setRelease(memory, counter, value);
  }

  @Override
  public void close() {
    arena.close();
  }
}
