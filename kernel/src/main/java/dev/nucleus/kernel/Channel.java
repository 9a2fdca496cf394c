package dev.nucleus.kernel;

/**
 * The capability for two spaces to exchange IPC (and notifications). Without a channel between
 * their spaces, an IPC between two threads fails with NOT_PERMITTED; threads of one space need
 * none. Created by the holder of the {@link Kernel} (the root task), revoked by {@link #close()}.
 * Thread-safe.
 */
public final class Channel implements AutoCloseable {

  private final Kernel kernel;
  private final Space a;
  private final Space b;
  private volatile boolean open = true;

  Channel(Kernel kernel, Space a, Space b) {
    this.kernel = kernel;
    this.a = a;
    this.b = b;
  }

  public Space first() {
    return a;
  }

  public Space second() {
    return b;
  }

  public boolean isOpen() {
    return open;
  }

  /** Revokes the channel: later IPC between the two spaces fails with NOT_PERMITTED. Idempotent. */
  @Override
  public void close() {
    if (open) {
      open = false;
      kernel.closeChannel(this);
    }
  }

  @Override
  public String toString() {
    return "channel " + a.name() + " <-> " + b.name();
  }
}
