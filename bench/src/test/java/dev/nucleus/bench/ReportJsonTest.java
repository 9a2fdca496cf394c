package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Property names in document order. */
  private static List<String> names(JsonNode node) {
    return node.properties().stream().map(Map.Entry::getKey).toList();
  }

  private static BenchReport sample() {
    MechanismResult floor =
        new MechanismResult(
            "floor-java-spin",
            5,
            200_000,
            new Percentiles(140, 180, 310, 671, 114_239),
            6.5e6,
            null,
            null,
            null,
            List.of());
    MechanismResult mech =
        new MechanismResult(
            "nucleus-thread-spin",
            5,
            200_000,
            new Percentiles(210, 250, 400, 900, 120_000),
            4.4e6,
            "floor-java-spin",
            1.5,
            new Allocation(0.0, 0.25),
            List.of(230L, 210L, 200L, 210L, 250L));
    return new BenchReport(
        List.of(floor, mech),
        List.of(new Skipped("floor-c-spin", "no C compiler", false)),
        5,
        Duration.ofSeconds(3));
  }

  @Test
  void writesTheDocumentedShape(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/bench.json");
    ReportJson.write(sample(), file);
    JsonNode root = MAPPER.readTree(Files.readString(file));

    assertThat(names(root)).containsExactly("results", "skipped");
    JsonNode results = root.get("results");
    assertThat(results.isArray()).isTrue();
    assertThat(results).hasSize(2);

    JsonNode mech = results.get(1);
    assertThat(names(mech))
        .containsExactly(
            "name", "runs", "iterations", "rtt_ns", "p50_per_run_ns", "ops_per_s", "floor",
            "ratio_to_floor", "alloc_bytes_per_rt");
    assertThat(mech.get("name").asText()).isEqualTo("nucleus-thread-spin");
    assertThat(mech.get("runs").asInt()).isEqualTo(5);
    assertThat(mech.get("iterations").asLong()).isEqualTo(200_000);
    JsonNode rtt = mech.get("rtt_ns");
    assertThat(names(rtt)).containsExactly("p50", "p90", "p99", "p999", "max");
    assertThat(rtt.get("p50").asLong()).isEqualTo(210);
    assertThat(rtt.get("p90").asLong()).isEqualTo(250);
    assertThat(rtt.get("p99").asLong()).isEqualTo(400);
    assertThat(rtt.get("p999").asLong()).isEqualTo(900);
    assertThat(rtt.get("max").asLong()).isEqualTo(120_000);
    assertThat(mech.get("p50_per_run_ns")).extracting(JsonNode::asLong).containsExactly(230L, 210L, 200L, 210L, 250L);
    assertThat(mech.get("ops_per_s").isNumber()).isTrue();
    assertThat(mech.get("ops_per_s").asLong()).isEqualTo(4_400_000);
    assertThat(mech.get("floor").asText()).isEqualTo("floor-java-spin");
    assertThat(mech.get("ratio_to_floor").asDouble()).isEqualTo(1.5);
    JsonNode alloc = mech.get("alloc_bytes_per_rt");
    assertThat(names(alloc)).containsExactly("client", "server");
    assertThat(alloc.get("client").asDouble()).isEqualTo(0.0);
    assertThat(alloc.get("server").asDouble()).isEqualTo(0.25);

    JsonNode floor = results.get(0);
    assertThat(floor.get("floor").isNull()).isTrue();
    assertThat(floor.get("ratio_to_floor").isNull()).isTrue();
    assertThat(floor.has("p50_per_run_ns")).as("left out when the runs were not kept").isFalse();
    assertThat(floor.has("alloc_bytes_per_rt")).as("only for mechanisms that count allocation").isFalse();

    JsonNode skipped = root.get("skipped");
    assertThat(skipped).hasSize(1);
    assertThat(names(skipped.get(0))).containsExactly("name", "reason");
    assertThat(skipped.get(0).get("name").asText()).isEqualTo("floor-c-spin");
    assertThat(skipped.get(0).get("reason").asText()).isEqualTo("no C compiler");
  }

  @Test
  void emptyReportHasEmptyArrays() throws Exception {
    BenchReport empty = new BenchReport(List.of(), List.of(), 1, Duration.ZERO);
    JsonNode root = MAPPER.readTree(ReportJson.toJson(empty));
    assertThat(root.get("results").isArray()).isTrue();
    assertThat(root.get("results")).isEmpty();
    assertThat(root.get("skipped").isArray()).isTrue();
    assertThat(root.get("skipped")).isEmpty();
  }
}
