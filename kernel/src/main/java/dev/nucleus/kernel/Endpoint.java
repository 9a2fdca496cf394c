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
