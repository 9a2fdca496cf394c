package dev.nucleus.kernel.internal.link;

import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.internal.ipc.ChannelTable;
import dev.nucleus.kernel.internal.ipc.Rendezvous;
import dev.nucleus.kernel.internal.ipc.Rows;
import dev.nucleus.kernel.internal.layout.LinkDescriptor;
import dev.nucleus.kernel.internal.layout.ReceivePointDescriptor;
import dev.nucleus.kernel.internal.os.Futex;
import dev.nucleus.kernel.internal.os.FutexSleeper;
import dev.nucleus.kernel.internal.os.LinkFile;
import dev.nucleus.kernel.internal.os.Sleeper;
import static dev.nucleus.kernel.internal.layout.TcbDescriptor.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The link between the root and one process space: the mapped {@link LinkFile}, its header
 * ({@link LinkDescriptor}) and the IPC table (a {@link Rendezvous}) over the rest. Side A
 * (the root kernel) creates it; side B (the process space) attaches to it.
 *
 * <pre>
 * Implementation overview
 *   A: create file (0600, random name, sparse; header and row map reserved) -> write header
 *      -> reserve, clear and mark B's rows -> spawn B; a failure on the way removes the file
 *   A: later, before a thread or endpoint of its space gets a port here: reserve, clear and mark
 *      its row (a full directory fails that thread's creation, not an IPC)
 *   B: map -> validate header against the file size and its own rows against the row map
 *      -> B_STATE = ATTACHED -> boot its component
 *      -> PUBLISHED = bootstrap id -> B_STATE = RUNNING
 *   A: on ATTACHED (or B's exit) unlink the file name: from then on nothing is left in the link directory
 *      whatever happens to either process
 *   death of one side (seen by the other through process exit): markSpaceDead
 * </pre>
 *
 * Each side's spin locks hold its side number ({@link #SIDE_A} or {@link #SIDE_B}), so that the
 * survivor can break the locks a dead peer held. Thread-safe after construction.
 */
public final class Link implements AutoCloseable {

  public static final int SIDE_A = 1;
  public static final int SIDE_B = 2;
  /** The root's handle of a peer link it made for two process spaces: its table is read (IPC state), never used for IPC. */
  private static final int OBSERVER = 0;

  /** How long markSpaceDead lets this side's own partners finish copies in flight. */
  private static final long GRACE_NANOS = 20_000_000L;

  private final LinkFile file;
  private final MemorySegment segment;
  private final LinkDescriptor.Geometry geometry;
  private final Rendezvous table;
  private final int spaceA;
  private final int spaceB;
  private final int side;
  /** Whether this process created the file: only its creator reserves rows. */
  private final boolean creator;
  private final int kind;

  private Link(LinkFile file, LinkDescriptor.Geometry g, int side, boolean creator, long adaptiveSpinNanos) {
    this.side = side;
    this.creator = creator;
    this.kind = LinkDescriptor.getIntAcquire(file.segment(), LinkDescriptor.KIND_OFFSET);
    this.file = file;
    this.segment = file.segment();
    this.geometry = g;
    this.spaceA = LinkDescriptor.getIntAcquire(segment, LinkDescriptor.SPACE_A_OFFSET);
    this.spaceB = LinkDescriptor.getIntAcquire(segment, LinkDescriptor.SPACE_B_OFFSET);
    final MemorySegment tcbs = segment.asSlice(g.tcbOffset(), g.stride() * g.maxThreads());
    final MemorySegment rps = segment.asSlice(g.rpOffset(), ReceivePointDescriptor.SIZE * (g.maxThreads() + g.maxEndpoints()));
    final ChannelTable permitted = new ChannelTable(Arena.ofAuto(), Math.max(spaceA, spaceB) + 1);
    permitted.set(spaceA, spaceB, true);
    if (!Futex.AVAILABLE) {
      throw new UnsupportedOperationException("process spaces need Linux futex (x86-64)");
    }
    final Sleeper sleeper = new FutexSleeper(tcbs, g.stride(), g.maxThreads());
    // The root's view of a peer link never takes a lock: its lock value is neither side's.
    this.table = new Rendezvous(tcbs, rps, g.stride(), g.maxThreads(), g.maxEndpoints(), g.mrCount(),
        adaptiveSpinNanos, permitted, sleeper, side == OBSERVER ? SIDE_A | SIDE_B : side,
        Rows.backed(g.rows(), new RowBacking()));
    table.limitSpaces(LinkDescriptor.getIntAcquire(segment, LinkDescriptor.MAX_SPACES_OFFSET));
    if (side == SIDE_B || (side == SIDE_A && kind == LinkDescriptor.KIND_PEER)) { // A of a root link learns B's at attach
      table.peerPid(side == SIDE_B ? pidA() : pidB());
    }
    if (kind == LinkDescriptor.KIND_PEER) { // each side's own threads meet in its root link, never here
      table.acceptSendersOnlyFrom(side == SIDE_A ? spaceB : spaceA);
    } else if (side == SIDE_A) {
      table.acceptSendersOnlyFrom(spaceB);
    }
  }

  /**
   * Side A: creates the link file in {@code dir} for process space {@code spaceB} and its index
   * ranges, every page reserved.
   *
   * @throws IllegalStateException if {@code dir} cannot hold it (missing, read-only, full: a
   *     one-line message naming the directory and, when full, the bytes needed and free); nothing
   *     is left in {@code dir}
   */
  public static Link create(Path dir, int messageRegisters, int maxThreads, int maxEndpoints, long adaptiveSpinNanos,
      int spaceA, int spaceB, int bFirstIndex, int bIndexCount, int bFirstEndpoint, int bEndpointCount,
      int maxSpaces, long versionBase) {
    final LinkDescriptor.Geometry g = new LinkDescriptor.Geometry(messageRegisters, maxThreads, maxEndpoints);
    final LinkFile file = LinkFile.create(dir, g.totalSize(), g.tcbOffset());
    try {
      LinkDescriptor.writeHeader(file.segment(), g, spaceA, spaceB, bFirstIndex, bIndexCount, bFirstEndpoint, bEndpointCount,
          maxSpaces, versionBase);
      final Link c = new Link(file, g, SIDE_A, true, adaptiveSpinNanos);
      for (int i = bFirstIndex; i < bFirstIndex + bIndexCount; i++) {
        c.table.reserveThreadRow(i);
      }
      for (int j = bFirstEndpoint; j < bFirstEndpoint + bEndpointCount; j++) {
        c.table.reserveEndpointRow(j);
      }
      return c;
    } catch (RuntimeException | Error e) {
      closeAfterFailure(file, e);
      throw e;
    }
  }

  /** Side B: maps and validates the segment at {@code path}. */
  public static Link attach(Path path, long adaptiveSpinNanos) {
    final LinkFile file = LinkFile.open(path, LinkDescriptor.PAGE);
    try {
      final LinkDescriptor.Geometry g = LinkDescriptor.validate(file.segment(), file.segment().byteSize());
      if (LinkDescriptor.getIntAcquire(file.segment(), LinkDescriptor.KIND_OFFSET) != LinkDescriptor.KIND_ROOT) {
        throw new IllegalArgumentException("link " + path + " is not a root link");
      }
      checkOwnRowsReserved(file.segment(), g, LinkDescriptor.B_FIRST_INDEX_OFFSET, "this space");
      final Link c = new Link(file, g, SIDE_B, false, adaptiveSpinNanos);
      LinkDescriptor.setLongVolatile(c.segment, LinkDescriptor.PID_B_OFFSET, ProcessHandle.current().pid());
      LinkDescriptor.setIntVolatile(c.segment, LinkDescriptor.B_STATE_OFFSET, LinkDescriptor.B_ATTACHED);
      return c;
    } catch (RuntimeException | Error e) {
      closeAfterFailure(file, e);
      throw e;
    }
  }

  /**
   * Every row of the ranges at {@code rangesOffset} (FIRST_INDEX, INDEX_COUNT, FIRST_EP, EP_COUNT:
   * B's or A's) must be marked reserved, or their space could fault on them.
   */
  private static void checkOwnRowsReserved(MemorySegment s, LinkDescriptor.Geometry g, long rangesOffset, String whose) {
    final int first = LinkDescriptor.getIntAcquire(s, rangesOffset);
    final int count = LinkDescriptor.getIntAcquire(s, rangesOffset + 4);
    final int firstEp = LinkDescriptor.getIntAcquire(s, rangesOffset + 8);
    final int countEp = LinkDescriptor.getIntAcquire(s, rangesOffset + 12);
    for (int i = first; i < first + count; i++) {
      if (!LinkDescriptor.rowReserved(s, i)) {
        throw new IllegalArgumentException("link ROW_MAP does not mark thread row " + i + " of " + whose + " reserved");
      }
    }
    for (int j = firstEp; j < firstEp + countEp; j++) {
      if (!LinkDescriptor.rowReserved(s, g.maxThreads() + j)) {
        throw new IllegalArgumentException("link ROW_MAP does not mark endpoint row " + j + " of " + whose + " reserved");
      }
    }
  }

  /**
   * The root: creates a peer link between process spaces {@code spaceA} and {@code spaceB}
   * (running as {@code pidA} and {@code pidB}), with both spaces' rows reserved, and returns its
   * handle, whose table the root only reads (the IPC state of the two spaces' threads): it
   * announces the link and, later, deaths ({@link #markSideDead}), and never does IPC in it. {@code a} and {@code b}: {first index, count, first endpoint, count}.
   *
   * @throws IllegalStateException if {@code dir} cannot hold it; nothing is left in {@code dir}
   */
  public static Link createPeer(Path dir, int messageRegisters, int maxThreads, int maxEndpoints, int spaceA,
      int spaceB, int[] a, int[] b, long pidA, long pidB, int maxSpaces) {
    final LinkDescriptor.Geometry g = new LinkDescriptor.Geometry(messageRegisters, maxThreads, maxEndpoints);
    final LinkFile file = LinkFile.create(dir, g.totalSize(), g.tcbOffset());
    try {
      LinkDescriptor.writeHeader(file.segment(), g, LinkDescriptor.KIND_PEER, spaceA, spaceB, a, b, maxSpaces, 0,
          pidA, pidB);
      final Link c = new Link(file, g, OBSERVER, true, 0);
      for (int[] r : new int[][] {a, b}) {
        for (int i = r[0]; i < r[0] + r[1]; i++) {
          c.table.reserveThreadRow(i);
        }
        for (int j = r[2]; j < r[2] + r[3]; j++) {
          c.table.reserveEndpointRow(j);
        }
      }
      return c;
    } catch (RuntimeException | Error e) {
      closeAfterFailure(file, e);
      throw e;
    }
  }

  /**
   * A process space: maps peer link {@code path} as side {@code side} (from its root link's
   * PEER_LINKS) and checks that it joins {@code mySpace} with the ranges {@code myRanges} its
   * root link gave it; {@link #markAttached} then says it is there.
   *
   * @throws IllegalArgumentException if the file is not such a link
   * @throws IllegalStateException if it cannot be mapped
   */
  public static Link attachPeer(Path path, int side, int mySpace, int[] myRanges, long adaptiveSpinNanos) {
    final LinkFile file = LinkFile.open(path, LinkDescriptor.PAGE);
    try {
      final MemorySegment s = file.segment();
      final LinkDescriptor.Geometry g = LinkDescriptor.validate(s, s.byteSize());
      if (LinkDescriptor.getIntAcquire(s, LinkDescriptor.KIND_OFFSET) != LinkDescriptor.KIND_PEER) {
        throw new IllegalArgumentException("link " + path + " is not a peer link");
      }
      final long ranges = side == SIDE_A ? LinkDescriptor.A_FIRST_INDEX_OFFSET : LinkDescriptor.B_FIRST_INDEX_OFFSET;
      final int space = LinkDescriptor.getIntAcquire(s, side == SIDE_A ? LinkDescriptor.SPACE_A_OFFSET
          : LinkDescriptor.SPACE_B_OFFSET);
      for (int k = 0; k < 4; k++) {
        if (LinkDescriptor.getIntAcquire(s, ranges + 4L * k) != myRanges[k]) {
          throw new IllegalArgumentException("peer link " + path + " gives side " + side + " other slot ranges than its root link");
        }
      }
      if (space != mySpace) {
        throw new IllegalArgumentException("peer link " + path + " side " + side + " is space " + space + ", not " + mySpace);
      }
      checkOwnRowsReserved(s, g, LinkDescriptor.A_FIRST_INDEX_OFFSET, "side A");
      checkOwnRowsReserved(s, g, LinkDescriptor.B_FIRST_INDEX_OFFSET, "side B");
      return new Link(file, g, side, false, adaptiveSpinNanos);
    } catch (RuntimeException | Error e) {
      closeAfterFailure(file, e);
      throw e;
    }
  }

  /**
   * A process space, on a peer link: says it is there (A_STATE or B_STATE), once its threads and
   * endpoints have their ports in the link's table.
   */
  public void markAttached() {
    LinkDescriptor.setIntVolatile(segment, side == SIDE_A ? LinkDescriptor.A_STATE_OFFSET : LinkDescriptor.B_STATE_OFFSET,
        LinkDescriptor.B_ATTACHED);
  }

  /** The root, on a peer link: whether both sides have mapped it. */
  public boolean bothAttached() {
    return LinkDescriptor.getIntAcquire(segment, LinkDescriptor.A_STATE_OFFSET) == LinkDescriptor.B_ATTACHED
        && LinkDescriptor.getIntAcquire(segment, LinkDescriptor.B_STATE_OFFSET) == LinkDescriptor.B_ATTACHED;
  }

  /** The root, on a peer link: records that side {@code deadSide}'s process has died. */
  public void markSideDead(int deadSide) {
    LinkDescriptor.orIntVolatile(segment, LinkDescriptor.DEAD_SIDES_OFFSET, deadSide);
  }

  /** A process space, on a peer link: whether the root has recorded the other side's death. */
  public boolean otherSideDead() {
    return (LinkDescriptor.getIntAcquire(segment, LinkDescriptor.DEAD_SIDES_OFFSET) & otherSide()) != 0;
  }

  /** This side's peer in the link: the other side's number. */
  public int otherSide() {
    return side == SIDE_A ? SIDE_B : SIDE_A;
  }

  /** The space on the other side of this link. */
  public int otherSpace() {
    return side == SIDE_A ? spaceB : spaceA;
  }

  /** Reserves, zeroes, clears and marks row {@code row} (the creator only). */
  private void reserveRow(int row) {
    if (!creator) {
      throw new IllegalStateException("row " + row + " of " + this + " is not reserved by its creator");
    }
    final LinkDescriptor.Geometry g = geometry;
    final long rp = g.rpOffset() + row * ReceivePointDescriptor.SIZE;
    if (row < g.maxThreads()) {
      final long tcb = g.tcbOffset() + row * g.stride();
      file.reserve(tcb, g.stride(), "thread row " + row + " of " + this);
      segment.asSlice(tcb, g.stride()).fill((byte) 0);
    }
    file.reserve(rp, ReceivePointDescriptor.SIZE, "row " + row + " of " + this);
    ReceivePointDescriptor.clearPlain(segment, rp);
    LinkDescriptor.markRowReserved(segment, row);
  }

  /**
   * How this link's table gets its rows: side A reserves a row's pages in the file, zeroes the
   * row (a peer may have scribbled on pages it touched before they were reserved), clears its
   * receive point and marks it in ROW_MAP; side B reads ROW_MAP.
   */
  private final class RowBacking implements Rows.Backing {
    @Override
    public void reserve(int row) {
      reserveRow(row);
    }

    @Override
    public boolean reservedByCreator(int row) {
      return !creator && LinkDescriptor.rowReserved(segment, row);
    }
  }

  /** Closes (on side A also removes) the file of a link that failed to set up; what that throws is added to {@code failure}. */
  private static void closeAfterFailure(LinkFile file, Throwable failure) {
    try {
      file.close();
    } catch (RuntimeException | Error e) {
      failure.addSuppressed(e);
    }
  }

  public Rendezvous table() {
    return table;
  }

  /** The whole mapped segment (tests play a hostile peer with it). */
  public MemorySegment segment() {
    return segment;
  }

  public LinkDescriptor.Geometry geometry() {
    return geometry;
  }

  public Path path() {
    return file.path();
  }

  public int spaceA() {
    return spaceA;
  }

  public int spaceB() {
    return spaceB;
  }

  public int header(long offset) {
    return LinkDescriptor.getIntAcquire(segment, offset);
  }

  /** The pid of side A, the root, as it wrote it when it created the link. */
  public long pidA() {
    return LinkDescriptor.getLongAcquire(segment, LinkDescriptor.PID_A_OFFSET);
  }

  /** The pid side B wrote when it attached (0 before). */
  public long pidB() {
    return LinkDescriptor.getLongAcquire(segment, LinkDescriptor.PID_B_OFFSET);
  }

  public int bState() {
    return LinkDescriptor.getIntAcquire(segment, LinkDescriptor.B_STATE_OFFSET);
  }

  public void bState(int state) {
    LinkDescriptor.setIntVolatile(segment, LinkDescriptor.B_STATE_OFFSET, state);
  }

  /** Side B: offers {@code id} as its bootstrap service and marks itself running. */
  public void publish(long id) {
    LinkDescriptor.setLongVolatile(segment, LinkDescriptor.PUBLISHED_OFFSET, id);
    bState(LinkDescriptor.B_RUNNING);
  }

  /** The id side B published, validated to be one of B's (0 until published). */
  public long published() {
    final long id = LinkDescriptor.getLongAcquire(segment, LinkDescriptor.PUBLISHED_OFFSET);
    return ThreadId.isWellFormed(id) && ThreadId.space(id) == spaceB ? id : 0;
  }

  /** The base of side B's version window (validated at attach: a full window fits below MAX_VERSION). */
  public long versionBase() {
    return LinkDescriptor.getLongAcquire(segment, LinkDescriptor.VERSION_BASE_OFFSET);
  }

  /**
   * Side A: offers {@code id} to the process under {@code name} (A_NAMES). Names are never
   * withdrawn; the process reads them with {@link #offered}.
   *
   * @throws IllegalArgumentException for a malformed name
   * @throws IllegalStateException if the name is taken or the directory full
   */
  public synchronized void offer(String name, long id) {
    LinkDescriptor.addName(segment, LinkDescriptor.A_NAMES, name, id);
  }

  /** Side B: the id A offered under {@code name}, if it is well-formed (of A's space, or of a space B has a peer link to); else NIL. */
  public long offered(String name) {
    final long id = LinkDescriptor.findName(segment, LinkDescriptor.A_NAMES, name);
    return ThreadId.isWellFormed(id) ? id : ThreadId.NIL; // A's, or a peer link's other space's
  }

  /** Side B: publishes {@code id} under {@code name} (B_NAMES); errors as for {@link #offer}. */
  public synchronized void publish(String name, long id) {
    LinkDescriptor.addName(segment, LinkDescriptor.B_NAMES, name, id);
  }

  /** Side A: the id B published under {@code name}, if it is a well-formed id of B's space; else NIL. */
  public long published(String name) {
    return validated(LinkDescriptor.findName(segment, LinkDescriptor.B_NAMES, name), spaceB);
  }

  private static long validated(long id, int space) {
    return ThreadId.isWellFormed(id) && ThreadId.space(id) == space ? id : ThreadId.NIL;
  }

  /**
   * Side A of a root link: offers B a peer link (its root link's PEER_LINKS), then wakes B's
   * link watcher.
   *
   * @throws IllegalStateException if B has as many peer links as it can be offered
   */
  public synchronized void offerPeerLink(LinkDescriptor.PeerLinkEntry entry) {
    LinkDescriptor.addPeerLink(segment, entry);
    bumpEvents();
  }

  /** Side A of a root link: tells B's link watcher to look again (a peer of B's has died). */
  public void bumpEvents() {
    LinkDescriptor.addIntVolatile(segment, LinkDescriptor.EVENTS_OFFSET, 1);
    Futex.wake(segment.address() + LinkDescriptor.EVENTS_OFFSET, Integer.MAX_VALUE);
  }

  /** Side B of a root link: the EVENTS word (see {@link #awaitEvents}). */
  public int events() {
    return LinkDescriptor.getIntAcquire(segment, LinkDescriptor.EVENTS_OFFSET);
  }

  /** Side B of a root link: sleeps while EVENTS is {@code seen}, at most {@code timeoutNanos}. */
  public void awaitEvents(int seen, long timeoutNanos, MemorySegment timespec) {
    Futex.await(segment.address() + LinkDescriptor.EVENTS_OFFSET, seen, timeoutNanos, timespec);
  }

  /** Side B of a root link: how many peer links A has offered. */
  public int peerLinkCount() {
    return LinkDescriptor.peerLinkCount(segment);
  }

  /** Side B of a root link: peer link {@code k}, validated (see LinkDescriptor.peerLink). */
  public LinkDescriptor.PeerLinkEntry peerLink(int k) {
    return LinkDescriptor.peerLink(segment, k);
  }

  /** Removes the file name; the mappings stay. */
  public void unlink() {
    file.unlink();
  }

  /**
   * The peer's process has gone: fail everything that depends on space {@code space} in this
   * table. Its ports and endpoints become stale (blocked partners see PEER_DEAD at their next
   * check), locks it held are broken, and copies it left half done into or out of this side's
   * ports complete with PEER_DEAD. Then every sleeper is woken.
   */
  public void markSpaceDead(int space, int deadSide) {
    final Rendezvous t = table;
    t.breakLocks(deadSide);
    for (int i = 0; i < geometry.maxThreads(); i++) {
      final long id = t.portId(i);
      if (ThreadId.isWellFormed(id) && ThreadId.space(id) == space && !ThreadId.isEndpoint(id)) {
        t.killPortNow(i);
      }
    }
    for (int j = 0; j < geometry.maxEndpoints(); j++) {
      final long id = t.endpointOwner(j);
      if (ThreadId.isWellFormed(id) && ThreadId.space(id) == space) {
        t.closeEndpoint(j);
      }
    }
    final long deadline = System.nanoTime() + GRACE_NANOS;
    while (t.rescueStrandedCopies(space, System.nanoTime() > deadline) && System.nanoTime() <= deadline) {
      Thread.onSpinWait();
    }
    t.rescueStrandedCopies(space, true);
    t.wakeAllSleepers();
  }

  /**
   * On side A, deletes the file if still there. The mapping is released once nothing reaches this
   * link (a root thread may still be inside its table until its next IPC). Idempotent.
   */
  @Override
  public void close() {
    file.close();
  }

  @Override
  public String toString() {
    return "link " + spaceA + "<->" + spaceB + " (" + file.path().getFileName() + ")";
  }
}
