package dev.nucleus.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The key-value example, run as a user would: a store in one process, used by the root and by another process. */
@Tag("system")
@org.junit.jupiter.api.Timeout(120)
class KeyValueExampleTest {

  @Test
  @DisplayName("the store in a process space serves the root and an app process; what each wrote, the other reads")
  void theExampleRuns() throws Exception {
    final KeyValueExample.Report r = KeyValueExample.run(20);
    final List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("app-" + i);
    }
    expected.add("root");
    expected.sort(null);
    assertThat(r.appExitCode()).as("the app process checked every value it read back").isZero();
    assertThat(r.keys()).containsExactlyElementsOf(expected);
    assertThat(r.rootValue()).isEqualTo("written by the root");
    assertThat(r.refusal()).isEqualTo("300 bytes for 'huge', at most 256");
    assertThat(r.appTouches()).as("one-way touches, delivered before the app exited").isEqualTo(1);
  }
}
