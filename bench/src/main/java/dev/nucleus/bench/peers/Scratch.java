package dev.nucleus.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private temporary directory for one run of a peer: its FIFOs, socket files, media-driver
 * directory, child logs and result files. {@link #close()} deletes it with everything in it, so a
 * run leaves nothing behind however it ends.
 *
 * <p>Not thread-safe; one owner.
 */
public final class Scratch implements AutoCloseable {

  /** Where new scratch directories go unless a test says otherwise; {@code null} = the default. */
  private static volatile Path baseOverride;

  private final Path dir;

  private Scratch(Path dir) {
    this.dir = dir;
  }

  /** A new directory under the current base (the JVM's temporary directory by default). */
  public static Scratch create() throws IOException {
    return createIn(base());
  }

  /**
   * A new directory in memory when {@code /dev/shm} has room for {@code bytesNeeded} (shared-memory
   * logs such as Aeron's want tmpfs), otherwise under the default base.
   */
  public static Scratch createInMemory(long bytesNeeded) throws IOException {
    Path shm = Path.of("/dev/shm");
    if (baseOverride == null && Files.isDirectory(shm) && Files.isWritable(shm)) {
      try {
        FileStore store = Files.getFileStore(shm);
        if (store.getUsableSpace() > bytesNeeded) return createIn(shm);
      } catch (IOException ignored) {
        // fall back to the default base
      }
    }
    return create();
  }

  private static Scratch createIn(Path base) throws IOException {
    Files.createDirectories(base);
    return new Scratch(Files.createTempDirectory(base, "nucleus-peer-"));
  }

  /**
   * Makes later scratch directories go under {@code base} ({@code null} restores the default):
   * tests point it at their own temporary directory to check that nothing is left behind.
   */
  public static void setBase(Path base) {
    baseOverride = base;
  }

  private static Path base() {
    Path b = baseOverride;
    return b != null ? b : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** A path for {@code name} inside the directory (not created). */
  public Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Deletes the directory and everything in it. */
  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete scratch directory " + dir, e);
    }
  }
}
