package dev.nucleus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nucleus.cli.StatusSurvey.Found;
import dev.nucleus.cli.StatusSurvey.Running;
import dev.nucleus.cli.StatusSurvey.Stale;
import dev.nucleus.cli.StatusSurvey.Unreadable;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.SystemStatus;
import dev.nucleus.system.ThreadStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code nucleus ps --json}: what the table shows, as one JSON object.
 *
 * <pre>
 * {"directory": "/dev/shm",
 *  "systems": [{"path", "system", "rootPid", "started", "updated" (ISO-8601 instants),
 *               "uptimeMs", "updatedAgoMs", "truncated",
 *               "components": [{"name", "isolation", "state", "space", "pid", "restarts",
 *                               "callsServed", "since", "uptimeMs",
 *                               "threads": [{"id" (the 64-bit id), "idText" ("T2.1v1"), "name",
 *                                            "kind", "partner", "ipc" (in words)}]}]}],
 *  "stale": [{"path", "rootPid", "reason"}],
 *  "errors": [{"path", "error"}]}
 * </pre>
 */
final class PsJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PsJson() {}

  /**
   * The JSON of {@code found}, as of {@code now}.
   *
   * @param directory the directory surveyed
   * @param found what the survey found
   * @param now the time ages and uptimes are measured to
   * @param pretty indented over several lines, or all on one line (for --watch: a line per frame)
   * @return the JSON text, without a final line break
   */
  static String render(Path directory, List<Found> found, Instant now, boolean pretty) {
    final ObjectNode root = MAPPER.createObjectNode();
    root.put("directory", directory.toString());
    final ArrayNode systems = root.putArray("systems");
    final ArrayNode stale = root.putArray("stale");
    final ArrayNode errors = root.putArray("errors");
    for (Found f : found) {
      switch (f) {
        case Running r -> system(systems.addObject(), r, now);
        case Stale s -> stale.addObject().put("path", s.path().toString()).put("rootPid", s.rootPid())
            .put("reason", s.reason());
        case Unreadable u -> errors.addObject().put("path", u.path().toString()).put("error", u.error());
      }
    }
    try {
      return (pretty ? MAPPER.writer(SerializationFeature.INDENT_OUTPUT) : MAPPER.writer()).writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers did not serialize", e);
    }
  }

  private static void system(ObjectNode o, Running r, Instant now) {
    final SystemStatus s = r.status();
    o.put("path", r.path().toString()).put("system", s.system()).put("rootPid", s.rootPid())
        .put("started", s.started().toString()).put("updated", s.updated().toString())
        .put("uptimeMs", millis(s.started(), now)).put("updatedAgoMs", millis(s.updated(), now))
        .put("truncated", s.truncated());
    final ArrayNode components = o.putArray("components");
    for (ComponentStatus c : s.components()) {
      final ObjectNode co = components.addObject().put("name", c.name()).put("isolation", c.isolation())
          .put("state", c.state()).put("space", c.space()).put("pid", c.pid()).put("restarts", c.restarts())
          .put("callsServed", c.callsServed()).put("since", c.since().toString())
          .put("uptimeMs", millis(c.since(), now));
      final ArrayNode threads = co.putArray("threads");
      for (ThreadStatus t : c.threads()) {
        threads.addObject().put("id", t.id()).put("idText", ThreadId.toString(t.id())).put("name", t.name())
            .put("kind", t.kind()).put("partner", t.partner()).put("ipc", t.describe());
      }
    }
  }

  private static long millis(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis());
  }
}
