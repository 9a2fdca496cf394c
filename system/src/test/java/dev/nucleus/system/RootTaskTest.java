package dev.nucleus.system;

import static dev.nucleus.system.Systems.component;
import static dev.nucleus.system.Systems.parse;
import static dev.nucleus.system.Systems.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.system.fixtures.Control;
import dev.nucleus.system.fixtures.DeathCounter;
import dev.nucleus.system.fixtures.EchoClient;
import dev.nucleus.system.fixtures.Importer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("unit")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The root task, with components in thread spaces")
class RootTaskTest {

  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final String SERVER = "dev.nucleus.system.fixtures.EchoServer";
  private static final String CLIENT = "dev.nucleus.system.fixtures.EchoClient";

  private final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeEach
  void clean() {
    Control.reset();
    EchoClient.reset();
  }

  private static String echoSystem(String supervisor, String serverExtra, String clientExtra) {
    return """
        name = "echo-system"
        %s
        [[component]]
        name = "echo"
        class = "%s"
        provides = ["echo"]
        %s
        [[component]]
        name = "client"
        class = "%s"
        imports = ["echo"]
        %s
        """.formatted(supervisor, SERVER, serverExtra, CLIENT, clientExtra);
  }

  private static Set<Long> threadIds(RootTask root, String name) {
    final Set<Long> ids = new HashSet<>();
    component(root, name).threads().forEach(t -> ids.add(t.id()));
    return ids;
  }

  @Test
  @DisplayName("boots in start order, and a client calls its import through the name server")
  void clientCallsItsImport() throws Exception {
    try (RootTask root = RootTask.boot(parse(echoSystem("", "", "")), null, log::add)) {
      until("calls answered", LIMIT, () -> EchoClient.stats("client").ok.get() > 100);
      assertThat(component(root, "echo").state()).isEqualTo("running");
      assertThat(component(root, "client").state()).isEqualTo("running");
      assertThat(component(root, "echo").callsServed()).isPositive();
      assertThat(component(root, "echo").isolation()).isEqualTo("thread");
      assertThat(component(root, "echo").threads()).extracting(ThreadStatus::name).contains("main", "rpc-Echo");
      until("a server thread seen waiting for a request", LIMIT,
          () -> component(root, "echo").threads().stream().anyMatch(t -> t.kind().equals("receiving")));
      assertThat(EchoClient.stats("client").wrong).isEmpty();
    }
  }

  @Test
  @DisplayName("an import outside the component's routes is NOT_PERMITTED")
  void importOutsideRoutesIsNotPermitted() throws Exception {
    final String toml = echoSystem("", "", "") + """
        [[component]]
        name = "nosy"
        class = "dev.nucleus.system.fixtures.Importer"
        imports = ["echo"]
        args = ["secret"]
        """;
    try (RootTask root = RootTask.boot(parse(toml), null, log::add)) {
      assertThat(Importer.outcome("nosy").get(20, TimeUnit.SECONDS))
          .contains("NotPermittedException").contains("may not import 'secret'");
    }
  }

  @Test
  @DisplayName("a crashed component is restarted with fresh ids, and its importers reach the new instance")
  void crashRestartsWithFreshIds() throws Exception {
    try (RootTask root = RootTask.boot(parse(echoSystem("", "", "")), null, log::add)) {
      until("first calls", LIMIT, () -> EchoClient.stats("client").ok.get() > 10);
      final Set<Long> before = threadIds(root, "echo");

      Control.crash("echo");

      until("a second start", LIMIT, () -> Control.starts("echo") == 2);
      until("running again", LIMIT, () -> component(root, "echo").state().equals("running"));
      final long ok = EchoClient.stats("client").ok.get();
      until("calls to the new instance", LIMIT, () -> EchoClient.stats("client").ok.get() > ok + 10);
      assertThat(component(root, "echo").restarts()).isEqualTo(1);
      assertThat(component(root, "client").restarts()).isZero();
      assertThat(threadIds(root, "echo")).doesNotContainAnyElementsOf(before);
      assertThat(EchoClient.stats("client").wrong).isEmpty();
      assertThat(log).anyMatch(l -> l.startsWith("component echo crashed"));
    }
  }

  @Test
  @DisplayName("importers are told of a provider's death (death notification)")
  void deathNotification() throws Exception {
    final String toml = echoSystem("", "", "") + """
        [[component]]
        name = "watcher"
        class = "dev.nucleus.system.fixtures.DeathCounter"
        imports = ["echo"]
        args = ["echo"]
        """;
    try (RootTask root = RootTask.boot(parse(toml), null, log::add)) {
      until("the watcher watching", LIMIT, () -> DeathCounter.watching("watcher"));
      assertThat(DeathCounter.deaths("watcher")).isZero();
      Control.crash("echo");
      until("the watcher told", LIMIT, () -> DeathCounter.deaths("watcher") == 1);
      until("a second start", LIMIT, () -> Control.starts("echo") == 2);
      Control.crash("echo");
      until("the watcher told again", LIMIT, () -> DeathCounter.deaths("watcher") == 2);
      assertThat(log).anyMatch(l -> l.startsWith("component echo crashed") && l.endsWith("importers told: client, watcher"));
    }
  }

  @Test
  @DisplayName("an exception out of any thread of a thread component's space is a crash, seen at once")
  void workerFailureIsACrash() throws Exception {
    final String toml = """
        name = "worker"
        [[component]]
        name = "crasher"
        class = "dev.nucleus.system.fixtures.WorkerCrasher"
        restart = "temporary"
        """;
    try (RootTask root = RootTask.boot(parse(toml), null, log::add)) {
      until("the crash seen", LIMIT, () -> component(root, "crasher").state().equals("failed"));
      assertThat(log).anyMatch(l -> l.startsWith("component crasher crashed (its space ended: ")
          && l.contains("the worker failed"));
    }
  }

  @Test
  @DisplayName("one_for_all restarts the whole group when one member crashes")
  void oneForAll() throws Exception {
    final String toml = echoSystem("[supervisor]\nstrategy = \"one_for_all\"", "", "");
    try (RootTask root = RootTask.boot(parse(toml), null, log::add)) {
      Control.crash("echo");
      until("both restarted", LIMIT, () -> component(root, "echo").restarts() == 1
          && component(root, "client").restarts() == 1 && component(root, "client").state().equals("running"));
    }
  }

  @Test
  @DisplayName("rest_for_one restarts the crashed member and those started after it, not those before")
  void restForOne() throws Exception {
    final StringBuilder toml = new StringBuilder("name = \"chain\"\n[supervisor]\nstrategy = \"rest_for_one\"\n");
    for (String name : new String[] {"a", "b", "c"}) {
      toml.append("""
          [[component]]
          name = "%s"
          class = "%s"
          provides = ["%s-svc"]
          args = ["%s-svc"]
          """.formatted(name, SERVER, name, name));
    }
    try (RootTask root = RootTask.boot(parse(toml.toString()), null, log::add)) {
      Control.crash("b");
      until("b and c restarted", LIMIT, () -> component(root, "b").restarts() == 1
          && component(root, "c").restarts() == 1 && component(root, "c").state().equals("running"));
      assertThat(component(root, "a").restarts()).isZero();
      assertThat(Control.starts("a")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a transient component that returns is not restarted; a temporary one that crashes is not either")
  void transientAndTemporary() throws Exception {
    final String toml = """
        name = "policies"
        [[component]]
        name = "calm"
        class = "%s"
        provides = ["echo"]
        restart = "transient"
        [[component]]
        name = "fragile"
        class = "%s"
        provides = ["other"]
        args = ["other"]
        restart = "temporary"
        """.formatted(SERVER, SERVER);
    try (RootTask root = RootTask.boot(parse(toml), null, log::add)) {
      Control.exit("calm");
      Control.crash("fragile");
      until("both ended", LIMIT, () -> component(root, "calm").state().equals("stopped")
          && component(root, "fragile").state().equals("failed"));
      assertThat(Control.starts("calm")).isEqualTo(1);
      assertThat(Control.starts("fragile")).isEqualTo(1);
      assertThat(root.end()).isNotDone();
    }
  }

  @Test
  @DisplayName("more restarts than the intensity allows stop the group, then the system, with a non-zero exit")
  void intensityEscalates() throws Exception {
    final String toml = echoSystem("[supervisor]\nintensity = 2\nperiod = \"1m\"", "", "");
    try (RootTask root = RootTask.boot(parse(toml), null, log::add)) {
      for (int i = 1; i <= 3; i++) {
        final int start = i;
        until("start " + start, LIMIT, () -> Control.starts("echo") == start);
        Control.crash("echo");
      }
      assertThat(root.end().get(20, TimeUnit.SECONDS)).isEqualTo(RootTask.EXIT_ESCALATED);
      assertThat(root.endMessage()).contains("exceeded its restart intensity").contains("2 restarts");
      assertThat(root.status().components()).allMatch(c -> c.state().equals("stopped"));
    }
  }
}
