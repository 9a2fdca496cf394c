package dev.nucleus.system.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.IpcState;
import dev.nucleus.system.internal.StatusLayout.Geometry;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The status segment's layout against docs/status-segment.md, the page a reader in another
 * language is written from. Its section 2 gives each part as a table {@code | offset | size |
 * field | type | meaning |} under a heading that names StatusLayout (and, for a record, the
 * prefix of its constants). Each row must match the constant {@code <prefix><FIELD>_OFFSET},
 * each such constant must have its row, fields must not overlap or cross a 64-byte line.
 */
@Tag("unit")
@DisplayName("The status segment's layout, as docs/status-segment.md states it")
class StatusLayoutTest {

  private static final Path DOC = Path.of(System.getProperty("basedir", ".")).resolve("../docs/status-segment.md")
      .normalize();
  private static final Pattern HEADING = Pattern.compile("^#+ .*\\(StatusLayout(?:, ([A-Z_]+))?\\)\\s*$");
  private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*([A-Z_0-9]+)\\s*\\|"
      + "\\s*(u32|u64|i64|utf8)\\s*\\|.*\\|\\s*$");

  /** One row: a field of one table. */
  record Row(String table, String constant, long offset, long size, String type) {
    long end() {
      return offset + size;
    }
  }

  @Test
  @DisplayName("every documented field is at the offset of its constant")
  void shouldDocumentEachFieldAtItsOffset() throws Exception {
    final List<Row> rows = rows();
    assertThat(rows).hasSizeGreaterThan(30);
    for (Row row : rows) {
      assertThat(row.offset()).as("%s: the page vs StatusLayout", row.constant()).isEqualTo(constant(row.constant()));
    }
  }

  @Test
  @DisplayName("every offset constant of StatusLayout has its row")
  void shouldDocumentEveryOffsetConstant() throws Exception {
    final List<String> documented = rows().stream().map(Row::constant).toList();
    final List<String> constants = Arrays.stream(StatusLayout.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_OFFSET")).map(Field::getName)
        .toList();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(constants);
  }

  @Test
  @DisplayName("each field is as large as its type, aligned to it, and within one 64-byte line")
  void shouldSizeAndAlignEachField() throws Exception {
    for (Row row : rows()) {
      final long expected = switch (row.type()) {
        case "u32" -> 4;
        case "u64", "i64" -> 8;
        default -> row.constant().endsWith("PARTNER_OFFSET") ? StatusLayout.PARTNER_BYTES : StatusLayout.NAME_BYTES;
      };
      assertThat(row.size()).as("%s size", row.constant()).isEqualTo(expected);
      if (!row.type().equals("utf8")) {
        assertThat(row.offset() % row.size()).as("%s aligned", row.constant()).isZero();
      }
      assertThat((row.end() - 1) / StatusLayout.LINE).as("%s within one line", row.constant())
          .isEqualTo(row.offset() / StatusLayout.LINE);
    }
  }

  @Test
  @DisplayName("within a table no two fields overlap, and each part ends where StatusLayout says")
  void shouldNotOverlapAndEndWhereTheLayoutSays() throws Exception {
    final List<Row> rows = rows();
    for (String table : rows.stream().map(Row::table).distinct().toList()) {
      final List<Row> sorted = rows.stream().filter(r -> r.table().equals(table))
          .sorted(Comparator.comparingLong(Row::offset)).toList();
      for (int i = 1; i < sorted.size(); i++) {
        assertThat(sorted.get(i).offset()).as("%s after %s", sorted.get(i), sorted.get(i - 1))
            .isGreaterThanOrEqualTo(sorted.get(i - 1).end());
      }
    }
    assertThat(end(rows, "Header")).isLessThanOrEqualTo(StatusLayout.SNAPSHOT_START);
    assertThat(rows.stream().filter(r -> r.table().startsWith("Snapshot")).mapToLong(Row::offset).min().orElseThrow())
        .isEqualTo(StatusLayout.SNAPSHOT_START);
    assertThat(end(rows, "Snapshot")).isEqualTo(StatusLayout.SNAPSHOT_END);
    assertThat(StatusLayout.SNAPSHOT_END).isLessThanOrEqualTo(StatusLayout.COMPONENTS_START);
    assertThat(end(rows, "Component record")).isLessThanOrEqualTo(StatusLayout.COMPONENT_SIZE);
    assertThat(end(rows, "Thread record")).isLessThanOrEqualTo(StatusLayout.THREAD_SIZE);
  }

  @Test
  @DisplayName("SEQUENCE and HEARTBEAT_MS each have a line to themselves")
  void shouldGiveTheSeqlockWordsLinesOfTheirOwn() throws Exception {
    for (Row row : rows()) {
      final long line = row.offset() / StatusLayout.LINE;
      if (!row.constant().equals("SEQUENCE_OFFSET")) {
        assertThat(line).as(row.constant()).isNotEqualTo(StatusLayout.SEQUENCE_OFFSET / StatusLayout.LINE);
      }
      if (!row.constant().equals("HEARTBEAT_MS_OFFSET")) {
        assertThat(line).as(row.constant()).isNotEqualTo(StatusLayout.HEARTBEAT_MS_OFFSET / StatusLayout.LINE);
      }
    }
  }

  @Test
  @DisplayName("the page's codes are StatusLayout's: ISOLATION, STATE and KIND in the order of their values")
  void shouldDocumentTheCodes() throws IOException {
    final String doc = Files.readString(DOC);
    assertThat(doc).contains(codes(StatusLayout.ISOLATIONS)).contains(codes(StatusLayout.STATES))
        .contains(codes(StatusLayout.KINDS));
  }

  @Test
  @DisplayName("every IpcState.Kind has a KIND code, and every code is a Kind")
  void shouldCodeEveryIpcKind() {
    assertThat(StatusLayout.KINDS).containsExactlyInAnyOrderElementsOf(Arrays.stream(IpcState.Kind.values())
        .map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
  }

  @Test
  @DisplayName("the default capacities give the sizes the page states: threads at 17408, 282624 bytes in all")
  void shouldComputeTheDefaultGeometry() throws IOException {
    final Geometry g = Geometry.DEFAULT;
    assertThat(g.threadsOffset()).isEqualTo(17_408);
    assertThat(g.totalSize()).isEqualTo(282_624).isEqualTo(new Geometry(128, 2047).totalSize());
    assertThat(g.totalSize() % StatusLayout.PAGE).isZero();
    assertThat(Files.readString(DOC)).contains("`THREADS_OFFSET` is 17408").contains("`TOTAL_SIZE` 282624 bytes");
  }

  @Test
  @DisplayName("the magic is the bytes NUCSTAT1 read little-endian")
  void shouldSpellTheMagic() {
    final byte[] bytes = "NUCSTAT1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
        .isEqualTo(StatusLayout.MAGIC);
  }

  /** "0 thread, 1 process": the codes as the page writes them. */
  private static String codes(List<String> values) {
    final List<String> parts = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      parts.add(i + " " + values.get(i));
    }
    return String.join(", ", parts);
  }

  private static long end(List<Row> rows, String tablePrefix) {
    return rows.stream().filter(r -> r.table().startsWith(tablePrefix)).mapToLong(Row::end).max().orElseThrow();
  }

  private static long constant(String name) throws ReflectiveOperationException {
    return StatusLayout.class.getField(name).getLong(null);
  }

  /** The rows of every table under a heading that names StatusLayout. */
  private static List<Row> rows() throws IOException {
    final List<Row> rows = new ArrayList<>();
    String table = null;
    String prefix = "";
    for (String line : Files.readAllLines(DOC)) {
      if (line.startsWith("#")) {
        final Matcher h = HEADING.matcher(line);
        table = h.matches() ? line.replaceFirst("^#+ [0-9.]* *", "").replaceFirst(" \\(StatusLayout.*$", "") : null;
        prefix = h.matches() && h.group(1) != null ? h.group(1) : "";
        continue;
      }
      final Matcher m = ROW.matcher(line);
      if (table != null && m.matches()) {
        rows.add(new Row(table, prefix + m.group(3) + "_OFFSET", Long.parseLong(m.group(1)),
            Long.parseLong(m.group(2)), m.group(4)));
      }
    }
    return rows;
  }
}
