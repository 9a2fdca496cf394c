package dev.nucleus.kernel;

import static dev.nucleus.kernel.TcbDescriptor.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * One channel between two processes: the mapped {@link ChannelFile}, its header
 * ({@link ChannelDescriptor}) and the IPC table (a {@link Rendezvous}) over the rest. Side A
 * (the root kernel) creates it; side B (the process space) attaches to it.
 *
 * <pre>
 * Implementation overview
 *   A: create file (0600, random name) -> write header -> clear every receive point -> spawn B
 *   B: map -> validate header against the file size -> B_STATE = ATTACHED -> boot its component
 *      -> PUBLISHED = bootstrap id -> B_STATE = RUNNING
 *   A: on ATTACHED (or B's exit) unlink the file name: from then on nothing is left in /dev/shm
 *      whatever happens to either process
 *   death of one side (seen by the other through process exit): markSpaceDead
 * </pre>
 *
 * Each side's spin locks hold its side number ({@link #SIDE_A} or {@link #SIDE_B}), so that the
 * survivor can break the locks a dead peer held. Thread-safe after construction.
 */
final class ChannelSegment implements AutoCloseable {

  static final int SIDE_A = 1;
  static final int SIDE_B = 2;

  /** How long markSpaceDead lets this side's own partners finish copies in flight. */
  private static final long GRACE_NANOS = 20_000_000L;

  private final ChannelFile file;
  private final MemorySegment segment;
  private final ChannelDescriptor.Geometry geometry;
  private final Rendezvous table;
  private final int spaceA;
  private final int spaceB;

  private ChannelSegment(ChannelFile file, ChannelDescriptor.Geometry g, int side, long adaptiveSpinNanos) {
    this.file = file;
    this.segment = file.segment();
    this.geometry = g;
    this.spaceA = ChannelDescriptor.getInt(segment, ChannelDescriptor.SPACE_A_OFFSET);
    this.spaceB = ChannelDescriptor.getInt(segment, ChannelDescriptor.SPACE_B_OFFSET);
    final MemorySegment tcbs = segment.asSlice(g.tcbOffset(), g.stride() * g.maxThreads());
    final MemorySegment rps = segment.asSlice(g.rpOffset(), ReceivePointDescriptor.SIZE * (g.maxThreads() + g.maxEndpoints()));
    final ChannelTable permitted = new ChannelTable(Arena.ofAuto(), Math.max(spaceA, spaceB) + 1);
    permitted.set(spaceA, spaceB, true);
    if (!Futex.AVAILABLE) {
      throw new UnsupportedOperationException("process spaces need Linux futex (x86-64)");
    }
    final Sleeper sleeper = new FutexSleeper(tcbs, g.stride(), g.maxThreads());
    this.table = new Rendezvous(tcbs, rps, g.stride(), g.maxThreads(), g.maxEndpoints(), g.mrCount(),
        adaptiveSpinNanos, permitted, sleeper, side);
    if (side == SIDE_A) {
      table.senderSpace = spaceB; // see Rendezvous.senderSpace
    }
  }

  /** Side A: creates the segment for process space {@code spaceB} and its index ranges. */
  static ChannelSegment create(Path dir, Kernel.Config config, int spaceA, int spaceB,
      int bFirstIndex, int bIndexCount, int bFirstEndpoint, int bEndpointCount) {
    final ChannelDescriptor.Geometry g =
        new ChannelDescriptor.Geometry(config.messageRegisters(), config.maxThreads(), config.maxEndpoints());
    final ChannelFile file = ChannelFile.create(dir, g.totalSize());
    try {
      ChannelDescriptor.writeHeader(file.segment(), g, spaceA, spaceB, bFirstIndex, bIndexCount, bFirstEndpoint, bEndpointCount);
      final ChannelSegment c = new ChannelSegment(file, g, SIDE_A, config.adaptiveSpin().toNanos());
      c.table.clearAll();
      return c;
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** Side B: maps and validates the segment at {@code path}. */
  static ChannelSegment attach(Path path, long adaptiveSpinNanos) {
    final ChannelFile file = ChannelFile.open(path, ChannelDescriptor.PAGE);
    try {
      final ChannelDescriptor.Geometry g = ChannelDescriptor.validate(file.segment(), file.segment().byteSize());
      final ChannelSegment c = new ChannelSegment(file, g, SIDE_B, adaptiveSpinNanos);
      ChannelDescriptor.setLongVolatile(c.segment, ChannelDescriptor.PID_B_OFFSET, ProcessHandle.current().pid());
      ChannelDescriptor.setIntVolatile(c.segment, ChannelDescriptor.B_STATE_OFFSET, ChannelDescriptor.B_ATTACHED);
      return c;
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  Rendezvous table() {
    return table;
  }

  /** The whole mapped segment (tests play a hostile peer with it). */
  MemorySegment segment() {
    return segment;
  }

  ChannelDescriptor.Geometry geometry() {
    return geometry;
  }

  Path path() {
    return file.path();
  }

  int spaceA() {
    return spaceA;
  }

  int spaceB() {
    return spaceB;
  }

  int header(long offset) {
    return ChannelDescriptor.getInt(segment, offset);
  }

  /** The pid side B wrote when it attached (0 before). */
  long pidB() {
    return ChannelDescriptor.getLong(segment, ChannelDescriptor.PID_B_OFFSET);
  }

  int bState() {
    return ChannelDescriptor.getInt(segment, ChannelDescriptor.B_STATE_OFFSET);
  }

  void bState(int state) {
    ChannelDescriptor.setIntVolatile(segment, ChannelDescriptor.B_STATE_OFFSET, state);
  }

  /** Side B: offers {@code id} as its bootstrap service and marks itself running. */
  void publish(long id) {
    ChannelDescriptor.setLongVolatile(segment, ChannelDescriptor.PUBLISHED_OFFSET, id);
    bState(ChannelDescriptor.B_RUNNING);
  }

  /** The id side B published, validated to be one of B's (0 until published). */
  long published() {
    final long id = ChannelDescriptor.getLong(segment, ChannelDescriptor.PUBLISHED_OFFSET);
    return ThreadId.isWellFormed(id) && ThreadId.space(id) == spaceB ? id : 0;
  }

  /** Removes the file name; the mappings stay. */
  void unlink() {
    file.unlink();
  }

  /**
   * The peer's process has gone: fail everything that depends on space {@code space} in this
   * table. Its ports and endpoints become stale (blocked partners see PEER_DEAD at their next
   * check), locks it held are broken, and copies it left half done into or out of this side's
   * ports complete with PEER_DEAD. Then every sleeper is woken.
   */
  void markSpaceDead(int space, int deadSide) {
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

  /** Unmaps the segment (and, on side A, deletes the file if still there). Idempotent. */
  @Override
  public void close() {
    file.close();
  }

  @Override
  public String toString() {
    return "channel " + spaceA + "<->" + spaceB + " (" + file.path().getFileName() + ")";
  }
}
