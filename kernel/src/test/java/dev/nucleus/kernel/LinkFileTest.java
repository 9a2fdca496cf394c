package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import dev.nucleus.kernel.internal.os.LinkFile;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A link's file in its directory: every page reserved at creation, so that a full tmpfs is one
 * clear error when the link is made and never a fault later; nothing left behind when creation
 * fails. Each test mounts a small tmpfs of its own (skipped where that is not allowed).
 */
@org.junit.jupiter.api.Timeout(60)
class LinkFileTest {

  private static final long PAGE = 4096;
  /** A small link: 8 registers, 64 threads, 16 endpoints (53,248 bytes). */
  private static final LinkDescriptor.Geometry SMALL = new LinkDescriptor.Geometry(8, 64, 16);

  private static Link createSmallLink(Path dir) {
    return Link.create(dir, SMALL.mrCount(), SMALL.maxThreads(), SMALL.maxEndpoints(), 0, 1, 2, 0, 32, 0, 8, 16, 0);
  }

  @Test
  @DisplayName("creating a link reserves every page of it in the directory at once; they return once it is closed and unreachable")
  void creationReservesEveryPage() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(64 * PAGE)) {
      final long before = tmpfs.usableSpace();
      createCheckAndClose(tmpfs, 10 * PAGE);
      assertThat(tmpfs.files()).as("the creator removes its file at close").isEmpty();
      while (tmpfs.usableSpace() != before) { // the mapping goes with the segment (bounded by the class timeout)
        System.gc();
        Thread.sleep(10);
      }
    }
  }

  /** Creates a link file of {@code size} bytes, checks what it takes, and closes it: after this, nothing reaches it. */
  private static void createCheckAndClose(Tmpfs tmpfs, long size) throws Exception {
    final long before = tmpfs.usableSpace();
    try (LinkFile file = LinkFile.create(tmpfs.dir(), size)) {
      assertThat(before - tmpfs.usableSpace()).as("bytes taken from the tmpfs").isEqualTo(size);
      assertThat(file.segment().byteSize()).isEqualTo(size);
      assertThat(Files.getPosixFilePermissions(file.path())).extracting(Object::toString)
          .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }
  }

  @Test
  @DisplayName("a directory full of links that nothing reaches any more is collected before a new link fails")
  void aFullDirectoryCollectsUnreachableLinksFirst() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(SMALL.totalSize())) {
      createCheckAndClose(tmpfs, SMALL.totalSize()); // closed, still mapped until collected
      try (Link link = createSmallLink(tmpfs.dir())) {
        assertThat(tmpfs.usableSpace()).isZero();
        assertThat(link.geometry()).isEqualTo(SMALL);
      }
    }
  }

  @Test
  @DisplayName("a link that does not fit fails at creation with one line naming the directory, the bytes needed and the bytes free, and leaves no file")
  void aFullDirectoryIsAClearErrorAtCreation() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(8 * PAGE)) {
      final long free = tmpfs.usableSpace();
      assertThatThrownBy(() -> createSmallLink(tmpfs.dir()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("not enough space in " + tmpfs.dir() + " for a link: it needs " + SMALL.totalSize()
              + " bytes, " + free + " are free");
      assertThat(tmpfs.files()).as("nothing left behind").isEmpty();
      assertThat(tmpfs.usableSpace()).as("nothing kept reserved").isEqualTo(free);
    }
  }

  @Test
  @DisplayName("a link fits a directory with exactly its size free")
  void aLinkFitsExactly() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(SMALL.totalSize()); Link link = createSmallLink(tmpfs.dir())) {
      assertThat(tmpfs.usableSpace()).isZero();
      assertThat(link.geometry()).isEqualTo(SMALL);
    }
  }

  @Test
  @DisplayName("a tmpfs filled after a link was made never faults its accesses: every byte, clearing and waking every port")
  void aTmpfsFilledLaterNeverFaults() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(64 * PAGE); Link link = createSmallLink(tmpfs.dir())) {
      tmpfs.fill();
      assertThat(tmpfs.usableSpace()).isZero();
      final MemorySegment s = link.segment();
      long sum = 0;
      for (long at = LinkDescriptor.PAGE; at < s.byteSize(); at += 8) {
        sum += s.get(ValueLayout.JAVA_LONG, at); // first reads of pages nothing had touched
      }
      assertThat(sum).as("a new link's tables hold nothing but cleared receive points").isNotZero();
      link.table().clearAll();
      link.table().wakeAllSleepers();
      link.markSpaceDead(2, Link.SIDE_B);
      for (long at = LinkDescriptor.PAGE; at < s.byteSize(); at += PAGE) {
        s.set(ValueLayout.JAVA_LONG, at, -1L); // and first writes
      }
      final Link peer = Link.attach(link.path(), 0);
      try {
        assertThat(peer.geometry()).as("the other side attaches to a full tmpfs").isEqualTo(SMALL);
      } finally {
        peer.close();
      }
    }
  }

  @Test
  @DisplayName("attaching to a file whose pages are not reserved reserves them, or fails with one clear line if the tmpfs is full")
  void attachingReservesOrFailsClearly() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(8 * PAGE)) {
      final Path sparse = tmpfs.dir().resolve(LinkFile.PREFIX + "sparse");
      try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
        f.setLength(16 * PAGE); // larger than the whole tmpfs: sized, not reserved
      }
      final long free = tmpfs.usableSpace();
      assertThatThrownBy(() -> LinkFile.open(sparse, LinkDescriptor.PAGE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("not enough space in " + tmpfs.dir() + " for a link: it needs " + 16 * PAGE + " bytes, "
              + free + " are free");
      try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
        f.setLength(4 * PAGE);
      }
      try (LinkFile opened = LinkFile.open(sparse, LinkDescriptor.PAGE)) {
        assertThat(tmpfs.usableSpace()).as("its pages are reserved now").isEqualTo(free - 4 * PAGE);
        opened.segment().fill((byte) 1);
      }
      assertThat(sparse).as("the opener never removes the creator's file").exists();
    }
  }

  @Test
  @DisplayName("a read-only directory gives one line naming it and the system's reason")
  void aReadOnlyDirectoryIsAClearError() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(16 * PAGE, "ro")) {
      assertThatThrownBy(() -> createSmallLink(tmpfs.dir()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("cannot create a link in " + tmpfs.dir() + ": Read-only file system");
    }
  }

  @Test
  @DisplayName("a missing directory gives one line naming it and the system's reason")
  void aMissingDirectoryIsAClearError() {
    final Path missing = Path.of("/nonexistent-nucleus-link-dir");
    assertThatThrownBy(() -> createSmallLink(missing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot create a link in " + missing + ": No such file or directory");
  }

  @Test
  @DisplayName("attaching to something that is not a link file is an IllegalArgumentException saying why")
  void attachingToANonLinkIsRefused() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(16 * PAGE)) {
      final Path missing = tmpfs.dir().resolve("missing");
      assertThatThrownBy(() -> LinkFile.open(missing, PAGE)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("link file " + missing + " does not exist");
      final Path dir = Files.createDirectory(tmpfs.dir().resolve("dir"));
      assertThatThrownBy(() -> LinkFile.open(dir, PAGE)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("link file " + dir + " is not a regular file");
      final Path small = Files.write(tmpfs.dir().resolve("small"), new byte[100]);
      assertThatThrownBy(() -> LinkFile.open(small, PAGE)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("link file " + small + " is 100 bytes, expected at least " + PAGE);
      final Path garbage = Files.write(tmpfs.dir().resolve("garbage"), new byte[(int) (2 * PAGE)]);
      assertThatThrownBy(() -> Link.attach(garbage, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a link: magic 0x0");
      assertThat(garbage).as("a failed attach leaves the peer's file alone").exists();
    }
  }

  @Test
  @DisplayName("files of dead creators are reclaimed from the directory given, those of live ones kept")
  void orphansAreReclaimedFromTheGivenDirectory() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(64 * PAGE); Link live = createSmallLink(tmpfs.dir())) {
      final Path orphan = tmpfs.dir().resolve(LinkFile.PREFIX + deadPid() + "-" + "0".repeat(32));
      Files.createFile(orphan);
      assertThat(LinkFile.reclaimOrphans(tmpfs.dir())).isEqualTo(1);
      assertThat(tmpfs.files()).containsExactly(live.path());
    }
  }

  @Test
  @DisplayName("the default directory is $NUCLEUS_LINK_DIR, else /dev/shm")
  void theDefaultDirectoryComesFromTheEnvironment() {
    final String set = System.getenv(LinkFile.DIRECTORY_VARIABLE);
    assertThat(LinkFile.defaultDirectory())
        .isEqualTo(set == null || set.isBlank() ? Path.of("/dev/shm") : Path.of(set));
  }

  /** The pid of a process that has exited. */
  private static long deadPid() throws Exception {
    final Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }
}
