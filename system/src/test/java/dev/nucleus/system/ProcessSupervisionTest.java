package dev.nucleus.system;

import static dev.nucleus.system.Systems.component;
import static dev.nucleus.system.Systems.parse;
import static dev.nucleus.system.Systems.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.system.fixtures.Control;
import dev.nucleus.system.fixtures.EchoClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("system")
@DisplayName("The root task, with components in process spaces")
class ProcessSupervisionTest {

  /** The kill -9 cycles of the supervision test. */
  static final int KILLS = Integer.getInteger("nucleus.system.kills", 100);
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final String SERVER = "dev.nucleus.system.fixtures.EchoServer";
  private static final String CLIENT = "dev.nucleus.system.fixtures.EchoClient";

  @TempDir
  Path statusDir;

  private final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeEach
  void clean() {
    Control.reset();
    EchoClient.reset();
  }

  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  @DisplayName("a process server killed with kill -9 again and again is restarted each time; its clients see only"
      + " typed errors during the outage, success after it, and no call outlives its deadline")
  void killedAgainAndAgain() throws Exception {
    final String toml = """
        name = "killed"
        [supervisor]
        intensity = 1000
        period = "1m"
        [[component]]
        name = "echo"
        class = "%s"
        isolation = "process"
        provides = ["echo"]
        server-threads = 2
        [[component]]
        name = "fast"
        class = "%s"
        imports = ["echo"]
        [[component]]
        name = "patient"
        class = "%s"
        imports = ["echo"]
        args = ["wait"]
        """.formatted(SERVER, CLIENT, CLIENT);
    try (RootTask root = RootTask.boot(parse(toml), statusDir, log::add)) {
      for (int cycle = 1; cycle <= KILLS; cycle++) {
        final long okFast = EchoClient.stats("fast").ok.get();
        final long okPatient = EchoClient.stats("patient").ok.get();
        final long pid = component(root, "echo").pid();
        assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());

        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL

        final int n = cycle;
        until("restart " + n, LIMIT, () -> component(root, "echo").restarts() == n
            && component(root, "echo").state().equals("running"));
        until("both clients served by instance " + (n + 1), LIMIT,
            () -> EchoClient.stats("fast").ok.get() > okFast && EchoClient.stats("patient").ok.get() > okPatient);
      }
      assertThat(component(root, "fast").restarts()).isZero();
      assertThat(component(root, "patient").restarts()).isZero();
    }
    for (String client : new String[] {"fast", "patient"}) {
      final EchoClient.Stats s = EchoClient.stats(client);
      assertThat(s.wrong).as(client + ": untyped failures or wrong answers").isEmpty();
      assertThat(s.overran.get()).as(client + ": calls that outlived their deadline").isZero();
    }
    assertThat(EchoClient.stats("fast").typed).as("the fail-fast client saw the outages").isNotEmpty();
    System.out.printf("ProcessSupervisionTest: %d kills; fast %d ok %s; patient %d ok %s; e.g. %s %s%n", KILLS,
        EchoClient.stats("fast").ok.get(), EchoClient.stats("fast").typed, EchoClient.stats("patient").ok.get(),
        EchoClient.stats("patient").typed, EchoClient.stats("fast").samples, EchoClient.stats("patient").samples);
    try (var files = Files.list(statusDir)) {
      assertThat(files).as("the status segment is removed").isEmpty();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  @DisplayName("routes work at every distance: process to process, process to thread, thread to process")
  void everyDistance() throws Exception {
    final String toml = """
        name = "distances"
        [[component]]
        name = "pserver"
        class = "%s"
        isolation = "process"
        provides = ["echo"]
        [[component]]
        name = "tserver"
        class = "%s"
        provides = ["echo2"]
        args = ["echo2"]
        [[component]]
        name = "pclient"
        class = "%s"
        isolation = "process"
        imports = ["echo"]
        [[component]]
        name = "pclient2"
        class = "%s"
        isolation = "process"
        imports = ["echo2"]
        args = ["import=echo2"]
        [[component]]
        name = "tclient"
        class = "%s"
        imports = ["echo"]
        """.formatted(SERVER, SERVER, CLIENT, CLIENT, CLIENT);
    try (RootTask root = RootTask.boot(parse(toml), statusDir, log::add)) {
      until("every server serves", LIMIT, () -> component(root, "pserver").callsServed() > 1000
          && component(root, "tserver").callsServed() > 1000 && EchoClient.stats("tclient").ok.get() > 1000);
      assertThat(root.status().components()).allMatch(c -> c.restarts() == 0 && c.state().equals("running"));
      assertThat(component(root, "pclient").threads()).isNotEmpty();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  @DisplayName("arguments and results too large for the registers go through a relay in both directions, in shared regions")
  void bulkThroughRelays() throws Exception {
    final String toml = """
        name = "bulk"
        [[component]]
        name = "pserver"
        class = "%s"
        isolation = "process"
        provides = ["echo"]
        [[component]]
        name = "tserver"
        class = "%s"
        provides = ["echo2"]
        args = ["echo2"]
        [[component]]
        name = "tclient"
        class = "%s"
        imports = ["echo"]
        args = ["bulk"]
        [[component]]
        name = "pclient"
        class = "%s"
        isolation = "process"
        imports = ["echo2"]
        args = ["import=echo2", "bulk"]
        """.formatted(SERVER, SERVER, CLIENT, CLIENT);
    try (RootTask root = RootTask.boot(parse(toml), statusDir, log::add)) {
      until("64 KiB calls both ways", LIMIT, () -> EchoClient.stats("tclient").ok.get() > 20
          && component(root, "tserver").callsServed() > 20);
      assertThat(root.status().components()).allMatch(c -> c.restarts() == 0 && c.state().equals("running"));
    }
    assertThat(log).noneMatch(l -> l.contains("crashed"));
  }
}
