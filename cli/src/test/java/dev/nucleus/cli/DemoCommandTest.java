package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
@DisplayName("nucleus demo")
class DemoCommandTest {

  @Test
  @DisplayName("runs the bundled kv system from its descriptor: the store is restarted, its clients go on")
  void runsTheBundledSystem(@TempDir Path dir) throws Exception {
    final Path json = dir.resolve("demo.json");

    final int exit = Main.run("demo", "--seconds", "3", "--json", json.toString());

    assertThat(exit).isZero();
    final JsonNode r = new ObjectMapper().readTree(Files.readString(json));
    assertThat(r.get("system").asText()).isEqualTo("kv-demo");
    final Map<String, JsonNode> components = new HashMap<>();
    r.get("components").forEach(c -> components.put(c.get("name").asText(), c));
    assertThat(components).containsOnlyKeys("kv", "writer", "reader", "ticker");
    assertThat(components.get("kv").get("restarts").asLong()).isPositive();
    assertThat(components.get("kv").get("isolation").asText()).isEqualTo("process");
    for (String client : new String[] {"writer", "reader", "ticker"}) {
      assertThat(components.get(client).get("restarts").asLong()).as(client).isZero();
      assertThat(components.get(client).get("state").asText()).as(client).isEqualTo("running");
    }
    assertThat(r.get("events").toString()).contains("component kv crashed").contains("restarting kv");
  }

  @Test
  @DisplayName("refuses a run too short to see the store restart")
  void rejectsNonsenseOptions() {
    assertThat(Main.run("demo", "--seconds", "1")).isEqualTo(2);
  }
}
