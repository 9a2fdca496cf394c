package dev.nucleus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nucleus.system.internal.StatusLayout;
import dev.nucleus.system.internal.StatusLayout.Geometry;
import dev.nucleus.system.internal.StatusWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A segment written by a broken or hostile process: every field a reader trusts is checked, and a
 * bad one is a CorruptStatusException naming it, never an IndexOutOfBoundsException, a hang or a
 * string that would reach a terminal unchecked. The segment is the three-component fixture (kv with
 * threads 0 and 1, client with thread 2, crasher with none), damaged in one field.
 */
@Tag("unit")
@Timeout(30)
@DisplayName("A corrupt status segment is refused, naming the field")
class CorruptStatusTest {

  private static final long ME = ProcessHandle.current().pid();
  private static final Geometry G = Geometry.DEFAULT;
  private static final long C0 = G.component(0);
  private static final long T0 = G.thread(0);
  private static final long T1 = G.thread(1);

  @TempDir
  Path dir;
  private StatusWriter writer;
  private Path file;

  @BeforeEach
  void publishTheFixture() throws IOException {
    writer = StatusWriter.create(dir, "demo");
    writer.publish(StatusFixtures.threeComponents(ME));
    file = writer.path();
  }

  @AfterEach
  void removeIt() {
    writer.close();
  }

  /** A damage to the file, and the field the error must name. */
  @FunctionalInterface
  interface Damage {
    void apply(Path file) throws IOException;
  }

  static Stream<Arguments> headerDamage() {
    return Stream.of(
        damage("MAGIC", f -> StatusFixtures.pokeLong(f, StatusLayout.MAGIC_OFFSET, 0x1234)),
        damage("LAYOUT_VERSION", f -> StatusFixtures.pokeInt(f, StatusLayout.LAYOUT_VERSION_OFFSET, 2)),
        damage("MAX_COMPONENTS", f -> StatusFixtures.pokeInt(f, StatusLayout.MAX_COMPONENTS_OFFSET, 0)),
        damage("MAX_COMPONENTS", f -> StatusFixtures.pokeInt(f, StatusLayout.MAX_COMPONENTS_OFFSET, -1)),
        damage("MAX_THREADS", f -> StatusFixtures.pokeInt(f, StatusLayout.MAX_THREADS_OFFSET, 1 << 21)),
        damage("COMPONENT_SIZE", f -> StatusFixtures.pokeInt(f, StatusLayout.COMPONENT_SIZE_OFFSET, 64)),
        damage("THREAD_SIZE", f -> StatusFixtures.pokeInt(f, StatusLayout.THREAD_SIZE_OFFSET, 256)),
        damage("COMPONENTS_OFFSET", f -> StatusFixtures.pokeLong(f, StatusLayout.COMPONENTS_OFFSET_OFFSET, 512)),
        damage("THREADS_OFFSET", f -> StatusFixtures.pokeLong(f, StatusLayout.THREADS_OFFSET_OFFSET, 1 << 40)),
        damage("TOTAL_SIZE", f -> StatusFixtures.pokeLong(f, StatusLayout.TOTAL_SIZE_OFFSET, -4096)),
        damage("TOTAL_SIZE", f -> truncate(f, G.totalSize() - 4096)),
        damage("TOTAL_SIZE", f -> truncate(f, 100)),
        damage("TOTAL_SIZE", f -> truncate(f, 0)),
        damage("TOTAL_SIZE", f -> StatusFixtures.poke(f, 64L << 20, (byte) 1)), // larger than any segment: not mapped
        damage("ROOT_PID", f -> StatusFixtures.pokeLong(f, StatusLayout.ROOT_PID_OFFSET, ME + 1)),
        damage("ROOT_PID", f -> StatusFixtures.pokeLong(f, StatusLayout.ROOT_PID_OFFSET, 0)));
  }

  static Stream<Arguments> snapshotDamage() {
    return Stream.of(
        damage("FLAGS", f -> StatusFixtures.pokeInt(f, StatusLayout.FLAGS_OFFSET, 2)),
        damage("COMPONENT_COUNT", f -> StatusFixtures.pokeInt(f, StatusLayout.COMPONENT_COUNT_OFFSET, 129)),
        damage("COMPONENT_COUNT", f -> StatusFixtures.pokeInt(f, StatusLayout.COMPONENT_COUNT_OFFSET, -1)),
        damage("THREAD_COUNT", f -> StatusFixtures.pokeInt(f, StatusLayout.THREAD_COUNT_OFFSET, 2049)),
        damage("THREAD_COUNT", f -> StatusFixtures.pokeInt(f, StatusLayout.THREAD_COUNT_OFFSET, 4)),
        damage("SYSTEM_NAME", f -> StatusFixtures.poke(f, StatusLayout.SYSTEM_NAME_OFFSET, (byte) 0xFF)),
        damage("SYSTEM_NAME", f -> StatusFixtures.poke(f, StatusLayout.SYSTEM_NAME_OFFSET + 40, (byte) 'x')),
        damage("SYSTEM_NAME", f -> StatusFixtures.poke(f, StatusLayout.SYSTEM_NAME_OFFSET, (byte) 0x1B)),
        damage("SYSTEM_NAME", f -> StatusFixtures.poke(f, StatusLayout.SYSTEM_NAME_OFFSET, (byte) 0xC2, (byte) 0x9B)),
        damage("STARTED_NANOS", f -> StatusFixtures.pokeInt(f, StatusLayout.STARTED_NANOS_OFFSET, 1_000_000_000)),
        damage("STARTED_SECONDS", f -> StatusFixtures.pokeLong(f, StatusLayout.STARTED_SECONDS_OFFSET, -1)),
        damage("UPDATED_SECONDS", f -> StatusFixtures.pokeLong(f, StatusLayout.UPDATED_SECONDS_OFFSET,
            Long.MAX_VALUE)),
        damage("COMPONENT[0].NAME", f -> StatusFixtures.poke(f, C0 + StatusLayout.COMPONENT_NAME_OFFSET,
            (byte) 0xC0, (byte) 0x80)), // an overlong NUL
        damage("COMPONENT[0].ISOLATION", f -> StatusFixtures.pokeInt(f, C0 + StatusLayout.COMPONENT_ISOLATION_OFFSET, 2)),
        damage("COMPONENT[0].STATE", f -> StatusFixtures.pokeInt(f, C0 + StatusLayout.COMPONENT_STATE_OFFSET, 9)),
        damage("COMPONENT[1].STATE", f -> StatusFixtures.pokeInt(f, G.component(1) + StatusLayout.COMPONENT_STATE_OFFSET,
            -7)),
        damage("COMPONENT[0].SPACE", f -> StatusFixtures.pokeInt(f, C0 + StatusLayout.COMPONENT_SPACE_OFFSET, 40_000)),
        damage("COMPONENT[0].FIRST_THREAD", f -> StatusFixtures.pokeInt(f,
            C0 + StatusLayout.COMPONENT_FIRST_THREAD_OFFSET, 1)),
        damage("COMPONENT[1].FIRST_THREAD", f -> StatusFixtures.pokeInt(f,
            G.component(1) + StatusLayout.COMPONENT_FIRST_THREAD_OFFSET, 3000)),
        damage("COMPONENT[0].THREAD_COUNT", f -> StatusFixtures.pokeInt(f,
            C0 + StatusLayout.COMPONENT_THREAD_COUNT_OFFSET, 4)),
        damage("COMPONENT[0].THREAD_COUNT", f -> StatusFixtures.pokeInt(f,
            C0 + StatusLayout.COMPONENT_THREAD_COUNT_OFFSET, Integer.MAX_VALUE)),
        damage("COMPONENT[0].PID", f -> StatusFixtures.pokeLong(f, C0 + StatusLayout.COMPONENT_PID_OFFSET, -1)),
        damage("COMPONENT[0].RESTARTS", f -> StatusFixtures.pokeLong(f, C0 + StatusLayout.COMPONENT_RESTARTS_OFFSET,
            Long.MIN_VALUE)),
        damage("COMPONENT[0].CALLS_SERVED", f -> StatusFixtures.pokeLong(f,
            C0 + StatusLayout.COMPONENT_CALLS_SERVED_OFFSET, -2)),
        damage("COMPONENT[0].SINCE_NANOS", f -> StatusFixtures.pokeInt(f, C0 + StatusLayout.COMPONENT_SINCE_NANOS_OFFSET,
            -1)),
        damage("THREAD[1].KIND", f -> StatusFixtures.pokeInt(f, T1 + StatusLayout.THREAD_KIND_OFFSET, 7)),
        damage("THREAD[0].NAME", f -> StatusFixtures.poke(f, T0 + StatusLayout.THREAD_NAME_OFFSET, (byte) 0x7F)),
        damage("THREAD[0].PARTNER", f -> StatusFixtures.poke(f, T0 + StatusLayout.THREAD_PARTNER_OFFSET,
            (byte) 0xED, (byte) 0xA0, (byte) 0x80))); // a UTF-16 surrogate in UTF-8
  }

  private static Arguments damage(String field, Damage d) {
    return Arguments.of(field, d);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headerDamage")
  @DisplayName("a bad header is refused when the segment is opened")
  void shouldRefuseABadHeaderOnOpen(String field, Damage damage) throws IOException {
    damage.apply(file);

    assertThatThrownBy(() -> StatusReader.open(file).close())
        .isInstanceOfSatisfying(CorruptStatusException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith(file + ": " + field + " ");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snapshotDamage")
  @DisplayName("a bad snapshot field is refused when the snapshot is read")
  void shouldRefuseABadSnapshotOnRead(String field, Damage damage) throws IOException {
    try (StatusReader reader = StatusReader.open(file)) {
      damage.apply(file);

      assertThatThrownBy(reader::read)
          .isInstanceOfSatisfying(CorruptStatusException.class, e -> assertThat(e.field()).isEqualTo(field))
          .hasMessageStartingWith(file + ": " + field + " ");
    }
  }

  @Test
  @DisplayName("a symbolic link is not followed")
  void shouldNotFollowASymbolicLink() throws IOException {
    final Path link = Files.createSymbolicLink(dir.resolve("nucleus-status-1"), file);

    assertThatThrownBy(() -> StatusReader.open(link).close()).isInstanceOf(IOException.class)
        .hasMessageContaining("not a regular file");
  }

  @Test
  @DisplayName("a writer that died in the middle of a publish (SEQUENCE odd for good) fails the read in bounded time")
  void shouldGiveUpOnASequenceThatStaysOdd() throws IOException {
    try (StatusReader reader = StatusReader.open(file)) {
      StatusFixtures.pokeLong(file, StatusLayout.SEQUENCE_OFFSET, 7);

      assertThatThrownBy(reader::read)
          .isInstanceOfSatisfying(CorruptStatusException.class, e -> assertThat(e.field()).isEqualTo("SEQUENCE"))
          .hasMessageContaining("stayed odd over " + StatusReader.MAX_TRIES + " tries");
    }
  }

  @Test
  @DisplayName("random damage to the header, the snapshot or the records in use gives a status or a CorruptStatusException, nothing else")
  void shouldSurviveRandomDamage() throws IOException {
    final SplittableRandom random = new SplittableRandom(14);
    final byte[] pristine = Files.readAllBytes(file);
    final long[][] ranges = {{0, StatusLayout.SNAPSHOT_END}, {C0, C0 + 3 * StatusLayout.COMPONENT_SIZE},
        {T0, T0 + 3 * StatusLayout.THREAD_SIZE}};
    for (int round = 0; round < 400; round++) {
      Files.write(file, pristine);
      final int flips = 1 + random.nextInt(4);
      for (int k = 0; k < flips; k++) {
        final long[] range = ranges[random.nextInt(ranges.length)];
        final long at = random.nextLong(range[0], range[1]);
        if (at >= StatusLayout.SEQUENCE_OFFSET && at < StatusLayout.SEQUENCE_OFFSET + 8) {
          continue; // an odd SEQUENCE has its own test; here it would only cost the retries
        }
        StatusFixtures.poke(file, at, (byte) random.nextInt(256));
      }
      final Throwable t = catchThrowable(() -> {
        try (StatusReader reader = StatusReader.open(file)) {
          reader.read();
        }
      });
      assertThat(t).as("round %d", round).satisfiesAnyOf(
          e -> assertThat(e).isNull(),
          e -> assertThat(e).isInstanceOf(CorruptStatusException.class));
    }
  }

  private static void truncate(Path f, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}
