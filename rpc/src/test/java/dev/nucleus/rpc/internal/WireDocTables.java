package dev.nucleus.rpc.internal;

import dev.nucleus.testing.LayoutTable;
import dev.nucleus.testing.LayoutTable.Row;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the layout tables of docs/rpc-wire.md ({@code | offset | size | field | meaning |}, the
 * meaning starting with the type) for the tests that hold them against the descriptor classes.
 */
final class WireDocTables {

  /** The page. */
  static final Path DOC = Path.of(System.getProperty("basedir", ".")).resolve("../docs/rpc-wire.md").normalize();

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
    return LayoutTable.read(DOC, heading);
  }
}
