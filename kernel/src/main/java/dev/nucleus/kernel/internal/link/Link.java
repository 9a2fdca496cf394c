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

  /** How long markSpaceDead lets this side's own partners finish copies in flight. */
  private static final long GRACE_NANOS = 20_000_000L;

  private final LinkFile file;
  private final MemorySegment segment;
  private final LinkDescriptor.Geometry geometry;
  private final Rendezvous table;
  private final int spaceA;
  private final int spaceB;
  private final int side;

  private Link(LinkFile file, LinkDescriptor.Geometry g, int side, long adaptiveSpinNanos) {
    this.side = side;
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
    this.table = new Rendezvous(tcbs, rps, g.stride(), g.maxThreads(), g.maxEndpoints(), g.mrCount(),
        adaptiveSpinNanos, permitted, sleeper, side, Rows.backed(g.rows(), new RowBacking()));
    table.limitSpaces(LinkDescriptor.getIntAcquire(segment, LinkDescriptor.MAX_SPACES_OFFSET));
    if (side == SIDE_A) {
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
      final Link c = new Link(file, g, SIDE_A, adaptiveSpinNanos);
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
      checkOwnRowsReserved(file.segment(), g);
      final Link c = new Link(file, g, SIDE_B, adaptiveSpinNanos);
      LinkDescriptor.setLongVolatile(c.segment, LinkDescriptor.PID_B_OFFSET, ProcessHandle.current().pid());
      LinkDescriptor.setIntVolatile(c.segment, LinkDescriptor.B_STATE_OFFSET, LinkDescriptor.B_ATTACHED);
      return c;
    } catch (RuntimeException | Error e) {
      closeAfterFailure(file, e);
      throw e;
    }
  }

  /** Side B: every row of B's thread and endpoint ranges must be marked reserved, or B could fault on them. */
  private static void checkOwnRowsReserved(MemorySegment s, LinkDescriptor.Geometry g) {
    final int first = LinkDescriptor.getIntAcquire(s, LinkDescriptor.B_FIRST_INDEX_OFFSET);
    final int count = LinkDescriptor.getIntAcquire(s, LinkDescriptor.B_INDEX_COUNT_OFFSET);
    final int firstEp = LinkDescriptor.getIntAcquire(s, LinkDescriptor.B_FIRST_EP_OFFSET);
    final int countEp = LinkDescriptor.getIntAcquire(s, LinkDescriptor.B_EP_COUNT_OFFSET);
    for (int i = first; i < first + count; i++) {
      if (!LinkDescriptor.rowReserved(s, i)) {
        throw new IllegalArgumentException("link ROW_MAP does not mark thread row " + i + " of this space reserved");
      }
    }
    for (int j = firstEp; j < firstEp + countEp; j++) {
      if (!LinkDescriptor.rowReserved(s, g.maxThreads() + j)) {
        throw new IllegalArgumentException("link ROW_MAP does not mark endpoint row " + j + " of this space reserved");
      }
    }
  }

  /**
   * How this link's table gets its rows: side A reserves a row's pages in the file, zeroes the
   * row (a peer may have scribbled on pages it touched before they were reserved), clears its
   * receive point and marks it in ROW_MAP; side B reads ROW_MAP.
   */
  private final class RowBacking implements Rows.Backing {
    @Override
    public void reserve(int row) {
      if (side != SIDE_A) {
        throw new IllegalStateException("row " + row + " of " + Link.this + " is not reserved by its creator");
      }
      final LinkDescriptor.Geometry g = geometry;
      final long rp = g.rpOffset() + row * ReceivePointDescriptor.SIZE;
      if (row < g.maxThreads()) {
        final long tcb = g.tcbOffset() + row * g.stride();
        file.reserve(tcb, g.stride(), "thread row " + row + " of " + Link.this);
        segment.asSlice(tcb, g.stride()).fill((byte) 0);
      }
      file.reserve(rp, ReceivePointDescriptor.SIZE, "row " + row + " of " + Link.this);
      ReceivePointDescriptor.clearPlain(segment, rp);
      LinkDescriptor.markRowReserved(segment, row);
    }

    @Override
    public boolean reservedByCreator(int row) {
      return side == SIDE_B && LinkDescriptor.rowReserved(segment, row);
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

  /** Side B: the id A offered under {@code name}, if it is a well-formed id of A's space; else NIL. */
  public long offered(String name) {
    return validated(LinkDescriptor.findName(segment, LinkDescriptor.A_NAMES, name), spaceA);
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
