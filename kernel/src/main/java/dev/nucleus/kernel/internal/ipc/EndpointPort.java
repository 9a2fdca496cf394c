package dev.nucleus.kernel.internal.ipc;

/**
 * The engine side of an endpoint: its slot, its receive point in every table of its space, and
 * whether it is still open. The public {@code Endpoint} handle holds one.
 *
 * <p>Written once at creation, except {@link #open}, which the kernel clears (volatile) when the
 * endpoint closes; a thread that waits there learns of it through the receive point's OWNER word
 * in shared memory, this flag only spares it the join of a closed endpoint.
 */
public final class EndpointPort {

  /** The index of this endpoint in the endpoint table. */
  public final int slot;
  /** Its receive point: the endpoint range starts after the threads' (see ReceivePointDescriptor). */
  public final int rp;
  /** Its id (ThreadId with the endpoint flag). */
  public final long id;
  /** The tables of the space that owns it. */
  final SpaceTables space;
  private volatile boolean open = true;

  public EndpointPort(SpaceTables space, int slot, int rp, long id) {
    this.space = space;
    this.slot = slot;
    this.rp = rp;
    this.id = id;
  }

  /** Whether the endpoint is still open. */
  public boolean isOpen() {
    return open;
  }

  /**
   * Whether a sender is queued at the endpoint's receive point in any table of its space (home,
   * and each link's): a hint read without a lock, allocation-free.
   */
  public boolean hasQueuedSenders() {
    for (Rendezvous table : space.tables()) {
      if (table.queuedAt(rp) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Marks it closed; the kernel then closes its receive point in every table. */
  public void markClosed() {
    open = false;
  }
}
