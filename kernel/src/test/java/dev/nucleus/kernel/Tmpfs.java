package dev.nucleus.kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A tmpfs of a test's own, of a chosen size: a link directory that can be filled, or made
 * read-only, without touching {@code /dev/shm}. Mounting needs root (or CAP_SYS_ADMIN); where it
 * fails, {@link #mount} aborts the test as skipped, saying why. {@link #close} detaches it lazily,
 * so that a mapping still held (a link not yet unmapped) does not keep it mounted in the tree.
 */
final class Tmpfs implements AutoCloseable {

  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code bytes} (a multiple of the page size) with {@code options} added, e.g. "ro". */
  static Tmpfs mount(long bytes, String... options) throws IOException, InterruptedException {
    final Path dir = Files.createTempDirectory("nucleus-tmpfs-");
    final String opts = String.join(",", List.of(options)) + (options.length > 0 ? "," : "") + "size=" + bytes + ",mode=0700";
    final List<String> cmd = new ArrayList<>(List.of("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir.toString()));
    final String failure = run(cmd);
    if (failure != null) {
      Files.deleteIfExists(dir);
      Assumptions.abort("cannot mount a tmpfs of our own (needs root or CAP_SYS_ADMIN): " + failure);
    }
    return new Tmpfs(dir);
  }

  Path dir() {
    return dir;
  }

  /** Bytes still free, as a link's error message reports them. */
  long usableSpace() throws IOException {
    return Files.getFileStore(dir).getUsableSpace();
  }

  /** Writes a file until the tmpfs is full: every free page is then taken. */
  void fill() throws IOException {
    final byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      if (usableSpace() != 0) {
        throw e; // not the "no space left" this waits for
      }
    }
  }

  /** The files in it (links are named nucleus-*). */
  List<Path> files() throws IOException {
    try (var s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    final String failure = run(List.of("umount", "-l", dir.toString()));
    if (failure != null) {
      throw new IOException("cannot unmount " + dir + ": " + failure);
    }
    Files.deleteIfExists(dir);
  }

  /** Runs {@code cmd}; null if it succeeded, else what it printed and its exit code. */
  private static String run(List<String> cmd) throws IOException, InterruptedException {
    final Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", cmd) + " did not finish";
    }
    return p.exitValue() == 0 ? null : output + " (exit code " + p.exitValue() + ")";
  }
}
