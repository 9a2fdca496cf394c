package dev.nucleus.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the layout tables of docs/rpc-wire.md ({@code | offset | size | field | meaning |}, the
 * meaning starting with the type) for the tests that hold them against the descriptor classes.
 */
final class WireDocTables {

  /** The page. */
  static final Path DOC = Path.of(System.getProperty("basedir", ".")).resolve("../docs/rpc-wire.md").normalize();

  /** One row: the field's offset, its size as written, its name, and its meaning. */
  record Row(long offset, String size, String field, String meaning) {}

  private WireDocTables() {}

  static List<String> documented(List<Row> rows) {
    return rows.stream().map(r -> r.field() + "_OFFSET").toList();
  }

  static List<String> offsetConstants(Class<?> descriptor) {
    return Stream.of(descriptor.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_OFFSET")).map(Field::getName).toList();
  }

  static long typeSize(Row row) {
    if (row.meaning().startsWith("u64") || row.meaning().startsWith("i64")) {
      return 8;
    }
    if (row.meaning().startsWith("u32")) {
      return 4;
    }
    throw new AssertionError(row.field() + ": the meaning does not start with its type (u32, u64, i64): " + row.meaning());
  }

  static long constant(Class<?> descriptor, String name) {
    try {
      return descriptor.getField(name).getLong(null);
    } catch (NoSuchFieldException e) {
      throw new AssertionError(descriptor.getSimpleName() + " has no constant " + name + " for rpc-wire.md's row");
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /** The rows of the table under the heading that says {@code heading}. */
  static List<Row> table(String heading) throws IOException {
    final List<String> lines = Files.readAllLines(DOC);
    int i = 0;
    while (i < lines.size() && !(lines.get(i).startsWith("#") && lines.get(i).contains(heading))) {
      i++;
    }
    if (i == lines.size()) {
      fail("no heading of %s says %s", DOC, heading);
    }
    i++;
    while (i < lines.size() && !lines.get(i).startsWith("#") && !lines.get(i).startsWith("| offset")) {
      i++;
    }
    if (i == lines.size() || lines.get(i).startsWith("#")) {
      fail("the section %s of %s has no layout table", heading, DOC);
    }
    final List<Row> rows = new ArrayList<>();
    for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      final String[] cells = lines.get(i).split("\\|", 5);
      rows.add(new Row(Long.parseLong(cells[1].strip()), cells[2].strip(), cells[3].strip().replace("`", ""),
          cells[4].strip()));
    }
    assertThat(rows).as("rows under %s", heading).isNotEmpty();
    return rows;
  }
}
