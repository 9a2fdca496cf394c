package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.link.Link;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer links of a process space: links to other process spaces that the root made
 * ({@link Kernel#connect}) and announced in this space's root link (PEER_LINKS). A daemon
 * thread sleeps on the root link's EVENTS word; when the root bumps it, the thread maps each new
 * peer link, gives this space's threads and endpoints their ports there (from then on the other
 * space's ids route through it), and says so; and it drops a link whose other side the root
 * has recorded dead: partners blocked there get PEER_DEAD, and the other space's ids become
 * unreachable.
 *
 * <p>A peer link the root offers that does not check out (its file gone, its ranges not this
 * space's) is reported on standard error and ignored: the root then times out waiting for it.
 * Thread-safe: one thread runs it; the management lock guards the space's tables.
 */
final class PeerLinks {

  /** How long the watcher sleeps between looks when nothing wakes it (a lost wake-up costs this). */
  private static final long RECHECK_NANOS = 1_000_000_000L;

  private final Link root;
  private final Space space;
  private final int[] ranges;
  private final long adaptiveSpinNanos;
  private final List<Link> attached = new ArrayList<>();
  private int offered;

  private PeerLinks(Link root, Space space, long adaptiveSpinNanos) {
    this.root = root;
    this.space = space;
    this.adaptiveSpinNanos = adaptiveSpinNanos;
    this.ranges = new int[] {root.header(LinkDescriptor.B_FIRST_INDEX_OFFSET),
        root.header(LinkDescriptor.B_INDEX_COUNT_OFFSET), root.header(LinkDescriptor.B_FIRST_EP_OFFSET),
        root.header(LinkDescriptor.B_EP_COUNT_OFFSET)};
  }

  /** Starts watching the root link of process space {@code space} for peer links. */
  static void watch(Link root, Space space, long adaptiveSpinNanos) {
    final PeerLinks links = new PeerLinks(root, space, adaptiveSpinNanos);
    Thread.ofPlatform().daemon().name("nucleus-peer-links").start(links::run);
  }

  private void run() {
    final MemorySegment timespec = Arena.ofAuto().allocate(16, 8);
    while (true) {
      final int seen = root.events();
      look();
      root.awaitEvents(seen, RECHECK_NANOS, timespec);
    }
  }

  /** Attaches the peer links offered since the last look; drops those whose other side died. */
  private void look() {
    final int count = root.peerLinkCount();
    for (; offered < count; offered++) {
      try {
        attach(root.peerLink(offered));
      } catch (RuntimeException e) {
        System.err.println("process space " + space.name() + ": peer link " + offered + " refused: " + e.getMessage());
      }
    }
    for (Link l : List.copyOf(attached)) {
      if (l.otherSideDead()) {
        drop(l);
      }
    }
  }

  private void attach(LinkDescriptor.PeerLinkEntry entry) {
    final Link link = Link.attachPeer(root.path().resolveSibling(entry.file()), entry.side(), space.number(), ranges,
        adaptiveSpinNanos);
    if (link.otherSpace() != entry.otherSpace()) {
      throw new IllegalArgumentException("peer link " + entry.file() + " joins space " + link.otherSpace() + ", not "
          + entry.otherSpace());
    }
    synchronized (space.registry.lock) {
      space.tables.addLinkTable(link.otherSpace(), link.table());
    }
    attached.add(link);
    link.markAttached();
  }

  private void drop(Link link) {
    link.markSpaceDead(link.otherSpace(), link.otherSide()); // also wakes every sleeper of the link
    space.tables.removeLinkTable(link.table());
    attached.remove(link);
  }
}
