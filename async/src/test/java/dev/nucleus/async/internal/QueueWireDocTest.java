package dev.nucleus.async.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.testing.LayoutTable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/queue-wire.md against {@link QueueDescriptor}: the two layout tables ({@code | offset |
 * size | field | meaning |}, the meaning starting with the type: u32, u64, or bytes) under the
 * headings "QueueDescriptor: header and lines" and "QueueDescriptor: slot" must give each field
 * at its {@code <FIELD>_OFFSET} constant, with its size, within one line, without overlaps; and
 * every offset constant must have its row. Only constants are read (by reflection).
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(30)
@DisplayName("The queue's layout, as queue-wire.md states it")
class QueueWireDocTest {

  private static final Path DOC = Path.of(System.getProperty("basedir", ".")).resolve("../docs/queue-wire.md")
      .normalize();
  private static final String HEADER_TABLE = "QueueDescriptor: header and lines";
  private static final String SLOT_TABLE = "QueueDescriptor: slot";

  record Row(long offset, long size, String field, String meaning) {
    long end() {
      return offset + size;
    }
  }

  @Test
  @DisplayName("every row of the header's table is at the descriptor's offset, as large as its type")
  void shouldDocumentTheHeaderAndLines() throws IOException {
    final List<Row> rows = table(HEADER_TABLE);
    for (Row row : rows) {
      assertThat(row.offset()).as("%s: queue-wire.md vs QueueDescriptor", row.field()).isEqualTo(offsetOf(row.field()));
      assertThat(row.size()).as("%s: its type's size", row.field()).isEqualTo(typeSize(row));
      assertThat(row.offset() % row.size()).as("%s aligned", row.field()).isZero();
      assertThat(row.offset() / 64).as("%s within one line", row.field()).isEqualTo((row.end() - 1) / 64);
    }
    assertNoOverlaps(rows);
    for (int line = 0; line < 3; line++) {
      final int n = line;
      final long lastEnd = rows.stream().filter(r -> r.offset() / 64 == n).mapToLong(Row::end).max().orElseThrow();
      assertThat(lastEnd).as("line %d ends where LINE_%d_END says", line, line).isEqualTo(constant("LINE_" + line + "_END").orElseThrow());
    }
  }

  @Test
  @DisplayName("the slot's table gives the payload, then the stamp as the slot's last word")
  void shouldDocumentTheSlot() throws IOException {
    final List<Row> rows = table(SLOT_TABLE);
    for (Row row : rows) {
      assertThat(row.offset()).as("%s: queue-wire.md vs QueueDescriptor", row.field()).isEqualTo(offsetOf(row.field()));
    }
    assertNoOverlaps(rows);
    assertThat(rows).extracting(Row::field).containsExactly("PAYLOAD", "STAMP");
    assertThat(rows.get(0).size()).isEqualTo(QueueDescriptor.PAYLOAD_SIZE);
    assertThat(rows.get(1).size()).isEqualTo(typeSize(rows.get(1))).isEqualTo(8);
    assertThat(rows.get(1).end()).as("the stamp ends the slot").isEqualTo(QueueDescriptor.SLOT_SIZE);
  }

  @Test
  @DisplayName("every offset constant of QueueDescriptor has its row in queue-wire.md")
  void shouldDocumentEveryOffsetConstant() throws IOException {
    final List<String> documented = Stream.concat(table(HEADER_TABLE).stream(), table(SLOT_TABLE).stream())
        .map(r -> r.field() + "_OFFSET").toList();
    final List<String> constants = Stream.of(QueueDescriptor.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_OFFSET")).map(Field::getName).toList();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(constants);
  }

  private static void assertNoOverlaps(List<Row> rows) {
    final List<Row> sorted = rows.stream().sorted(Comparator.comparingLong(Row::offset)).toList();
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i).offset()).as("%s after %s", sorted.get(i).field(), sorted.get(i - 1).field())
          .isGreaterThanOrEqualTo(sorted.get(i - 1).end());
    }
  }

  private static long typeSize(Row row) {
    if (row.meaning().startsWith("u64")) {
      return 8;
    }
    if (row.meaning().startsWith("u32")) {
      return 4;
    }
    if (row.meaning().startsWith("bytes")) {
      return row.size();
    }
    throw new AssertionError(row.field() + ": the meaning does not start with its type (u32, u64, bytes): " + row.meaning());
  }

  private static long offsetOf(String field) {
    return constant(field + "_OFFSET").orElseThrow(() -> new AssertionError(
        "QueueDescriptor has no constant " + field + "_OFFSET for queue-wire.md's row"));
  }

  private static OptionalLong constant(String name) {
    try {
      final Field f = QueueDescriptor.class.getField(name);
      return OptionalLong.of(f.getLong(null));
    } catch (NoSuchFieldException e) {
      return OptionalLong.empty();
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /** The rows of the table under the heading {@code heading}. */
  private static List<Row> table(String heading) throws IOException {
    return LayoutTable.read(DOC, heading).stream()
        .map(r -> new Row(r.offset(), Long.parseLong(r.size()), r.field(), r.meaning())).toList();
  }
}
