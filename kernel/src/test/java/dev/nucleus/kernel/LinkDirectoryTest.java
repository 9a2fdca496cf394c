package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The link directory of a kernel (Kernel.Config.linkDirectory, $NUCLEUS_LINK_DIR) under faults:
 * a directory too full, read-only or missing when a process space is spawned is one clear error
 * and leaves nothing behind; one that fills up during a run faults nothing, because every page
 * of a link is reserved before it is touched: a new thread whose port needs a page more is
 * refused in one line. Each test mounts a small tmpfs of its own (skipped
 * where that is not allowed).
 */
@org.junit.jupiter.api.Timeout(120)
@Tag("system")
class LinkDirectoryTest {

  private static final long PAGE = 4096;
  /** Small links: 192 threads (64 for each of two process spaces, 64 for the root), 32 endpoints, 64 registers. */
  private static final Kernel.Config SMALL = Kernel.Config.defaults().withMaxThreads(192).withMaxEndpoints(32)
      .withMaxSpaces(8);
  private static final LinkDescriptor.Geometry GEOMETRY =
      new LinkDescriptor.Geometry(SMALL.messageRegisters(), SMALL.maxThreads(), SMALL.maxEndpoints());
  /** More than a link of SMALL can cost: its whole table. */
  private static final long LINK_BYTES = GEOMETRY.totalSize();
  /** What a link reserves before any row: its header and row map. */
  private static final long LINK_PREFIX = GEOMETRY.tcbOffset();

  private Kernel kernel;
  private Tmpfs tmpfs;

  @AfterEach
  void cleanUp() throws Exception {
    try {
      ProcessTests.closeAndCheckNothingLeft(kernel);
      if (tmpfs != null) {
        assertThat(tmpfs.files()).as("files left in the link directory").allMatch(f -> f.endsWith("filler"));
      }
    } finally {
      if (tmpfs != null) {
        tmpfs.close();
      }
    }
  }

  @Test
  @DisplayName("a kernel creates its links in the directory of its Config")
  void linksLiveInTheConfiguredDirectory() throws Exception {
    tmpfs = Tmpfs.mount(4 * LINK_BYTES);
    kernel = new Kernel(SMALL.withLinkDirectory(tmpfs.dir()));
    final ProcessSpace opened = kernel.openProcessSpace("later", kernel.createSpace("client"));
    assertThat(opened.linkPath().getParent()).isEqualTo(tmpfs.dir());
    assertThat(tmpfs.files()).containsExactly(opened.linkPath());
    opened.close();
    assertThat(tmpfs.files()).as("closed before anyone attached: its file is removed").isEmpty();
  }

  @Test
  @DisplayName("a spawn that finds the link directory full fails in one line naming it, the bytes needed and free, and leaves no file; the spaces before it go on")
  void aFullDirectoryFailsTheSpawnClearly() throws Exception {
    tmpfs = Tmpfs.mount(LINK_BYTES);
    kernel = new Kernel(SMALL.withLinkDirectory(tmpfs.dir()));
    final Space client = kernel.createSpace("client");
    final ProcessSpace first = kernel.spawnProcessSpace("first", EchoComponent.class, client);
    final long server = first.awaitPublished(Duration.ofSeconds(30));
    try (IpcThread me = client.attach("me")) {
      tmpfs.fill();
      assertThatThrownBy(() -> kernel.spawnProcessSpace("second", EchoComponent.class, client))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("not enough space in " + tmpfs.dir() + " for a link: it needs " + LINK_PREFIX + " bytes, 0 are free");
      assertThat(tmpfs.files()).as("nothing but the filler").allMatch(f -> f.endsWith("filler"));
      assertThat(kernel.processSpaces()).containsExactly(first);

      me.setTag(MessageTag.of(1, 1));
      me.setMr(1, 41);
      assertThat(me.call(server)).isEqualTo(Status.OK);
      assertThat(me.mr(1)).isEqualTo(42);
    }
  }

  @Test
  @DisplayName("a link directory filled during a run faults nothing: calls go on, a new thread whose port needs a page fails in one line, a crashed peer, closing")
  void aDirectoryFilledDuringARunFaultsNothing() throws Exception {
    tmpfs = Tmpfs.mount(LINK_BYTES);
    kernel = new Kernel(SMALL.withLinkDirectory(tmpfs.dir()));
    final Space client = kernel.createSpace("client");
    final ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, client, "crash-after", "800");
    final long server = echo.awaitPublished(Duration.ofSeconds(30));
    final List<IpcThread> threads = new ArrayList<>();
    try {
      threads.add(client.attach("caller-0", WaitStrategy.BLOCK));
      tmpfs.fill();
      assertThat(tmpfs.usableSpace()).isZero();
      final List<String> refused = new ArrayList<>();
      for (int t = 1; t < 16; t++) { // a port on pages the link has reserved works; one that needs a new page is refused
        try {
          threads.add(client.attach("caller-" + t, WaitStrategy.BLOCK));
        } catch (IllegalStateException e) {
          refused.add(e.getMessage());
        }
      }
      assertThat(refused).as("threads whose ports need pages of a full directory").isNotEmpty()
          .allMatch(m -> m.startsWith("not enough space in " + tmpfs.dir() + " for ") && m.endsWith(" bytes, 0 are free")
              && !m.contains("\n"));
      for (IpcThread me : threads) {
        for (int i = 0; i < 800 / threads.size(); i++) {
          me.setTag(MessageTag.of(1, 1));
          me.setMr(1, i);
          assertThat(me.call(server)).isEqualTo(Status.OK);
          assertThat(me.mr(1)).isEqualTo(i + 1);
        }
      }
      final IpcThread me = threads.getFirst();
      int status;
      do { // the 801st call crashes the server
        me.setTag(MessageTag.of(1, 1));
        status = me.call(server);
      } while (status == Status.OK);
      assertThat(status).isEqualTo(Status.receive(Status.PEER_DEAD));
      assertThat(echo.awaitExit(Duration.ofSeconds(10))).isTrue();
      assertThat(tmpfs.usableSpace()).as("nothing touched a page that was not reserved").isZero();
    } finally {
      for (IpcThread t : threads) {
        t.close(); // wakes every sleeper of every table the space has
      }
    }
  }

  @Test
  @DisplayName("a read-only link directory fails the spawn in one line naming it and the reason")
  void aReadOnlyDirectoryFailsTheSpawnClearly() throws Exception {
    tmpfs = Tmpfs.mount(4 * LINK_BYTES, "ro");
    kernel = new Kernel(SMALL.withLinkDirectory(tmpfs.dir()));
    final Space client = kernel.createSpace("client");
    assertThatThrownBy(() -> kernel.spawnProcessSpace("echo", EchoComponent.class, client))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot create a link in " + tmpfs.dir() + ": Read-only file system");
    assertThat(kernel.processSpaces()).isEmpty();
  }

  @Test
  @DisplayName("a missing link directory fails the spawn in one line naming it and the reason")
  void aMissingDirectoryFailsTheSpawnClearly() {
    final Path missing = Path.of("/nonexistent-nucleus-link-dir");
    kernel = new Kernel(SMALL.withLinkDirectory(missing));
    final Space client = kernel.createSpace("client");
    assertThatThrownBy(() -> kernel.spawnProcessSpace("echo", EchoComponent.class, client))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot create a link in " + missing + ": No such file or directory");
  }

  @Test
  @DisplayName("$NUCLEUS_LINK_DIR chooses the directory of a kernel with the default Config")
  void theEnvironmentChoosesTheDefaultDirectory() throws Exception {
    tmpfs = Tmpfs.mount(512 * PAGE); // more than a link of the default Config reserves
    final List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=dev.nucleus.kernel"));
    final String childOptions = System.getProperty("dev.nucleus.childJvmOptions", "").strip();
    if (!childOptions.isEmpty()) {
      cmd.addAll(List.of(childOptions.split("\\s+"))); // this JVM's test patch: the child sees the probe
    }
    cmd.addAll(List.of("--module-path", System.getProperty("jdk.module.path", ""), "--add-modules", "ALL-MODULE-PATH",
        "-cp", System.getProperty("java.class.path", ""), "-m", "dev.nucleus.kernel/" + LinkDirectoryProbe.class.getName()));
    final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("NUCLEUS_LINK_DIR", tmpfs.dir().toString());
    final Process probe = pb.start();
    final String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output).isEqualTo(tmpfs.dir() + "\n" + tmpfs.dir());
    assertThat(probe.exitValue()).isZero();
  }
}
