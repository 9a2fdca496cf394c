package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DemoCommandTest {

  @Test
  void demoRunsToASummaryWithEveryMechanismAtWork(@TempDir Path dir) throws Exception {
    final Path json = dir.resolve("demo.json");

    final int exit = Main.run("demo", "--clients", "2", "--calls", "2000", "--json", json.toString());

    assertThat(exit).isZero();
    final JsonNode r = new ObjectMapper().readTree(Files.readString(json));
    assertThat(r.get("clients")).hasSize(2);
    for (JsonNode c : r.get("clients")) {
      assertThat(c.get("calls").asLong()).isEqualTo(2000);
      assertThat(c.get("errors").asLong()).isZero();
      assertThat(c.get("rtt_ns").get("p50").asLong()).isPositive();
    }
    long served = 0;
    for (JsonNode w : r.get("served_per_worker")) {
      served += w.asLong();
    }
    assertThat(served).as("every call served exactly once").isEqualTo(4000);
    assertThat(r.get("crash_status").asText()).startsWith("PEER_DEAD");
    assertThat(r.get("crasher_ended").asBoolean()).isTrue();
    assertThat(r.get("interrupt_occurrences").asLong()).isGreaterThanOrEqualTo(r.get("interrupt_deliveries").asLong());
  }

  @Test
  void rejectsNonsenseOptions() {
    assertThat(Main.run("demo", "--clients", "0")).isEqualTo(2);
  }
}
