package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.SystemStatus;
import dev.nucleus.system.ThreadStatus;
import dev.nucleus.system.internal.StatusLayout;
import dev.nucleus.system.internal.StatusLayout.Geometry;
import dev.nucleus.system.internal.StatusWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nucleus ps} end to end, against status segments this test writes with the root task's
 * own StatusWriter: a running system (this JVM's pid), a second one (a child process's pid), a
 * stale one (a pid that has exited) and a corrupt one.
 */
@Tag("unit")
@Timeout(60)
@DisplayName("nucleus ps shows the running systems from their status segments")
class PsCommandTest {

  private static final long ME = ProcessHandle.current().pid();

  @TempDir
  Path dir;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
    for (Process p : children) {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  @DisplayName("a running system is a table: its line, a row per component, its threads under each with their IPC state")
  void shouldShowARunningSystemAsATable() throws IOException {
    final Path file = publish(demo(ME)).path();

    final Captured r = ps();

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    final List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).matches("system demo, root pid " + ME + ", up 1h00m, updated \\d+\\.\\ds ago");
    assertThat(lines.get(1)).matches(" +COMPONENT +ISOLATION +STATE +SPACE +PID +RESTARTS +CALLS SERVED +UPTIME");
    assertThat(lines.get(2)).matches(" +kv +process +running +2 +4250 +3 +120345 +5m00s");
    assertThat(lines.get(3)).matches(" +T2\\.1v1 +server-0 +receiving from any");
    assertThat(lines.get(4)).matches(" +T2\\.2v1 +server-1 +waiting for a reply from clock/tick");
    assertThat(lines.get(5)).matches(" +client +thread +running +3 +" + ME + " +0 +0 +1h00m");
    assertThat(lines.get(6)).matches(" +T3\\.1v1 +main +sending to kv/server-0");
    assertThat(lines.get(7)).matches(" +crasher +process +failed +4 +- +5 +7 +-");
    assertThat(r.out()).doesNotContain("stale").doesNotContain(file + " ");
  }

  @Test
  @DisplayName("--json is the same as a JSON object, with the IPC state in words and the kind's name")
  void shouldShowTheSameAsJson() throws IOException {
    publish(demo(ME));

    final Captured r = ps("--json");

    assertThat(r.exit()).as(r.err()).isZero();
    final JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("directory").asText()).isEqualTo(dir.toString());
    assertThat(json.get("stale")).isEmpty();
    assertThat(json.get("errors")).isEmpty();
    final JsonNode system = json.get("systems").get(0);
    assertThat(system.get("system").asText()).isEqualTo("demo");
    assertThat(system.get("rootPid").asLong()).isEqualTo(ME);
    assertThat(system.get("truncated").asBoolean()).isFalse();
    assertThat(system.get("uptimeMs").asLong()).isBetween(3_600_000L, 3_660_000L);
    final JsonNode kv = system.get("components").get(0);
    assertThat(kv.get("name").asText()).isEqualTo("kv");
    assertThat(kv.get("isolation").asText()).isEqualTo("process");
    assertThat(kv.get("state").asText()).isEqualTo("running");
    assertThat(kv.get("pid").asLong()).isEqualTo(4250);
    assertThat(kv.get("restarts").asLong()).isEqualTo(3);
    assertThat(kv.get("callsServed").asLong()).isEqualTo(120_345);
    final JsonNode waiting = kv.get("threads").get(1);
    assertThat(waiting.get("id").asLong()).isEqualTo(0x1_0002_0002L);
    assertThat(waiting.get("idText").asText()).isEqualTo("T2.2v1");
    assertThat(waiting.get("kind").asText()).isEqualTo("waiting_for_reply");
    assertThat(waiting.get("partner").asText()).isEqualTo("clock/tick");
    assertThat(waiting.get("ipc").asText()).isEqualTo("waiting for a reply from clock/tick");
  }

  @Test
  @DisplayName("no status segment: one line saying no system runs, exit 0")
  void shouldSayWhenNoSystemRuns() {
    final Captured r = ps();

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("ps: no running system in " + dir + "\n");
  }

  @Test
  @DisplayName("a PID with no running system: one line, exit 1")
  void shouldFailForAPidWithoutASystem() throws IOException {
    publish(demo(ME));

    final Captured r = ps(Long.toString(ME + 1_000_000));

    assertThat(r.exit()).isOne();
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly("ps: no running system with root pid " + (ME + 1_000_000) + " in " + dir);
  }

  @Test
  @DisplayName("a PID shows only the system whose root task has it")
  void shouldShowOnlyTheSystemOfAPid() throws IOException {
    final long other = startChild();
    publish(demo(ME));
    publish(new SystemStatus("other", other, Instant.now(), Instant.now(), List.of()), other);

    assertThat(ps().out()).contains("system demo, ").contains("system other, ").contains("(no components yet)");
    final Captured r = ps(Long.toString(other));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("system other, root pid " + other).doesNotContain("system demo");
  }

  @Test
  @DisplayName("a segment whose root has died is listed as stale, with the file to delete; exit 0")
  void shouldListAStaleSegmentWithTheFileToDelete() throws Exception {
    final long dead = deadPid();
    final Path stale = publish(new SystemStatus("gone", dead, Instant.now(), Instant.now(), List.of()), dead).path();

    final Captured r = ps();

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("stale: " + stale + " (root pid " + dead + " is not running); delete it: rm " + stale
        + "\nps: no running system in " + dir + "\n");
    final JsonNode json = new ObjectMapper().readTree(ps("--json").out());
    assertThat(json.get("systems")).isEmpty();
    assertThat(json.get("stale").get(0).get("path").asText()).isEqualTo(stale.toString());
    assertThat(json.get("stale").get(0).get("rootPid").asLong()).isEqualTo(dead);
  }

  @Test
  @DisplayName("a corrupt segment is one line on stderr naming the file and the field; the other systems are shown; exit 1")
  void shouldReportACorruptSegmentAndShowTheOthers() throws IOException {
    final long other = startChild();
    publish(demo(ME));
    final Path corrupt = publish(demo(other), other).path();
    pokeInt(corrupt, Geometry.DEFAULT.component(2) + StatusLayout.COMPONENT_STATE_OFFSET, 9);

    final Captured r = ps();

    assertThat(r.exit()).isOne();
    assertThat(r.errLines()).containsExactly("ps: " + corrupt + ": COMPONENT[2].STATE is 9, expected 0..5"
        + " (starting, running, restarting, stopping, stopped, failed)");
    assertThat(r.out()).startsWith("system demo, root pid " + ME).doesNotContain("root pid " + other);
    final JsonNode json = new ObjectMapper().readTree(ps("--json").out());
    assertThat(json.get("systems")).hasSize(1);
    assertThat(json.get("errors").get(0).get("error").asText()).contains("COMPONENT[2].STATE");
  }

  @Test
  @DisplayName("a segment that is not a status segment at all names MAGIC")
  void shouldNameTheMagicOfAForeignFile() throws IOException {
    final Path foreign = publish(demo(ME)).path();
    pokeInt(foreign, StatusLayout.MAGIC_OFFSET, 0x7f454c46);

    final Captured r = ps();

    assertThat(r.exit()).isOne();
    assertThat(r.err()).startsWith("ps: " + foreign + ": MAGIC is 0x").contains("not a status segment");
  }

  @Test
  @DisplayName("a truncated status (more than the segment holds) says so under its table")
  void shouldSayAStatusWasTruncated() throws IOException {
    final StatusWriter writer = StatusWriter.create(dir, "demo", new Geometry(1, 1), ME);
    opened.add(writer);
    writer.publish(demo(ME));

    assertThat(ps().out()).contains("(truncated: the status segment had no room for every component and thread)");
  }

  @Test
  @DisplayName("--watch redraws every interval until interrupted, then exits 0")
  void shouldRedrawUntilInterrupted() throws Exception {
    publish(demo(ME));
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final PrintStream savedOut = System.out;
    final AtomicInteger exit = new AtomicInteger(-1);
    final Thread watcher;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      watcher = Thread.ofPlatform().start(() -> exit.set(Main.run("ps", "--watch", "--interval=100ms", "--dir=" + dir)));
      while (frames(out) < 3) {
        Thread.sleep(10); // polls for output; orders nothing
      }
      watcher.interrupt();
      watcher.join();
    } finally {
      System.setOut(savedOut);
    }
    assertThat(exit.get()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("every 100ms from " + dir + "; Ctrl-C to stop")
        .contains("system demo, root pid " + ME);
  }

  @Test
  @DisplayName("--watch --json prints one JSON object per line and frame")
  void shouldWatchAsJsonLines() throws Exception {
    publish(demo(ME));
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final PrintStream savedOut = System.out;
    final Thread watcher;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      watcher = Thread.ofPlatform().start(() -> Main.run("ps", "--watch", "--json", "--interval=100ms", "--dir=" + dir));
      while (out.toString(StandardCharsets.UTF_8).lines().count() < 2) {
        Thread.sleep(10);
      }
      watcher.interrupt();
      watcher.join();
    } finally {
      System.setOut(savedOut);
    }
    for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
      assertThat(new ObjectMapper().readTree(line).get("systems").get(0).get("system").asText()).isEqualTo("demo");
    }
  }

  @Test
  @DisplayName("a bad --interval is one line and exit 2; a missing --dir one line and exit 1")
  void shouldRefuseBadOptions() {
    final Captured tooShort = Captured.nucleus("ps", "--interval=5ms");
    assertThat(tooShort.exit()).isEqualTo(2);
    assertThat(tooShort.errLines()).hasSize(1).first().asString().contains("shorter than 100ms");

    final Captured notATime = Captured.nucleus("ps", "--interval=soon");
    assertThat(notATime.exit()).isEqualTo(2);
    assertThat(notATime.err()).contains("not a time such as 500ms, 2s or 1m");

    final Captured missing = Captured.nucleus("ps", "--dir=" + dir.resolve("missing"));
    assertThat(missing.exit()).isOne();
    assertThat(missing.errLines()).containsExactly("ps: no such directory " + dir.resolve("missing"));
  }

  private Captured ps(String... args) {
    final List<String> all = new ArrayList<>(List.of("ps", "--dir=" + dir));
    all.addAll(List.of(args));
    return Captured.nucleus(all.toArray(String[]::new));
  }

  private StatusWriter publish(SystemStatus status) throws IOException {
    return publish(status, ME);
  }

  private StatusWriter publish(SystemStatus status, long rootPid) throws IOException {
    final StatusWriter writer = StatusWriter.create(dir, status.system(), Geometry.DEFAULT, rootPid);
    opened.add(writer);
    writer.publish(status);
    return writer;
  }

  /**
   * Three components: a process server with two threads (an open receive, a call waiting for its
   * reply), a thread client sending, and a failed component. Up an hour; kv's instance five
   * minutes.
   */
  private static SystemStatus demo(long rootPid) {
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final ComponentStatus kv = new ComponentStatus("kv", "process", "running", 2, 4250, 3, 120_345,
        now.minusSeconds(300), List.of(
            new ThreadStatus(0x1_0002_0001L, "server-0", "receiving", "any"),
            new ThreadStatus(0x1_0002_0002L, "server-1", "waiting_for_reply", "clock/tick")));
    final ComponentStatus client = new ComponentStatus("client", "thread", "running", 3, rootPid, 0, 0,
        now.minusSeconds(3600), List.of(new ThreadStatus(0x1_0003_0001L, "main", "sending", "kv/server-0")));
    final ComponentStatus crasher = new ComponentStatus("crasher", "process", "failed", 4, 0, 5, 7,
        now.minusSeconds(3600), List.of());
    return new SystemStatus("demo", rootPid, now.minusSeconds(3600), now, List.of(kv, client, crasher));
  }

  /** A live process other than this JVM, ended after the test: the root of a second system. */
  private long startChild() throws IOException {
    final Process p = new ProcessBuilder("sleep", "300").start();
    children.add(p);
    return p.pid();
  }

  private static long deadPid() throws IOException, InterruptedException {
    final Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private static void pokeInt(Path file, long offset, int v) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, v), offset);
    }
  }

  private static long frames(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("every ")).count();
  }
}
