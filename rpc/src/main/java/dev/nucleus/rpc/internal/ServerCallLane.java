package dev.nucleus.rpc.internal;

import dev.nucleus.kernel.ThreadId;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The server's side of one client thread's call lane ({@link CallLaneDescriptor}): its mapping of
 * the client's region, where it sits in the export's table, and the caller's identity as the
 * kernel stamped it on the LANE_OPEN call (every call on the lane is that thread's).
 *
 * <p>Made by the pool thread that answered LANE_OPEN and published through the export's table
 * ({@link CallLanes}); any pool thread may then take it, one at a time (the CAS on POSTED decides
 * which). Unmapped once, by the thread that took it out of the table.
 */
public final class ServerCallLane {

  /** The mapping: shared, as one thread maps it and another may unmap it. */
  final Arena arena;
  final MemorySegment memory;
  /** Its place in the export's table, which the client names in its kernel calls. */
  final int index;
  final long ownerThread;
  final int ownerSpace;
  final long ownerPid;

  ServerCallLane(Arena arena, MemorySegment memory, int index, long ownerThread, long ownerPid) {
    this.arena = arena;
    this.memory = memory;
    this.index = index;
    this.ownerThread = ownerThread;
    this.ownerSpace = ThreadId.space(ownerThread);
    this.ownerPid = ownerPid;
  }

  @Override
  public String toString() {
    return "call lane " + index + " of thread " + ThreadId.toString(ownerThread) + " (pid " + ownerPid + ")";
  }
}
