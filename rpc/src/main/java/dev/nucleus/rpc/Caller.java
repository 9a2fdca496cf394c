package dev.nucleus.rpc;

import dev.nucleus.kernel.ThreadId;

/**
 * Who made a call, as the transport stamped it (never a value the client chose): the space, the
 * thread, and the OS process. A snapshot: {@link ServerCall#caller()} makes one per request; the
 * allocation-free accessors are on {@link ServerCall}.
 *
 * @param space the caller's space number
 * @param threadId the caller's thread id in the {@link ThreadId} encoding, or
 *     {@link ThreadId#NIL} when the caller is not an IPC thread (a local call from a plain thread)
 * @param pid the caller's OS process id, or 0 when it is this process
 */
public record Caller(int space, long threadId, long pid) {

  /**
   * Whether the caller runs in this process.
   *
   * @return true if {@link #pid()} is 0
   */
  public boolean sameProcess() {
    return pid == 0;
  }

  /**
   * Human-readable form, e.g. {@code space 3, thread T3.17v2, pid 4711}.
   *
   * @return the three fields
   */
  @Override
  public String toString() {
    return "space " + space + ", thread " + ThreadId.toString(threadId) + ", pid " + pid;
  }
}
