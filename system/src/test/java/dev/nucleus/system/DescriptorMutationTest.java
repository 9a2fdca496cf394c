package dev.nucleus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A descriptor is untrusted input: whatever its text, loading it either succeeds or fails with a
 * located {@link DescriptorException}, never with another exception.
 */
@Tag("unit")
@Timeout(30)
@DisplayName("SystemDescriptor, mutated input")
class DescriptorMutationTest {

  private static final Path FILE = Path.of("system.toml");
  private static final ClassLoader LOADER = DescriptorMutationTest.class.getClassLoader();

  private static final String VALID = """
      name = "kv-demo"
      [supervisor]
      strategy = "one_for_all"
      period = "1m"
      [[group]]
      name = "store"
      [[component]]
      name = "kv"
      class = "dev.nucleus.system.Samples$Noop"
      isolation = "process"
      jvm-options = ['-Xmx64m']
      group = "store"
      provides = ["kv"]
      args = [
        \"""multi
      line\""",  # comment
      ]
      [[component]]
      name = "client"
      class = "dev.nucleus.system.Samples$Noop"
      imports = ["kv"]
      backoff = "50ms"
      [[driver]]
      name = "tick"
      kind = "timer"
      component = "client"
      period = "100ms"
      """;

  /** Characters that matter to TOML's syntax, and a few that do not. */
  private static final String ALPHABET = "\"'[]{}=,.#\\\n \t-_0aZ\u00e9";

  @Test
  @DisplayName("1000 random edits of a valid descriptor each load or fail with a located DescriptorException")
  void shouldFailOnlyWithDescriptorException() {
    final SplittableRandom random = new SplittableRandom(14);
    for (int round = 0; round < 1000; round++) {
      final String toml = mutate(VALID, random, 1 + random.nextInt(3));
      try {
        SystemDescriptor.parse(toml, FILE, LOADER);
      } catch (DescriptorException e) {
        assertThat(e.getMessage()).as("round %d", round).startsWith("system.toml:").doesNotContain("\n");
        assertThat(e.line()).as("round %d", round).isBetween(0, (int) toml.lines().count() + 1);
      } catch (RuntimeException e) {
        fail("round " + round + " threw " + e + " for:\n" + toml, e);
      }
    }
  }

  private static String mutate(String text, SplittableRandom random, int edits) {
    final StringBuilder mutated = new StringBuilder(text);
    for (int i = 0; i < edits && !mutated.isEmpty(); i++) {
      final int at = random.nextInt(mutated.length());
      switch (random.nextInt(3)) {
        case 0 -> mutated.deleteCharAt(at);
        case 1 -> mutated.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        default -> mutated.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return mutated.toString();
  }
}
