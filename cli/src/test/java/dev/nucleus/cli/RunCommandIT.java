package dev.nucleus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nucleus run} and {@code nucleus ps} through the launcher, as a user runs them: the example
 * system in the foreground, looked at from another process, then stopped with SIGTERM.
 */
@Timeout(180)
@DisplayName("nucleus run and nucleus ps, through ./nucleus")
class RunCommandIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  private Process run;

  @AfterEach
  void killLeftovers() {
    if (run != null && run.isAlive()) {
      run.descendants().forEach(ProcessHandle::destroyForcibly);
      run.destroyForcibly();
    }
  }

  private ProcessBuilder nucleus(String... args) {
    final List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("nucleus").toString()));
    cmd.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("NUCLEUS_NO_BUILD", "1");
    return pb;
  }

  @Test
  @DisplayName("runs a system in the foreground; ps shows its components, threads and IPC states; SIGTERM stops"
      + " it with exit 0 and leaves no process and nothing in the status directory")
  void runPsAndSigterm() throws Exception {
    final Path status = Files.createDirectory(dir.resolve("status"));
    run = nucleus("run", "examples/systems/kv.toml", "--status-dir", status.toString())
        .redirectError(dir.resolve("run.err").toFile()).start();
    run.getOutputStream().close();
    final BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
    final StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null && !line.contains("components up")) {
      seen.append(line).append('\n');
    }
    assertThat(line).as("the boot line; before it:\n" + seen + Files.readString(dir.resolve("run.err"))).isNotNull();
    final CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
      final StringBuilder b = new StringBuilder();
      out.lines().forEach(l -> b.append(l).append('\n'));
      return b.toString();
    });

    final Process ps = nucleus("ps", "--json", "--dir", status.toString()).redirectErrorStream(true).start();
    final String psOut = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ps.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(ps.exitValue()).as(psOut).isZero();
    final JsonNode system = new ObjectMapper().readTree(psOut).get("systems").get(0);
    assertThat(system.get("system").asText()).isEqualTo("kv-demo");
    assertThat(system.get("rootPid").asLong()).isEqualTo(run.pid());
    final Map<String, JsonNode> components = new HashMap<>();
    system.get("components").forEach(c -> components.put(c.get("name").asText(), c));
    assertThat(components).containsOnlyKeys("kv", "writer", "reader", "ticker");
    final List<Long> childPids = new ArrayList<>();
    for (String process : new String[] {"kv", "reader"}) {
      assertThat(components.get(process).get("isolation").asText()).isEqualTo("process");
      childPids.add(components.get(process).get("pid").asLong());
    }
    assertThat(childPids).doesNotContain(run.pid());
    final List<String> states = new ArrayList<>();
    components.values().forEach(c -> c.get("threads").forEach(t -> states.add(t.get("ipc").asText())));
    assertThat(states).as("threads and their IPC states").isNotEmpty()
        .anyMatch(s -> s.startsWith("receiving from"));

    new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();

    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(Files.readString(dir.resolve("run.err"))).isZero();
    assertThat(rest.get(10, TimeUnit.SECONDS)).contains("Summary");
    for (long pid : childPids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process " + pid).isFalse();
    }
    try (var files = Files.list(status)) {
      assertThat(files).as("the status segment is gone").isEmpty();
    }
    try (var shm = Files.list(Path.of("/dev/shm"))) {
      assertThat(shm.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("-" + run.pid() + "-")
          || n.startsWith("nucleus-" + run.pid()));
    }
  }

  @Test
  @DisplayName("a group that exceeds its restart intensity stops the system, with a clear message and exit 3")
  void escalation() throws Exception {
    final Path toml = Files.writeString(dir.resolve("crashy.toml"), """
        name = "crashy"
        [supervisor]
        intensity = 1
        period = "1m"
        [[component]]
        name = "kv"
        class = "dev.nucleus.examples.system.KvComponent"
        provides = ["kv"]
        args = ["crash-after=200"]
        """);
    final Process p = nucleus("run", toml.toString(), "--status-dir", dir.toString())
        .redirectError(dir.resolve("crashy.err").toFile()).start();
    p.getOutputStream().close();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("crashy.err"))).contains("exceeded its restart intensity");
    assertThat(out).contains("restarting kv (restart 1)").contains("Summary");
  }

  @Test
  @DisplayName("a bad descriptor is one line naming the file, the line and the key, and exit 2")
  void badDescriptor() throws Exception {
    final Path toml = Files.writeString(dir.resolve("bad.toml"), """
        name = "bad"
        [[component]]
        name = "a"
        class = "dev.nucleus.examples.system.KvClient"
        imports = ["nothing"]
        """);
    final Process p = nucleus("run", toml.toString()).redirectError(dir.resolve("bad.err").toFile()).start();
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("bad.err")).lines().toList()).singleElement().asString()
        .startsWith("run: " + toml + ":5: ").contains("imports");
  }
}
