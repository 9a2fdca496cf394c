package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.EndpointPort;

/**
 * A receive point that several server threads of one space wait on (seL4's endpoint; beyond L4
 * X.2), so that a server can run a thread pool. A send or call to {@link #id()} is taken by one
 * waiting thread; a call's reply goes back to the caller from whichever thread took it. Blocked
 * senders queue FIFO. At most 64 threads may wait on one endpoint.
 *
 * <p>Created with {@link Space#createEndpoint}; it lives until {@link #close()} or the end of its
 * space, after which its id is stale and blocked callers get PEER_DEAD. Thread-safe.
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

  /** The id senders and callers address. */
  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Space space() {
    return space;
  }

  public boolean isOpen() {
    return port.isOpen();
  }

  /** Destroys the endpoint: its id becomes stale, queued senders get PEER_DEAD. Idempotent. */
  @Override
  public void close() {
    registry.destroyEndpoint(this);
  }

  @Override
  public String toString() {
    return name + "[" + ThreadId.toString(id) + "]";
  }
}
