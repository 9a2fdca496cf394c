package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.EndpointPort;

/**
 * A receive point that several server threads of one space wait on (seL4's endpoint; beyond L4
 * X.2), so that a server can run a thread pool. A send or call to {@link #id()} is taken by one
 * waiting thread ({@link IpcThread#waitAt}, {@link IpcThread#replyWait(Endpoint, long)}); a
 * call's reply goes back to the caller from whichever thread took it. Blocked senders queue FIFO.
 * Only threads of the endpoint's own space may wait on it; senders of other spaces need a
 * channel, as to a thread. At most 64 threads may be members: a thread becomes one at its first
 * wait there and stays one until it ends; a 65th gets NOT_PERMITTED.
 *
 * <p>Created with {@link Space#createEndpoint}; it lives until {@link #close()} or the end of its
 * space. Then its id is stale: a later send, call or wait gets STALE_ID; senders and callers
 * queued at it get PEER_DEAD (send phase) and threads waiting on it PEER_DEAD (receive phase).
 *
 * <p>Thread-safe: the handle may be shared by any threads.
 */
public final class Endpoint implements AutoCloseable {

  private final ThreadRegistry registry;
  private final Space space;
  /** The engine side: slot, receive point, open flag. */
  final EndpointPort port;
  private final long id;
  private final String name;

  Endpoint(ThreadRegistry registry, Space space, EndpointPort port, String name) {
    this.registry = registry;
    this.space = space;
    this.port = port;
    this.id = port.id;
    this.name = name;
  }

  /**
   * The id senders and callers address. Never changes.
   *
   * @return the endpoint's id ({@link ThreadId#isEndpoint} is true)
   */
  public long id() {
    return id;
  }

  /**
   * The name given at creation, for tools and messages.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The space that owns the endpoint: only its threads may wait on it.
   *
   * @return the owning space
   */
  public Space space() {
    return space;
  }

  /**
   * Whether the endpoint still takes messages. Never blocks.
   *
   * @return false once it was closed or its space ended
   */
  public boolean isOpen() {
    return port.isOpen();
  }

  /**
   * Whether senders or callers are queued at the endpoint now, waiting for a member to take them:
   * for a member that could serve them but is busy with something else of its own choosing (an
   * RPC pool thread polling a client's call lane, say) and should come back. A hint, read without
   * a lock from the queues' lengths, as the IPC fast paths read them: it may change as soon as it
   * is read, and the copy in a process's link is memory that process can write, so a hostile
   * process can make it say true. Never blocks, takes no lock, allocates nothing; thread-safe.
   *
   * @return true if a queue of the endpoint was not empty when read
   */
  public boolean hasQueuedCallers() {
    return port.hasQueuedSenders();
  }

  /**
   * Destroys the endpoint: its id becomes stale (later IPC to it: STALE_ID), queued senders and
   * callers get PEER_DEAD (send phase), waiting threads PEER_DEAD (receive phase; STALE_ID for a
   * thread of a space with process-space peers, whose wait spans several tables). A call already
   * taken by a member is unaffected: its reply still reaches the caller. Does not block on IPC:
   * takes the kernel's management lock briefly and wakes the sleeping threads. Idempotent;
   * callable from any thread.
   */
  @Override
  public void close() {
    registry.destroyEndpoint(this);
  }

  @Override
  public String toString() {
    return name + "[" + ThreadId.toString(id) + "]";
  }
}
