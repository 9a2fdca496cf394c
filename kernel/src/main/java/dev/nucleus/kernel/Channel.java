package dev.nucleus.kernel;

/**
 * The capability for two spaces to exchange IPC (and notifications). Without a channel between
 * their spaces, an IPC between two threads fails with NOT_PERMITTED; threads of one space need
 * none, and neither do replies (the call was permitted). A channel works both ways. Created by
 * the holder of the {@link Kernel} (the root task) with {@link Kernel#createChannel}, revoked by
 * {@link #close()} or by the end of either space. A process space needs none to its peer: its
 * link connects the two.
 *
 * <p>Thread-safe. The permission is checked without a lock on the IPC path: a send that starts
 * after {@link #close()} has returned fails with NOT_PERMITTED.
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

  /**
   * One end, as given to {@link Kernel#createChannel}.
   *
   * @return the space given first
   */
  public Space first() {
    return a;
  }

  /**
   * The other end, as given to {@link Kernel#createChannel}.
   *
   * @return the space given second
   */
  public Space second() {
    return b;
  }

  /**
   * Whether the channel still grants IPC. Never blocks.
   *
   * @return false once {@link #close()} has been called, also by the end of either space
   */
  public boolean isOpen() {
    return open;
  }

  /**
   * Revokes the channel: later IPC between the two spaces fails with NOT_PERMITTED, and so does
   * IPC already queued through it (the blocked sender or caller is woken and gets NOT_PERMITTED,
   * send phase). A call already delivered still gets its reply; a receive already waiting is not
   * ended, it just gets nothing more from the other space. Does not block on IPC: takes the
   * kernel's management lock briefly and wakes the sleeping threads. Idempotent; callable from
   * any thread.
   */
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
