package dev.nucleus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout tables of the wire documents ({@code | offset | size | field | meaning |}, under a
 * heading that names the descriptor class), read for the tests that hold them against the
 * descriptors' constants: docs/queue-wire.md (async), docs/rpc-wire.md (rpc).
 */
public final class LayoutTable {

  /**
   * One row.
   *
   * @param offset the field's offset, in bytes
   * @param size its size as written (a number of bytes)
   * @param field its name, without backquotes
   * @param meaning what the row says of it, starting with its type
   */
  public record Row(long offset, String size, String field, String meaning) {}

  private LayoutTable() {}

  /**
   * The rows of the first table under the first heading of {@code doc} that says {@code heading}.
   *
   * @param doc the document
   * @param heading what the heading says (part of it)
   * @return the rows, at least one
   * @throws IOException if the document cannot be read
   * @throws AssertionError if there is no such heading, no table under it, or no row
   */
  public static List<Row> read(Path doc, String heading) throws IOException {
    final List<String> lines = Files.readAllLines(doc);
    int i = 0;
    while (i < lines.size() && !(lines.get(i).startsWith("#") && lines.get(i).contains(heading))) {
      i++;
    }
    if (i == lines.size()) {
      fail("no heading of %s says %s", doc, heading);
    }
    i++;
    while (i < lines.size() && !lines.get(i).startsWith("#") && !lines.get(i).startsWith("| offset")) {
      i++;
    }
    if (i == lines.size() || lines.get(i).startsWith("#")) {
      fail("the section %s of %s has no layout table", heading, doc);
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
