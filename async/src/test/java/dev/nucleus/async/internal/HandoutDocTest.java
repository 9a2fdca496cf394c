package dev.nucleus.async.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.Status;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/queues.md against {@link HandoutMessage}: the register tables of the request and the reply
 * (rows {@code | MRn | `FIELD` | meaning |}) must put each field in its {@code <FIELD>_MR}
 * register, every such constant must have its row, the reasons table must give each
 * {@code REASON_} its number and label, and the labels of the request must be the constants'.
 * Only constants are read (by reflection).
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(30)
@DisplayName("The handout message, as queues.md states it")
class HandoutDocTest {

  private static final Path DOC = Path.of(System.getProperty("basedir", ".")).resolve("../docs/queues.md").normalize();
  private static final Pattern REGISTER_ROW = Pattern.compile("^\\| MR(\\d) \\| `([A-Z_]+)` \\|.*");
  private static final Pattern REASON_ROW = Pattern.compile("^\\| ([A-Z_]+) \\| (\\d+) `([A-Z_]+)` \\|.*");

  @Test
  @DisplayName("every field of the request and the reply is in the register its constant names, and every"
      + " register constant has its row")
  void shouldDocumentEveryRegister() throws Exception {
    final List<String> documented = new ArrayList<>();
    for (String heading : List.of("HandoutMessage: request", "HandoutMessage: reply")) {
      for (String line : section(heading)) {
        final Matcher m = REGISTER_ROW.matcher(line);
        if (m.matches()) {
          assertThat(Integer.parseInt(m.group(1))).as("the register of %s", m.group(2))
              .isEqualTo(constant(m.group(2) + "_MR"));
          documented.add(m.group(2) + "_MR");
        }
      }
    }
    final List<String> constants = Stream.of(HandoutMessage.class.getFields()).map(Field::getName)
        .filter(n -> n.endsWith("_MR")).toList();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(constants);
  }

  @Test
  @DisplayName("every reason has its number and its reply label")
  void shouldDocumentEveryReason() throws Exception {
    final List<String> documented = new ArrayList<>();
    for (String line : section("HandoutMessage: reply")) {
      final Matcher m = REASON_ROW.matcher(line);
      if (m.matches()) {
        final long reason = constant("REASON_" + m.group(3));
        assertThat(Long.parseLong(m.group(2))).as("REASON_%s", m.group(3)).isEqualTo(reason);
        assertThat(m.group(1)).as("the label of REASON_%s", m.group(3))
            .isEqualTo(Status.name(HandoutMessage.codeOf(reason)));
        documented.add("REASON_" + m.group(3));
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(Stream.of(HandoutMessage.class.getFields())
        .map(Field::getName).filter(n -> n.startsWith("REASON_") && !n.equals("REASON_MR")).toList());
  }

  @Test
  @DisplayName("the request's labels and word counts are the constants'")
  void shouldDocumentTheLabels() throws Exception {
    final String text = String.join("\n", section("HandoutMessage: request"));
    assertThat(text).contains("`OPEN_SENDER` `0x" + hex(HandoutMessage.OPEN_SENDER_LABEL) + "`")
        .contains("`OPEN_RECEIVER` `0x" + hex(HandoutMessage.OPEN_RECEIVER_LABEL) + "`")
        .contains("1 .. " + HandoutMessage.MAX_NAME_BYTES);
    assertThat(String.join("\n", section("HandoutMessage: reply")))
        .contains("untyped words " + HandoutMessage.OK_WORDS + " for OK, " + HandoutMessage.ERROR_WORDS + " otherwise")
        .contains("`TOTAL_SIZE + " + HandoutMessage.TOKEN_LINE + "`");
  }

  /** 0x5155_0001 written as the doc writes it: groups of four hex digits. */
  private static String hex(long v) {
    final String h = Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
    final StringBuilder out = new StringBuilder();
    for (int i = 0; i < h.length(); i++) {
      if (i > 0 && (h.length() - i) % 4 == 0) {
        out.append('_');
      }
      out.append(h.charAt(i));
    }
    return out.toString();
  }

  /** The lines under {@code ### heading}, up to the next heading. */
  private static List<String> section(String heading) throws IOException {
    final List<String> lines = Files.readAllLines(DOC);
    final int start = lines.indexOf("### " + heading);
    assertThat(start).as("the heading '%s' in %s", heading, DOC).isNotNegative();
    final List<String> out = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
      out.add(lines.get(i));
    }
    return out;
  }

  private static long constant(String name) throws ReflectiveOperationException {
    final Field f = HandoutMessage.class.getField(name);
    assertThat(Modifier.isStatic(f.getModifiers())).isTrue();
    return ((Number) f.get(null)).longValue();
  }
}
