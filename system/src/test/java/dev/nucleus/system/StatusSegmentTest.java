package dev.nucleus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.system.internal.StatusLayout;
import dev.nucleus.system.internal.StatusLayout.Geometry;
import dev.nucleus.system.internal.StatusWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
@Timeout(30)
@DisplayName("The status segment: what the root publishes is what a reader reads")
class StatusSegmentTest {

  private static final long ME = ProcessHandle.current().pid();

  @TempDir
  Path dir;

  @Test
  @DisplayName("a published status reads back field for field, times to the nanosecond")
  void shouldReadBackWhatWasPublished() throws IOException {
    final SystemStatus published = StatusFixtures.threeComponents(ME);
    try (StatusWriter writer = StatusWriter.create(dir, "demo");
        StatusReader reader = openOnly()) {
      writer.publish(published);

      assertThat(reader.read()).isEqualTo(published);
      assertThat(reader.rootPid()).isEqualTo(ME);
      assertThat(reader.isStale()).isFalse();
    }
  }

  @Test
  @DisplayName("a new segment holds an empty status of its system until the first publish")
  void shouldHoldAnEmptyStatusWhenCreated() throws IOException {
    final Instant before = Instant.now();
    try (StatusWriter writer = StatusWriter.create(dir, "fresh");
        StatusReader reader = openOnly()) {
      final SystemStatus s = reader.read();

      assertThat(s.system()).isEqualTo("fresh");
      assertThat(s.rootPid()).isEqualTo(ME);
      assertThat(s.components()).isEmpty();
      assertThat(s.truncated()).isFalse();
      assertThat(s.started()).isAfterOrEqualTo(before.minusMillis(1));
      assertThat(reader.heartbeat()).isAfterOrEqualTo(before.minusMillis(1));
    }
  }

  @Test
  @DisplayName("the file is nucleus-status-<pid>, mode 0644, no temporary file beside it, and close deletes it")
  void shouldNameTheFileByThePidAndRemoveItOnClose() throws IOException {
    final Path path;
    try (StatusWriter writer = StatusWriter.create(dir, "demo")) {
      path = writer.path();
      assertThat(path).isEqualTo(dir.resolve("nucleus-status-" + ME));
      assertThat(filesIn(dir)).containsExactly(path);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-r--r--");
      assertThat(Files.size(path)).isEqualTo(Geometry.DEFAULT.totalSize());
    }
    assertThat(path).doesNotExist();
    assertThat(filesIn(dir)).isEmpty();
  }

  @Test
  @DisplayName("a reader keeps reading the last status after the writer closed: its mapping outlives the name")
  void shouldKeepAMappingAfterTheFileIsGone() throws IOException {
    final StatusWriter writer = StatusWriter.create(dir, "demo");
    writer.publish(StatusFixtures.threeComponents(ME));
    try (StatusReader reader = openOnly()) {
      writer.close();
      assertThat(reader.read().components()).hasSize(3);
    }
  }

  @Test
  @DisplayName("a later publish replaces the earlier one whole: fewer components leave none of the old behind")
  void shouldReplaceTheWholeSnapshot() throws IOException {
    try (StatusWriter writer = StatusWriter.create(dir, "demo");
        StatusReader reader = openOnly()) {
      writer.publish(StatusFixtures.many(ME, 5, 3));
      final SystemStatus smaller = StatusFixtures.many(ME, 2, 1);
      writer.publish(smaller);

      assertThat(reader.read()).isEqualTo(smaller);
    }
  }

  @Test
  @DisplayName("names are cut to 48 bytes and partners to 64 on a character boundary, never inside one")
  void shouldCutLongStringsOnACharacterBoundary() throws IOException {
    final String euro = "a" + "€".repeat(20);        // 1 + 60 bytes: 15 euros fit in 48 after the 'a'
    final String partner = "b" + "😀".repeat(20);    // 1 + 80 bytes: 15 four-byte emoji fit in 64 after the 'b'
    final ComponentStatus c = new ComponentStatus(euro, "thread", "running", 1, ME, 0, 0, StatusFixtures.STARTED,
        List.of(new ThreadStatus(1, "x".repeat(60), "sending", partner)));
    try (StatusWriter writer = StatusWriter.create(dir, "é".repeat(30));
        StatusReader reader = openOnly()) {
      writer.publish(new SystemStatus("é".repeat(30), ME, StatusFixtures.STARTED, StatusFixtures.STARTED, List.of(c)));
      final SystemStatus s = reader.read();

      assertThat(s.system()).isEqualTo("é".repeat(24));
      assertThat(s.components().getFirst().name()).isEqualTo("a" + "€".repeat(15));
      assertThat(s.components().getFirst().threads().getFirst().name()).isEqualTo("x".repeat(48));
      assertThat(s.components().getFirst().threads().getFirst().partner()).isEqualTo("b" + "😀".repeat(15));
    }
  }

  @Test
  @DisplayName("control characters (an escape sequence, a NUL) reach the segment as '?'")
  void shouldNeverWriteAControlCharacter() throws IOException {
    try (StatusWriter writer = StatusWriter.create(dir, "demo");
        StatusReader reader = openOnly()) {
      writer.publish(new SystemStatus("red\u001b[31m\0x\u0085", ME, StatusFixtures.STARTED, StatusFixtures.STARTED,
          List.of()));

      assertThat(reader.read().system()).isEqualTo("red?[31m?x?");
    }
  }

  @Test
  @DisplayName("components beyond the capacity are left out and the status says it was truncated")
  void shouldTruncateComponentsBeyondCapacity() throws IOException {
    try (StatusWriter writer = StatusWriter.create(dir, "many", new Geometry(4, 64), ME);
        StatusReader reader = openOnly()) {
      writer.publish(StatusFixtures.many(ME, 6, 1));
      final SystemStatus s = reader.read();

      assertThat(s.truncated()).isTrue();
      assertThat(s.components()).extracting(ComponentStatus::name).containsExactly("c0", "c1", "c2", "c3");
    }
  }

  @Test
  @DisplayName("threads beyond the capacity are left out, the earlier components' first, and the status says so")
  void shouldTruncateThreadsBeyondCapacity() throws IOException {
    try (StatusWriter writer = StatusWriter.create(dir, "many", new Geometry(8, 5), ME);
        StatusReader reader = openOnly()) {
      writer.publish(StatusFixtures.many(ME, 3, 2));
      final SystemStatus s = reader.read();

      assertThat(s.truncated()).isTrue();
      assertThat(s.components()).extracting(c -> c.threads().size()).containsExactly(2, 2, 1);
    }
  }

  @Test
  @DisplayName("a status that fits exactly is not truncated")
  void shouldNotFlagAStatusThatFitsExactly() throws IOException {
    try (StatusWriter writer = StatusWriter.create(dir, "many", new Geometry(3, 6), ME);
        StatusReader reader = openOnly()) {
      writer.publish(StatusFixtures.many(ME, 3, 2));

      assertThat(reader.read().truncated()).isFalse();
    }
  }

  @Test
  @DisplayName("a status of another root pid, or a publish after close, is refused")
  void shouldRefuseMisuse() throws IOException {
    final StatusWriter writer = StatusWriter.create(dir, "demo");
    assertThatThrownBy(() -> writer.publish(StatusFixtures.threeComponents(ME + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root pid " + (ME + 1));
    writer.close();
    writer.close();
    assertThatThrownBy(() -> writer.publish(StatusFixtures.threeComponents(ME)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  @DisplayName("list finds the segments by name, in pid order, and nothing else")
  void shouldListSegmentsInPidOrder() throws IOException {
    for (String other : List.of("nucleus-status-", "nucleus-status-x1", "nucleus-status-12.abc.tmp",
        "nucleus-status-0", "nucleus-12-0123456789abcdef0123456789abcdef", "other")) {
      Files.createFile(dir.resolve(other));
    }
    Files.createFile(dir.resolve("nucleus-status-200"));
    Files.createFile(dir.resolve("nucleus-status-30"));

    assertThat(StatusReader.list(dir)).containsExactly(dir.resolve("nucleus-status-30"),
        dir.resolve("nucleus-status-200"));
  }

  @Test
  @DisplayName("listing a directory that does not exist fails, rather than finding no system")
  void shouldFailToListAMissingDirectory() {
    assertThatThrownBy(() -> StatusReader.list(dir.resolve("missing"))).isInstanceOf(IOException.class);
  }

  @Test
  @DisplayName("a segment whose root process has exited is stale")
  void shouldCallASegmentOfADeadRootStale() throws Exception {
    final long dead = StatusFixtures.deadPid();
    try (StatusWriter writer = StatusWriter.create(dir, "gone", Geometry.DEFAULT, dead);
        StatusReader reader = StatusReader.open(writer.path())) {
      assertThat(reader.isStale()).isTrue();
      assertThat(reader.read().rootPid()).as("a stale segment still reads").isEqualTo(dead);
    }
  }

  @Test
  @DisplayName("a segment whose pid now belongs to a process that started at another time is stale")
  void shouldCallASegmentOfAReusedPidStale() throws IOException {
    try (StatusWriter writer = StatusWriter.create(dir, "demo")) {
      StatusFixtures.pokeLong(writer.path(), StatusLayout.ROOT_START_MS_OFFSET, 86_400_000L);
      try (StatusReader reader = StatusReader.open(writer.path())) {
        assertThat(reader.isStale()).isTrue();
      }
    }
  }

  @Test
  @DisplayName("creating a segment reclaims those of dead roots and leaves those of live ones")
  void shouldReclaimStaleSegmentsOnCreate() throws Exception {
    final long dead = StatusFixtures.deadPid();
    final Path live = dir.resolve("nucleus-status-1"); // init: always running
    Files.createFile(live);
    Files.createFile(dir.resolve("nucleus-status-" + dead));
    Files.createFile(dir.resolve("nucleus-status-" + dead + ".123.tmp"));

    try (StatusWriter writer = StatusWriter.create(dir, "demo")) {
      assertThat(filesIn(dir)).containsExactlyInAnyOrder(live, writer.path());
    }
  }

  @Test
  @DisplayName("creating a segment in a missing directory is one clear IOException naming it")
  void shouldNameTheDirectoryItCannotCreateIn() {
    final Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> StatusWriter.create(missing, "demo"))
        .isInstanceOf(IOException.class).hasMessage("cannot create a status segment in " + missing + ": no such directory");
  }

  private StatusReader openOnly() throws IOException {
    final List<Path> found = StatusReader.list(dir);
    assertThat(found).hasSize(1);
    return StatusReader.open(found.getFirst());
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
