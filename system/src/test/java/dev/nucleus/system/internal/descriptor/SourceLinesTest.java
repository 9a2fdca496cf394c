package dev.nucleus.system.internal.descriptor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The line of each key path: tables, arrays of tables, values that span lines, and text inside
 * strings and comments that looks like TOML but is not.
 */
@Tag("unit")
@Timeout(10)
@DisplayName("SourceLines")
class SourceLinesTest {

  @Test
  @DisplayName("keys, tables and elements of arrays of tables map to their lines")
  void shouldLocateTablesAndKeys() {
    final SourceLines lines = SourceLines.of("""
        name = "t"

        [supervisor]
        strategy = "one_for_all"

        [[component]]
        name = "a"

        [[component]]
        name = "b"
        """);

    assertThat(lines.lineOf("name")).isEqualTo(1);
    assertThat(lines.lineOf("supervisor")).isEqualTo(3);
    assertThat(lines.lineOf("supervisor.strategy")).isEqualTo(4);
    assertThat(lines.lineOf("component")).isEqualTo(6);
    assertThat(lines.lineOf("component[0]")).isEqualTo(6);
    assertThat(lines.lineOf("component[0].name")).isEqualTo(7);
    assertThat(lines.lineOf("component[1]")).isEqualTo(9);
    assertThat(lines.lineOf("component[1].name")).isEqualTo(10);
  }

  @Test
  @DisplayName("a path not in the document maps to its nearest ancestor that is, else to line 1")
  void shouldFallBackToAncestor() {
    final SourceLines lines = SourceLines.of("""
        name = "t"
        [[component]]
        name = "a"
        args = ["x"]
        """);

    assertThat(lines.lineOf("component[0].class")).isEqualTo(2);
    assertThat(lines.lineOf("component[0].args[7]")).isEqualTo(4);
    assertThat(lines.lineOf("driver[0].name")).isEqualTo(1);
    assertThat(lines.lineOf("component")).isEqualTo(2);
  }

  @Test
  @DisplayName("multi-line strings are skipped whole, whatever they contain")
  void shouldSkipMultiLineStrings() {
    final SourceLines lines = SourceLines.of("""
        a = \"""
        [[component]]
        b = "not a key" \\\"""
        \"""
        c = '''
        d = 1
        ''''
        e = 1
        """);

    assertThat(lines.lineOf("a")).isEqualTo(1);
    assertThat(lines.lineOf("c")).isEqualTo(5);
    assertThat(lines.lineOf("e")).isEqualTo(8);
    assertThat(lines.lineOf("b")).as("not a key").isEqualTo(1);
    assertThat(lines.lineOf("component")).as("not a table").isEqualTo(1);
  }

  @Test
  @DisplayName("strings and comments holding quotes, brackets and # do not end a value early")
  void shouldSkipStringsAndComments() {
    final SourceLines lines = SourceLines.of("""
        a = "x # [y] \\" z" # a comment with "quotes" and [brackets]
        b = 'C:\\path\\' # literal
        # [[component]]
        c = 1
        """);

    assertThat(lines.lineOf("a")).isEqualTo(1);
    assertThat(lines.lineOf("b")).isEqualTo(2);
    assertThat(lines.lineOf("c")).isEqualTo(4);
    assertThat(lines.lineOf("component")).isEqualTo(1);
  }

  @Test
  @DisplayName("each element of an array that spans lines maps to its own line")
  void shouldLocateArrayElements() {
    final SourceLines lines = SourceLines.of("""
        imports = [
          "kv",   # a comment, ]

          "log",
          [1, 2], [
            3],
        ]
        after = true
        """);

    assertThat(lines.lineOf("imports")).isEqualTo(1);
    assertThat(lines.lineOf("imports[0]")).isEqualTo(2);
    assertThat(lines.lineOf("imports[1]")).isEqualTo(4);
    assertThat(lines.lineOf("imports[2]")).isEqualTo(5);
    assertThat(lines.lineOf("imports[3]")).isEqualTo(5);
    assertThat(lines.lineOf("imports[3][0]")).isEqualTo(6);
    assertThat(lines.lineOf("after")).isEqualTo(8);
  }

  @Test
  @DisplayName("inline tables, in an array that spans lines, map their keys")
  void shouldLocateInlineTables() {
    final SourceLines lines = SourceLines.of("""
        component = [
          { name = "a", class = "x.A" },
          { name = "b", nested = { deep = 1 } },
        ]
        """);

    assertThat(lines.lineOf("component[0].class")).isEqualTo(2);
    assertThat(lines.lineOf("component[1].name")).isEqualTo(3);
    assertThat(lines.lineOf("component[1].nested.deep")).isEqualTo(3);
  }

  @Test
  @DisplayName("dotted and quoted keys map by their unquoted names, as Jackson keys them")
  void shouldLocateDottedAndQuotedKeys() {
    final SourceLines lines = SourceLines.of("""
        supervisor.strategy = "one_for_all"
        "quoted key" = 1
        site . "google.com" = true
        'literal\\key' = 2
        "tab\\tand\\u00e9" = 3
        """);

    assertThat(lines.lineOf("supervisor")).isEqualTo(1);
    assertThat(lines.lineOf("supervisor.strategy")).isEqualTo(1);
    assertThat(lines.lineOf("quoted key")).isEqualTo(2);
    assertThat(lines.lineOf("site.google.com")).isEqualTo(3);
    assertThat(lines.lineOf("literal\\key")).isEqualTo(4);
    assertThat(lines.lineOf("tab\tand\u00e9")).isEqualTo(5);
  }

  @Test
  @DisplayName("a table header under an array of tables belongs to its last element")
  void shouldResolveSubTablesOfArrays() {
    final SourceLines lines = SourceLines.of("""
        [[a]]
        x = 1
        [[a]]
        [a.sub]
        y = 2
        [[a.list]]
        z = 3
        [[a.list]]
        z = 4
        """);

    assertThat(lines.lineOf("a[1]")).isEqualTo(3);
    assertThat(lines.lineOf("a[1].sub.y")).isEqualTo(5);
    assertThat(lines.lineOf("a[1].list[0].z")).isEqualTo(7);
    assertThat(lines.lineOf("a[1].list[1].z")).isEqualTo(9);
  }

  @Test
  @DisplayName("CRLF line ends count as one line each")
  void shouldCountCrLf() {
    final SourceLines lines = SourceLines.of("a = 1\r\n\r\n[t]\r\nb = \"\"\"\r\nx\r\n\"\"\"\r\nc = 2\r\n");

    assertThat(lines.lineOf("t")).isEqualTo(3);
    assertThat(lines.lineOf("t.c")).isEqualTo(7);
  }

  @Test
  @DisplayName("the first key or table defined twice is noted with both its lines")
  void shouldNoteRedefinition() {
    assertThat(SourceLines.of("a = 1\n[t]\nb = 2\nb = 3\na = 4\n").redefinition())
        .contains(new SourceLines.Redefinition("t.b", 4, 3));
    assertThat(SourceLines.of("[t]\nb = 2\n\n[t]\n").redefinition())
        .contains(new SourceLines.Redefinition("t", 4, 1));
  }

  @Test
  @DisplayName("tables defined implicitly first, then by their header, are no redefinition")
  void shouldAllowImplicitThenExplicitTable() {
    assertThat(SourceLines.of("[a.b]\nx = 1\n[a]\ny = 2\n[[c]]\nz = 1\n[[c]]\nz = 2\n").redefinition()).isEmpty();
  }

  @Test
  @DisplayName("text it cannot follow ends the scan, keeping the lines found before it")
  void shouldStopQuietlyOnTheUnexpected() {
    final SourceLines lines = SourceLines.of("a = 1\n@@@\nb = 2\n");

    assertThat(lines.lineOf("a")).isEqualTo(1);
    assertThat(lines.lineOf("b")).isEqualTo(1);
  }
}
