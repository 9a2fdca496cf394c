package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What every broker test sets up and takes down: a kernel, a root thread space, a broker, a
 * directory for the streams' counters; and, at the end (also after a failure), every child
 * killed, the broker and the kernel closed, and a check that this JVM left nothing behind: no
 * region descriptor, no file of its own in {@code /dev/shm}, no counters directory.
 */
final class BrokerFixture {

  /** How long a child JVM may take to start and ask for its end. */
  static final Duration STARTUP = Duration.ofSeconds(60);

  final Path dir;
  final Kernel kernel;
  final Space root;
  final QueueBroker broker;
  private final int regionsBefore;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  BrokerFixture() throws IOException {
    regionsBefore = regionDescriptors();
    dir = Files.createTempDirectory("nucleus-broker-test-");
    kernel = Kernel.create();
    root = kernel.createSpace("root");
    broker = new QueueBroker(kernel);
  }

  /** Starts a {@link QueueComponent} process space linked to {@code peer} with {@code args}. */
  ProcessSpace spawn(String name, Space peer, String... args) {
    return kernel.spawnProcessSpace(name, QueueComponent.class, peer, args);
  }

  /** The counters file of stream {@code name}, mapped here (and unmapped at close). */
  StreamCounters counters(String name) throws IOException {
    final StreamCounters c = new StreamCounters(Path.of(countersPath(name)));
    toClose.add(c);
    return c;
  }

  /** The path of stream {@code name}'s counters, for a child's arguments. */
  String countersPath(String name) {
    return dir.resolve(name + ".counters").toString();
  }

  /** Waits (polling every millisecond, up to 60 s) until {@code condition} holds; fails naming {@code what}. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    final long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - giveUp > 0) {
        throw new AssertionError("never came true: " + what);
      }
      Thread.sleep(1);
    }
  }

  /** Waits for the process to exit (it was killed or ends by itself) and returns its exit code. */
  static int exitOf(ProcessSpace p) throws InterruptedException {
    assertThat(p.awaitExit(Duration.ofSeconds(60))).as("%s exits", p).isTrue();
    return p.exitCode();
  }

  /** Kills the children, closes the broker and the kernel, removes the directory, and checks that nothing is left. */
  void stop() throws Exception {
    final List<ProcessSpace> children = kernel.processSpaces();
    try {
      for (ProcessSpace p : children) {
        p.kill();
      }
      broker.close();
      kernel.close();
      for (ProcessSpace p : children) {
        assertThat(p.awaitExit(Duration.ofSeconds(30))).as("%s exited", p).isTrue();
      }
    } finally {
      for (AutoCloseable c : toClose) {
        c.close();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    assertThat(dir).doesNotExist();
    assertThat(regionDescriptors()).as("region descriptors this JVM holds after the broker closed")
        .isEqualTo(regionsBefore);
    assertThat(filesInDevShm()).as("files of this JVM in /dev/shm").isEmpty();
  }

  /** How many shared regions (memory files) this JVM has a descriptor of. */
  static int regionDescriptors() throws IOException {
    int n = 0;
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("/memfd:nucleus-region")) {
            n++;
          }
        } catch (IOException e) {
          // closed meanwhile (the directory's own descriptor, or another thread's)
        }
      }
    }
    return n;
  }

  /** This JVM's files in /dev/shm (links carry the creator's pid). */
  static List<Path> filesInDevShm() throws IOException {
    final Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(shm)) {
      final String mine = "nucleus-" + ProcessHandle.current().pid() + "-";
      return files.filter(f -> f.getFileName().toString().startsWith(mine)).toList();
    }
  }
}
