package dev.nucleus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
@DisplayName("The status records: what they accept, and a thread's IPC state in words")
class StatusRecordsTest {

  private static final Instant T = Instant.EPOCH;

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "idle                     | ''          | idle",
      "sending                  | kv/server-0 | sending to kv/server-0",
      "receiving                | any         | receiving from any",
      "receiving                | ''          | receiving from any",
      "receiving                | clock/tick  | receiving from clock/tick",
      "waiting_for_reply        | T2.1v3      | waiting for a reply from T2.1v3",
      "waiting_for_reply        | ''          | waiting for a reply from ?",
      "waiting_for_notification | ''          | waiting for a notification",
      "transferring             | ''          | transferring",
      "dead                     | ''          | dead"})
  @DisplayName("a thread's state reads as the issue says: idle; sending to X; receiving from X or any; waiting for a reply from X")
  void shouldDescribeEachKind(String kind, String partner, String words) {
    assertThat(new ThreadStatus(1, "t", kind, partner).describe()).isEqualTo(words);
  }

  @Test
  @DisplayName("unknown isolations, states and kinds are refused, naming the allowed values")
  void shouldRefuseUnknownValues() {
    assertThatThrownBy(() -> new ThreadStatus(1, "t", "SENDING", "")).hasMessageContaining("sending");
    assertThatThrownBy(() -> new ComponentStatus("c", "fiber", "running", 1, 1, 0, 0, T, List.of()))
        .hasMessageContaining("isolation is 'fiber'");
    assertThatThrownBy(() -> new ComponentStatus("c", "thread", "crashed", 1, 1, 0, 0, T, List.of()))
        .hasMessageContaining("state is 'crashed'").hasMessageContaining("failed");
    assertThatThrownBy(() -> new ComponentStatus("c", "thread", "running", 1, 1, -1, 0, T, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SystemStatus("s", 0, T, T, List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the lists are copied: a status does not change when the caller's list does")
  void shouldCopyTheLists() {
    final List<ComponentStatus> components = new ArrayList<>();
    final SystemStatus s = new SystemStatus("s", 1, T, T, components);
    components.add(new ComponentStatus("c", "thread", "running", 1, 1, 0, 0, T, List.of()));

    assertThat(s.components()).isEmpty();
    assertThat(s.truncated()).as("the five-argument form is a complete status").isFalse();
  }
}
