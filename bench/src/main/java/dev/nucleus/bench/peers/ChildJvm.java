package dev.nucleus.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM that runs one side of a peer: same {@code java} binary and class path as this JVM,
 * native access enabled, a small heap, no perf-data file (so a killed child leaves nothing in
 * {@code /tmp}), its stderr in a log file of the run's {@link Scratch} directory.
 *
 * <p>Lifecycle and bounds:
 *
 * <ul>
 *   <li>The child's stdin is a pipe this side holds open. Children exit when it reaches EOF, which
 *       also happens when this JVM dies, however it dies ({@link ParentWatch}); the pipe peer uses
 *       stdin and stdout as its data pipes instead and ends at EOF too.
 *   <li>{@link #awaitReady} waits, bounded, for the child's {@code READY} line on stdout.
 *   <li>{@link #close()} closes stdin, gives the child a moment to exit, then kills it and any
 *       children it has, and waits (bounded) for them; interrupted, it kills at once. Use it in
 *       try-with-resources or a {@code finally}.
 * </ul>
 *
 * <p>Not thread-safe except {@link #kill()}, which a watchdog may call from another thread.
 */
public final class ChildJvm implements AutoCloseable {

  /** The line a child prints on stdout once it serves; the rest of the line is for the parent. */
  public static final String READY = "READY";

  /**
   * The heap of every JVM the bench starts for a measurement: its children here, and the process
   * spaces those children spawn (pass these to {@code Kernel.spawnProcessSpace}), so that both
   * sides of an entry run with the same collector and heap (a process space used to get the JVM's
   * default, G1 with a quarter of this machine's memory).
   */
  public static final List<String> HEAP = List.of("-XX:+UseParallelGC", "-Xms64m", "-Xmx256m");

  /**
   * The system property that, set to {@code false}, leaves {@link #TOUCHED_HEAP} untouched (and
   * passes itself on to every JVM started with it): for the bench module's tests, which run the
   * entries to check what they do, not what they cost.
   */
  public static final String TOUCH_HEAP_PROPERTY = "dev.nucleus.bench.touchHeap";

  /**
   * {@link #HEAP} at its full size and touched before the first call, for a JVM whose measured
   * side allocates on every call (the server of a {@code byte[]} argument, the receiving side of
   * its floor). The server is a fresh JVM for every run, and with an untouched heap each call's
   * array landed on pages never touched before, so the run measured page faults, not the call:
   * with the JVM's default heap the 64 KiB call took 235 µs at its median instead of about 20 µs,
   * and with a heap that grows from 64 to 256 MiB a tenth of the calls still took 200 µs. The
   * others do without: touching 256 MiB costs a JVM most of a second at start on this machine,
   * which in every forked run of every entry made the ping-pong part of {@code --quick} take 192 s
   * instead of 130 s.
   */
  public static final List<String> TOUCHED_HEAP = Boolean.parseBoolean(System.getProperty(TOUCH_HEAP_PROPERTY, "true"))
      ? List.of("-XX:+UseParallelGC", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch")
      : List.of("-XX:+UseParallelGC", "-Xms64m", "-Xmx256m", "-D" + TOUCH_HEAP_PROPERTY + "=false");

  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_CHARS = 600;

  private final Process process;
  private final Path log;
  private final String what;

  private ChildJvm(Process process, Path log, String what) {
    this.process = process;
    this.log = log;
    this.what = what;
  }

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM.
   *
   * @param scratch where the child's log goes
   * @param logName the log file's name in {@code scratch} (also names the child in messages)
   * @param jvmFlags extra JVM flags, e.g. {@code --add-exports}
   */
  public static ChildJvm start(
      Scratch scratch, String logName, Class<?> mainClass, List<String> jvmFlags, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(HEAP);
    if (!Boolean.parseBoolean(System.getProperty(TOUCH_HEAP_PROPERTY, "true"))) {
      cmd.add("-D" + TOUCH_HEAP_PROPERTY + "=false"); // on to the child, and the process spaces it starts
    }
    cmd.add("-XX:-UsePerfData");
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    Path log = scratch.resolve(logName + ".log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    return new ChildJvm(p, log, logName);
  }

  /** The {@code java} launcher of this JVM. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The child process. */
  public Process process() {
    return process;
  }

  /** The child's stdin: a data pipe for the pipe peer; otherwise only held open. */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** The child's stdout: a data pipe for the pipe peer; otherwise the {@code READY} line. */
  public InputStream stdout() {
    return process.getInputStream();
  }

  /**
   * Waits for the child's {@code READY} line and returns the rest of it, stripped.
   *
   * @throws TimeoutException if no such line comes within {@code limit} (the child is killed)
   * @throws IOException if the child exits or closes stdout first (the message has its log tail)
   */
  public String awaitReady(Duration limit)
      throws IOException, TimeoutException, InterruptedException {
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name(what + "-ready-reader")
        .start(
            () -> {
              try {
                BufferedReader in =
                    new BufferedReader(new InputStreamReader(stdout(), StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.startsWith(READY)) {
                    ready.complete(line.substring(READY.length()).strip());
                    return;
                  }
                }
                ready.complete(null);
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            });
    try {
      String rest = ready.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (rest == null) throw new IOException(what + " ended before it was ready" + logTail());
      return rest;
    } catch (TimeoutException e) {
      kill();
      throw new TimeoutException(
          what + " was not ready within " + limit.toSeconds() + " s" + logTail());
    } catch (ExecutionException e) {
      throw new IOException(what + ": cannot read its output" + logTail(), e.getCause());
    }
  }

  /**
   * Waits, bounded, for the child to exit by itself and checks that it exited with status 0.
   *
   * @throws TimeoutException if it is still running after {@code limit} (it is killed)
   * @throws IOException if it exited with another status (the message has its log tail)
   */
  public void awaitSuccess(Duration limit)
      throws IOException, TimeoutException, InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new TimeoutException(
          what + " did not finish within " + limit.toSeconds() + " s" + logTail());
    }
    if (process.exitValue() != 0) {
      throw new IOException(what + " exited with status " + process.exitValue() + logTail());
    }
  }

  /** Kills the child and its descendants at once; safe from any thread, idempotent. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * What the child wrote to stderr, last {@value #LOG_TAIL_CHARS} characters, as a message suffix.
   */
  public String logTail() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) return "";
      if (text.length() > LOG_TAIL_CHARS)
        text = "..." + text.substring(text.length() - LOG_TAIL_CHARS);
      return "; its log: " + text.replace('\n', ' ').replace('\t', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Ends the child: closes its stdin (it exits at EOF), waits {@code 2 s}, then kills it and its
   * descendants and waits for them to be gone.
   */
  @Override
  public void close() {
    List<ProcessHandle> descendants = process.descendants().toList();
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already closed or the child is gone: either way it gets EOF
    }
    boolean interrupted = false;
    try {
      if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) kill();
      descendants.forEach(ProcessHandle::destroyForcibly);
      if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            what + " (pid " + process.pid() + ") did not die when killed");
      }
      for (ProcessHandle d : descendants) {
        d.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      kill(); // still leave nothing behind; the caller sees the interrupt status
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(what + ": a descendant did not die when killed", e);
    } finally {
      try {
        process.getInputStream().close();
      } catch (IOException ignored) {
        // nothing left to read
      }
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
