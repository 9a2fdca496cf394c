package dev.nucleus.async;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link QueuePeer} in a child JVM: this JVM's {@code java}, on a class path of this module's
 * classes and test classes (the system property {@code dev.nucleus.async.childClassPath}, which
 * the build sets) and the jars this JVM runs with. Its stdin is a pipe this side holds: it exits
 * when that closes, so it never outlives the test. Its stderr goes to a log file in the test's
 * directory, quoted when it fails. {@link #close} kills it and waits for it to be gone.
 */
final class PeerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private PeerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static PeerProcess start(Path dir, String name, List<String> args) throws IOException {
    final List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
        "-cp", classPath(), QueuePeer.class.getName()));
    cmd.addAll(args);
    final Path log = dir.resolve(name + ".log");
    final Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    return new PeerProcess(p, log);
  }

  /** Waits for the child's READY line, bounded by the test's timeout; throws with its log if it ends first. */
  void awaitReady() throws IOException {
    final byte[] line = new byte[6];
    int n = 0;
    while (n < line.length) {
      final int read = process.getInputStream().read(line, n, line.length - n);
      if (read < 0) {
        throw new IOException("the peer ended before it was ready" + logTail());
      }
      n += read;
    }
    if (!new String(line, StandardCharsets.US_ASCII).startsWith("READY")) {
      throw new IOException("the peer said " + new String(line, StandardCharsets.US_ASCII) + logTail());
    }
  }

  Process process() {
    return process;
  }

  /** Waits up to {@code seconds} for the child to end by itself; returns its exit status, or -1 if it still runs. */
  int awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** Kills the child (SIGKILL) and waits for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the peer (pid " + process.pid() + ") did not die when killed");
    }
  }

  String logTail() {
    try {
      final String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "" : "; its log: " + (text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text);
    } catch (IOException e) {
      return "";
    }
  }

  /** Closes the child's stdin (it exits at EOF), gives it 2 s, then kills it; interrupted, kills at once. */
  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** This module's classes and test classes, then every jar this JVM has on its module and class paths. */
  private static String classPath() {
    final Set<String> entries = new LinkedHashSet<>();
    for (String property : List.of("dev.nucleus.async.childClassPath", "jdk.module.path", "java.class.path")) {
      final String value = System.getProperty(property, "");
      for (String entry : value.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          entries.add(entry);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
