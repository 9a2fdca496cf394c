package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import dev.nucleus.kernel.internal.os.LinkFile;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A link's file in its directory: sparse, with exactly the pages its two spaces use reserved
 * (header, row map, the spaces' rows), so that a link costs tens of kilobytes, a full tmpfs is
 * one clear error when the link or a row is made, and no access ever faults later; nothing left
 * behind when creation fails. Each test mounts a small tmpfs of its own (skipped where that is
 * not allowed).
 */
@org.junit.jupiter.api.Timeout(60)
class LinkFileTest {

  private static final long PAGE = 4096;
  /** A small link: 8 registers, 64 threads, 16 endpoints. */
  private static final LinkDescriptor.Geometry SMALL = new LinkDescriptor.Geometry(8, 64, 16);
  /** The process space of the small link: threads 0..31, endpoints 0..7. */
  private static final int B_THREADS = 32;
  private static final int B_ENDPOINTS = 8;

  private static Link createSmallLink(Path dir) {
    return Link.create(dir, SMALL.mrCount(), SMALL.maxThreads(), SMALL.maxEndpoints(), 0, 1, 2, 0, B_THREADS, 0,
        B_ENDPOINTS, 16, 0);
  }

  /**
   * What a link of geometry {@code g} costs its directory when rows {@code threads} (TCB and
   * receive point each) and endpoint rows {@code endpoints} are reserved: the header and row
   * map, and every page that holds a byte of those rows, once.
   */
  private static long cost(LinkDescriptor.Geometry g, IntStream threads, IntStream endpoints) {
    final BitSet pages = new BitSet();
    threads.forEach(i -> {
      markPages(pages, g.tcbOffset() + i * g.stride(), g.stride());
      markPages(pages, g.rpOffset() + i * ReceivePointDescriptor.SIZE, ReceivePointDescriptor.SIZE);
    });
    endpoints.forEach(j -> markPages(pages, g.rpOffset() + (g.maxThreads() + j) * ReceivePointDescriptor.SIZE,
        ReceivePointDescriptor.SIZE));
    return g.tcbOffset() + pages.cardinality() * PAGE;
  }

  private static void markPages(BitSet pages, long offset, long length) {
    pages.set((int) (offset / PAGE), (int) ((offset + length - 1) / PAGE) + 1);
  }

  private static long smallLinkCost() {
    return cost(SMALL, IntStream.range(0, B_THREADS), IntStream.range(0, B_ENDPOINTS));
  }

  @Test
  @DisplayName("a link file is sized but sparse: creating it reserves its first bytes, reserve() a range more; the pages return once it is closed and unreachable")
  void creationReservesThePrefixOnly() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(64 * PAGE)) {
      final long before = tmpfs.usableSpace();
      createCheckAndClose(tmpfs, 40 * PAGE, 2 * PAGE);
      assertThat(tmpfs.files()).as("the creator removes its file at close").isEmpty();
      while (tmpfs.usableSpace() != before) { // the mapping goes with the segment (bounded by the class timeout)
        System.gc();
        Thread.sleep(10);
      }
    }
  }

  /** Creates a link file of {@code size} bytes, checks what it takes, and closes it: after this, nothing reaches it. */
  private static void createCheckAndClose(Tmpfs tmpfs, long size, long prefix) throws Exception {
    final long before = tmpfs.usableSpace();
    try (LinkFile file = LinkFile.create(tmpfs.dir(), size, prefix)) {
      assertThat(before - tmpfs.usableSpace()).as("bytes taken from the tmpfs at creation").isEqualTo(prefix);
      assertThat(file.segment().byteSize()).isEqualTo(size);
      assertThat(Files.size(file.path())).isEqualTo(size);
      assertThat(Files.getPosixFilePermissions(file.path())).extracting(Object::toString)
          .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
      file.reserve(10 * PAGE + 100, 200, "a test range");
      assertThat(before - tmpfs.usableSpace()).as("and one page more for a range within it").isEqualTo(prefix + PAGE);
      file.reserve(10 * PAGE, PAGE, "the same page");
      assertThat(before - tmpfs.usableSpace()).as("reserving a page twice costs nothing").isEqualTo(prefix + PAGE);
    }
  }

  @Test
  @DisplayName("a link costs its header, its row map and the pages of its spaces' rows: tens of kilobytes at the default Config, not the whole table")
  void aLinkCostsWhatItsSpacesUse() throws Exception {
    final Kernel.Config defaults = Kernel.Config.defaults();
    final LinkDescriptor.Geometry g = new LinkDescriptor.Geometry(defaults.messageRegisters(), defaults.maxThreads(),
        defaults.maxEndpoints());
    try (Tmpfs tmpfs = Tmpfs.mount(4096 * PAGE)) {
      final long before = tmpfs.usableSpace();
      try (Link link = Link.create(tmpfs.dir(), g.mrCount(), g.maxThreads(), g.maxEndpoints(), 0, 1, 2, 512, 64, 128,
          16, 16, 0)) {
        final long cost = cost(g, IntStream.range(512, 576), IntStream.range(128, 144));
        assertThat(before - tmpfs.usableSpace()).as("the process space's 64 threads and 16 endpoints").isEqualTo(cost);
        assertThat(cost).isLessThan(g.totalSize() / 8).isLessThan(128 * 1024);

        for (int i = 0; i < 4; i++) { // the peer space's threads get their rows as they come
          link.table().reserveThreadRow(i);
        }
        link.table().reserveEndpointRow(0);
        assertThat(before - tmpfs.usableSpace()).as("and four threads and an endpoint of its peer")
            .isEqualTo(cost(g, IntStream.concat(IntStream.range(0, 4), IntStream.range(512, 576)),
                IntStream.concat(IntStream.of(0), IntStream.range(128, 144))));
      }
    }
  }

  @Test
  @DisplayName("a directory full of links that nothing reaches any more is collected before a new link fails")
  void aFullDirectoryCollectsUnreachableLinksFirst() throws Exception {
    final long cost = smallLinkCost();
    try (Tmpfs tmpfs = Tmpfs.mount(cost)) {
      createCheckAndClose(tmpfs, cost, cost - PAGE); // closed, still mapped until collected
      try (Link link = createSmallLink(tmpfs.dir())) {
        assertThat(tmpfs.usableSpace()).isZero();
        assertThat(link.geometry()).isEqualTo(SMALL);
      }
    }
  }

  @Test
  @DisplayName("a link that does not fit fails at creation with one line naming the directory, the bytes needed and the bytes free, and leaves no file")
  void aFullDirectoryIsAClearErrorAtCreation() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(PAGE)) {
      final long free = tmpfs.usableSpace();
      assertThatThrownBy(() -> createSmallLink(tmpfs.dir()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("not enough space in " + tmpfs.dir() + " for a link: it needs " + SMALL.tcbOffset()
              + " bytes, " + free + " are free");
      assertThat(tmpfs.files()).as("nothing left behind").isEmpty();
      assertThat(tmpfs.usableSpace()).as("nothing kept reserved").isEqualTo(free);
    }
  }

  @Test
  @DisplayName("a link whose rows do not fit fails at creation the same way: one line, no file")
  void aLinkWhoseRowsDoNotFitIsAClearErrorAtCreation() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(smallLinkCost() - PAGE)) {
      assertThatThrownBy(() -> createSmallLink(tmpfs.dir()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("not enough space in " + tmpfs.dir() + " for ")
          .hasMessageContaining("row").hasMessageEndingWith(" bytes, 0 are free").hasNoCause();
      assertThat(tmpfs.files()).as("nothing left behind").isEmpty();
    }
  }

  @Test
  @DisplayName("a link fits a directory with exactly its cost free")
  void aLinkFitsExactly() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(smallLinkCost()); Link link = createSmallLink(tmpfs.dir())) {
      assertThat(tmpfs.usableSpace()).isZero();
      assertThat(link.geometry()).isEqualTo(SMALL);
    }
  }

  @Test
  @DisplayName("a tmpfs filled after a link was made never faults: every reserved row, clearing and waking every port, ids of rows never reserved, a new row (one clear line)")
  void aTmpfsFilledLaterNeverFaults() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(64 * PAGE); Link link = createSmallLink(tmpfs.dir())) {
      tmpfs.fill();
      assertThat(tmpfs.usableSpace()).isZero();
      final MemorySegment s = link.segment();
      final MemorySegment rps = s.asSlice(SMALL.rpOffset());
      long sum = 0;
      for (int row = 0; row < SMALL.rows(); row++) {
        if (LinkDescriptor.rowReserved(s, row)) {
          sum += rps.get(ValueLayout.JAVA_LONG, row * ReceivePointDescriptor.SIZE + ReceivePointDescriptor.SIZE - 8);
          rps.set(ValueLayout.JAVA_LONG, row * ReceivePointDescriptor.SIZE + ReceivePointDescriptor.SIZE - 8, sum);
          if (row < SMALL.maxThreads()) {
            final long tcb = SMALL.tcbOffset() + row * SMALL.stride();
            s.set(ValueLayout.JAVA_LONG, tcb + SMALL.stride() - 8, s.get(ValueLayout.JAVA_LONG, tcb));
          }
        }
      }
      assertThat(IntStream.range(0, SMALL.rows()).filter(r -> LinkDescriptor.rowReserved(s, r)).toArray())
          .as("rows reserved: the process space's")
          .isEqualTo(IntStream.concat(IntStream.range(0, B_THREADS),
              IntStream.range(SMALL.maxThreads(), SMALL.maxThreads() + B_ENDPOINTS)).toArray());
      link.table().clearAll();
      link.table().wakeAllSleepers();
      link.markSpaceDead(2, Link.SIDE_B);
      assertThat(link.table().resolve(2, ThreadId.of(2, 40, 1))).as("a thread row never reserved")
          .isEqualTo(-Status.STALE_ID);
      assertThat(link.table().resolve(2, ThreadId.endpoint(2, 12, 1))).as("an endpoint row never reserved")
          .isEqualTo(-Status.STALE_ID);
      assertThat(link.table().alive(ThreadId.of(1, 50, 1))).isFalse();
      assertThatThrownBy(() -> link.table().reserveThreadRow(50)).isInstanceOf(IllegalStateException.class)
          .hasMessage("not enough space in " + tmpfs.dir() + " for thread row 50 of " + link + ": it needs "
              + SMALL.stride() + " bytes, 0 are free");
      final Link peer = Link.attach(link.path(), 0);
      try {
        assertThat(peer.geometry()).as("the other side attaches to a full tmpfs").isEqualTo(SMALL);
        assertThat(peer.table().resolve(1, ThreadId.of(1, 50, 1))).isEqualTo(-Status.STALE_ID);
      } finally {
        peer.close();
      }
      assertThat(tmpfs.usableSpace()).as("nothing touched a page that was not reserved").isZero();
    }
  }

  @Test
  @DisplayName("the side that attaches reserves nothing and learns rows its creator reserves later; it refuses a link whose row map leaves its own rows out")
  void attachingReservesNothingAndTrustsTheRowMap() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(64 * PAGE); Link link = createSmallLink(tmpfs.dir())) {
      final long free = tmpfs.usableSpace();
      try (Link peer = Link.attach(link.path(), 0)) {
        assertThat(tmpfs.usableSpace()).as("attaching took nothing").isEqualTo(free);
        assertThat(peer.table().alive(ThreadId.of(1, 40, 1))).isFalse();
        link.table().reserveThreadRow(40);
        link.table().initPort(40, ThreadId.of(1, 40, 1), 1);
        assertThat(peer.table().alive(ThreadId.of(1, 40, 1))).as("a row the creator reserved after the attach").isTrue();
        assertThatThrownBy(() -> peer.table().reserveThreadRow(41)).isInstanceOf(IllegalStateException.class)
            .hasMessage("row 41 of " + peer + " is not reserved by its creator");
      }
      final MemorySegment s = link.segment();
      s.set(ValueLayout.JAVA_LONG, LinkDescriptor.ROW_MAP_START, s.get(ValueLayout.JAVA_LONG, LinkDescriptor.ROW_MAP_START) & ~(1L << 5));
      assertThatThrownBy(() -> Link.attach(link.path(), 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("link ROW_MAP does not mark thread row 5 of this space reserved");
      final long freeNow = tmpfs.usableSpace();
      final Path sparse = tmpfs.dir().resolve(LinkFile.PREFIX + "sparse");
      try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
        f.setLength(128 * PAGE); // larger than the whole tmpfs: sized, not reserved
      }
      try (LinkFile opened = LinkFile.open(sparse, LinkDescriptor.PAGE)) {
        assertThat(opened.segment().byteSize()).isEqualTo(128 * PAGE);
        assertThat(tmpfs.usableSpace()).as("mapping a sparse file reserves nothing").isEqualTo(freeNow);
      }
      assertThat(sparse).as("the opener never removes the creator's file").exists();
      Files.delete(sparse);
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
