package dev.nucleus.examples.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.RootTask;
import dev.nucleus.system.SystemDescriptor;
import dev.nucleus.system.SystemStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("system")
@DisplayName("The example system (examples/systems/kv.toml)")
class KvSystemTest {

  @TempDir
  Path statusDir;

  private static ComponentStatus component(SystemStatus s, String name) {
    return s.components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  @DisplayName("boots from its descriptor, restarts the crashing store while its clients go on, and stops leaving nothing")
  void bootsRestartsAndStops() throws Exception {
    final SystemDescriptor d = SystemDescriptor.load(Path.of("systems/kv.toml"), getClass().getClassLoader());
    final List<String> log = new CopyOnWriteArrayList<>();
    final Path segment;
    try (RootTask root = RootTask.boot(d, statusDir, log::add)) {
      segment = root.statusPath();
      assertThat(segment).exists();
      // Until the store has been restarted once and serves its clients again.
      SystemStatus s = root.status();
      while (component(s, "kv").restarts() < 1 || !component(s, "kv").state().equals("running")
          || component(s, "kv").callsServed() < 100) {
        Thread.sleep(50);
        s = root.status();
      }
      assertThat(component(s, "writer").state()).isEqualTo("running");
      assertThat(component(s, "reader").state()).isEqualTo("running");
      assertThat(component(s, "ticker").state()).isEqualTo("running");
      assertThat(component(s, "writer").restarts()).isZero();
      assertThat(component(s, "reader").restarts()).isZero();
      assertThat(component(s, "kv").pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(root.end()).isNotDone();
    }
    assertThat(log).anyMatch(l -> l.contains("component kv crashed"));
    assertThat(log).anyMatch(l -> l.contains("restarting kv"));
    assertThat(segment).doesNotExist();
    // Link files carry the root's pid: none of this JVM's is left (other JVMs' are not this test's).
    final String ours = "nucleus-" + ProcessHandle.current().pid() + "-";
    try (var shm = Files.list(Path.of("/dev/shm"))) {
      assertThat(shm.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(ours));
    }
  }
}
