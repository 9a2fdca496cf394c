package dev.nucleus.kernel.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared-memory layout against docs/protocol.md, the document a C peer is written from.
 * protocol.md gives each layout as a table {@code | offset | size | field | meaning |} (decimal;
 * the meaning starts with the type: i64, u64, i32, u32) under a heading that names the
 * descriptor class. Each row must match the descriptor's {@code <FIELD>_OFFSET} constant, each
 * such constant must have its row, and the layout must keep the cache-line discipline of
 * DESIGN.md: the hot fields in line 0, no field across a 64-byte line, records a whole number of
 * lines.
 *
 * <p>Only the offset and size constants are read (by reflection), never accessors.
 */
@Tag("unit")
@DisplayName("Shared-memory layouts, as protocol.md states them")
class DescriptorLayoutTest {

  private static final long LINE = 64;
  private static final Path PROTOCOL = Path.of(System.getProperty("basedir", "."))
      .resolve("../docs/protocol.md").normalize();
  private static final Pattern HEADER = Pattern.compile("\\|\\s*offset\\s*\\|\\s*size\\s*\\|\\s*field\\s*\\|\\s*meaning\\s*\\|");
  /** i32, u32, i64, u64; or entry64, a 64-byte record (one line) of an array of records. */
  private static final Pattern TYPE = Pattern.compile("^(?:([iu])(32|64)|entry(64))\\b");
  private static final Pattern MR = Pattern.compile("MR(\\d+)");

  /** One row of a layout table. */
  record Row(long offset, long size, String field, String meaning) {

    /** Bytes per element, from the type the meaning starts with. */
    long elementSize() {
      final Matcher m = TYPE.matcher(meaning);
      if (!m.find()) {
        throw new AssertionError("the meaning of " + field + " does not start with its type (i64, u64, i32, u32,"
            + " entry64): " + meaning);
      }
      return m.group(3) != null ? Integer.parseInt(m.group(3)) : Integer.parseInt(m.group(2)) / 8;
    }

    long end() {
      return offset + size;
    }

    @Override
    public String toString() {
      return field + " [" + offset + ", " + end() + ")";
    }
  }

  static Stream<Class<?>> descriptors() {
    return Stream.of(TcbDescriptor.class, ReceivePointDescriptor.class, LinkDescriptor.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("descriptors")
  @DisplayName("every row of protocol.md's table is at the offset the descriptor's constant gives")
  void shouldDocumentEachFieldAtItsOffset(Class<?> descriptor) throws IOException {
    for (Row row : table(descriptor)) {
      assertThat(row.offset()).as("%s.%s: protocol.md vs the descriptor", descriptor.getSimpleName(), row.field())
          .isEqualTo(offsetOf(descriptor, row.field()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("descriptors")
  @DisplayName("every offset constant of the descriptor has its row in protocol.md")
  void shouldDocumentEveryOffsetConstant(Class<?> descriptor) throws IOException {
    final List<String> documented = table(descriptor).stream().map(r -> r.field() + "_OFFSET").toList();
    assertThat(documented).as("fields protocol.md lists for %s", descriptor.getSimpleName())
        .containsAll(offsetConstants(descriptor).keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("descriptors")
  @DisplayName("each field is as large as its type (an array a whole number of them) and aligned to it")
  void shouldSizeAndAlignEachFieldByItsType(Class<?> descriptor) throws IOException {
    for (Row row : table(descriptor)) {
      final long element = row.elementSize();
      assertThat(row.offset() % element).as("%s aligned to its %d-byte type", row, element).isZero();
      if (row.size() != element) {
        final OptionalLong count = constant(descriptor, "MAX_" + row.field());
        assertThat(count).as("%s is an array: its element count MAX_%s", row, row.field()).isPresent();
        assertThat(row.size()).as("%s: MAX_%s elements of %d bytes", row, row.field(), element)
            .isEqualTo(count.getAsLong() * element);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("descriptors")
  @DisplayName("no two fields overlap")
  void shouldNotOverlapFields(Class<?> descriptor) throws IOException {
    final List<Row> rows = table(descriptor).stream().sorted(Comparator.comparingLong(Row::offset)).toList();
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i).offset()).as("%s after %s", rows.get(i), rows.get(i - 1))
          .isGreaterThanOrEqualTo(rows.get(i - 1).end());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("descriptors")
  @DisplayName("no field (no element of an array) crosses a 64-byte line")
  void shouldKeepEachFieldWithinOneLine(Class<?> descriptor) throws IOException {
    for (Row row : table(descriptor)) {
      final long element = row.elementSize();
      for (long at = row.offset(); at < row.end(); at += element) {
        assertThat((at + element - 1) / LINE).as("%s, bytes %d..%d", row, at, at + element - 1).isEqualTo(at / LINE);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("descriptors")
  @DisplayName("where the descriptor marks the end of a line's fields, the table's last field in that line ends there")
  void shouldEndEachLineWhereTheDescriptorSays(Class<?> descriptor) throws IOException {
    final List<Row> rows = table(descriptor);
    for (int line = 0; ; line++) {
      final OptionalLong end = constant(descriptor, "LINE_" + line + "_END");
      if (end.isEmpty()) {
        return;
      }
      final long n = line;
      final long lastEnd = rows.stream().filter(r -> r.offset() / LINE == n).mapToLong(Row::end).max().orElse(-1);
      assertThat(lastEnd).as("%s line %d", descriptor.getSimpleName(), line).isEqualTo(end.getAsLong());
      assertThat(end.getAsLong()).as("LINE_%d_END within the line", line).isBetween(line * LINE + 1, (line + 1) * LINE);
    }
  }

  @Test
  @DisplayName("a TCB's state word, sender, tag, MR1, partner, status and sleeping word share line 0")
  void shouldKeepTheRendezvousInLineZeroOfATcb() throws IOException {
    final Map<String, Row> rows = byField(TcbDescriptor.class);
    for (String hot : List.of("STATE", "SENDER", "MR0", "MR1", "PARTNER", "STATUS", "SLEEPING")) {
      assertThat(rows).as("protocol.md lists %s", hot).containsKey(hot);
      assertThat(rows.get(hot).end()).as("%s in line 0", rows.get(hot)).isLessThanOrEqualTo(LINE);
    }
    assertThat(TcbDescriptor.MRS_IN_LINE_0).as("message registers in line 0").isGreaterThanOrEqualTo(2);
    assertThat(TcbDescriptor.MR0_OFFSET + 8L * TcbDescriptor.MRS_IN_LINE_0).isLessThanOrEqualTo(LINE);
  }

  @Test
  @DisplayName("a TCB's notification words, written by any notifier, have line 2 to themselves")
  void shouldGiveTheNotificationWordsALineOfTheirOwn() throws IOException {
    final List<String> inLine2 = table(TcbDescriptor.class).stream().filter(r -> r.offset() / LINE == 2)
        .map(Row::field).toList();
    assertThat(inLine2).containsExactlyInAnyOrder("NOTIFY_BITS", "NOTIFY_MASK");
    assertThat(TcbDescriptor.MR2_OFFSET % LINE).as("MR2 starts a line").isZero();
  }

  @Test
  @DisplayName("every TCB stride is a whole number of lines and holds every message register")
  void shouldMakeEveryStrideWholeLines() {
    for (int n = TcbDescriptor.MIN_MESSAGE_REGISTERS; n <= TcbDescriptor.MAX_MESSAGE_REGISTERS; n++) {
      final long stride = TcbDescriptor.stride(n);
      final long lastRegisterEnd = TcbDescriptor.MR2_OFFSET + 8L * (n - TcbDescriptor.MRS_IN_LINE_0);
      assertThat(stride % LINE).as("stride for %d registers", n).isZero();
      assertThat(stride).as("stride for %d registers: MR%d ends at %d, padded to a line", n, n - 1, lastRegisterEnd)
          .isGreaterThanOrEqualTo(lastRegisterEnd)
          .isLessThan(lastRegisterEnd + LINE);
    }
  }

  @Test
  @DisplayName("a receive point is 384 bytes, whole lines: WAITERS and OWNER in line 0, the queue in line 1, the members after")
  void shouldLayOutAReceivePointByLines() throws IOException {
    final Map<String, Row> rows = byField(ReceivePointDescriptor.class);
    assertThat(ReceivePointDescriptor.SIZE).isEqualTo(384);
    assertThat(ReceivePointDescriptor.SIZE % LINE).isZero();
    assertThat(rows.values().stream().mapToLong(Row::end).max().orElseThrow()).as("the last field ends the record")
        .isEqualTo(ReceivePointDescriptor.SIZE);
    assertThat(List.of("WAITERS", "OWNER")).allSatisfy(f -> assertThat(rows.get(f).offset() / LINE).as(f).isZero());
    assertThat(List.of("LOCK", "LENGTH", "HEAD", "TAIL")).allSatisfy(f -> assertThat(rows.get(f).offset() / LINE).as(f).isOne());
    assertThat(rows.get("MEMBERS").offset() % LINE).as("MEMBERS starts a line").isZero();
  }

  @Test
  @DisplayName("a link's header fits its first page, its row map starts the second, and its tables start on page boundaries")
  void shouldPlaceTheLinkTablesOnPages() throws IOException {
    assertThat(LinkDescriptor.PAGE % LINE).isZero();
    assertThat(table(LinkDescriptor.class)).allSatisfy(r -> assertThat(r.end()).as("%s", r).isLessThanOrEqualTo(LinkDescriptor.PAGE));
    for (int[] g : new int[][] {{8, 1, 0}, {64, 1024, 256}, {13, 65_535, 65_535}}) {
      final LinkDescriptor.Geometry geometry = new LinkDescriptor.Geometry(g[0], g[1], g[2]);
      assertThat(geometry.tcbOffset() % LinkDescriptor.PAGE).as("%s TCB table", geometry).isZero();
      assertThat(geometry.tcbOffset()).as("%s TCB table after the row map's bit per row", geometry)
          .isGreaterThanOrEqualTo(LinkDescriptor.ROW_MAP_START + (g[1] + g[2] + 7) / 8);
      assertThat(geometry.rpOffset() % LinkDescriptor.PAGE).as("%s RP table", geometry).isZero();
      assertThat(geometry.rpOffset()).as("%s RP table after the TCBs", geometry)
          .isGreaterThanOrEqualTo(geometry.tcbOffset() + geometry.stride() * g[1]);
      assertThat(geometry.totalSize()).as("%s size", geometry)
          .isGreaterThanOrEqualTo(geometry.rpOffset() + ReceivePointDescriptor.SIZE * (g[1] + g[2]));
    }
  }

  // --- protocol.md and the descriptors ----------------------------------------------------------

  /** The rows of the layout table under the heading that names {@code descriptor}. */
  private static List<Row> table(Class<?> descriptor) throws IOException {
    final List<String> lines = Files.readAllLines(PROTOCOL);
    final String name = descriptor.getSimpleName();
    int i = 0;
    while (i < lines.size() && !(lines.get(i).startsWith("#") && lines.get(i).contains(name))) {
      i++;
    }
    if (i == lines.size()) {
      fail("no heading of %s names %s", PROTOCOL, name);
    }
    i++;
    while (i < lines.size() && !lines.get(i).startsWith("#") && !HEADER.matcher(lines.get(i)).find()) {
      i++;
    }
    if (i == lines.size() || lines.get(i).startsWith("#")) {
      fail("the section of %s in %s has no | offset | size | field | meaning | table", name, PROTOCOL);
    }
    final List<Row> rows = new ArrayList<>();
    for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      final String[] cells = lines.get(i).split("\\|", 5);
      if (cells.length < 5) {
        fail("%s: a row of %s's table has fewer than four cells: %s", PROTOCOL, name, lines.get(i));
      }
      rows.add(new Row(Long.parseLong(cells[1].strip()), Long.parseLong(cells[2].strip()),
          cells[3].strip().replace("`", ""), cells[4].strip()));
    }
    assertThat(rows).as("rows of %s's table", name).isNotEmpty();
    return rows;
  }

  private static Map<String, Row> byField(Class<?> descriptor) throws IOException {
    return table(descriptor).stream().collect(Collectors.toMap(Row::field, r -> r));
  }

  /**
   * The descriptor's offset of {@code field}: its {@code <FIELD>_OFFSET} constant, or for a
   * message register without one, its place after MR0 (in line 0) or MR2 (from line 3).
   */
  private static long offsetOf(Class<?> descriptor, String field) {
    final OptionalLong constant = constant(descriptor, field + "_OFFSET");
    if (constant.isPresent()) {
      return constant.getAsLong();
    }
    final Matcher mr = MR.matcher(field);
    if (descriptor == TcbDescriptor.class && mr.matches()) {
      final int k = Integer.parseInt(mr.group(1));
      return k < TcbDescriptor.MRS_IN_LINE_0 ? TcbDescriptor.MR0_OFFSET + 8L * k
          : TcbDescriptor.MR2_OFFSET + 8L * (k - TcbDescriptor.MRS_IN_LINE_0);
    }
    throw new AssertionError(descriptor.getSimpleName() + " has no constant " + field + "_OFFSET for protocol.md's row");
  }

  /** The public static {@code long} or {@code int} constant {@code name} of {@code c}, if any. */
  private static OptionalLong constant(Class<?> c, String name) {
    try {
      final Field f = c.getField(name);
      if (!Modifier.isStatic(f.getModifiers()) || !(f.getType() == long.class || f.getType() == int.class)) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(f.getLong(null));
    } catch (NoSuchFieldException e) {
      return OptionalLong.empty();
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /** Every public static {@code *_OFFSET} constant of {@code c}, by name. */
  private static Map<String, Long> offsetConstants(Class<?> c) {
    return Stream.of(c.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_OFFSET") && f.getType() == long.class)
        .collect(Collectors.toMap(Field::getName, f -> constant(c, f.getName()).orElseThrow()));
  }
}
