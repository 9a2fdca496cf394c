package dev.nucleus.kernel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An interrupt source bound to a handler thread: each firing arrives at the handler as an IPC
 * from this interrupt's pseudo-thread ({@link #id()}), labelled
 * {@link MessageTag#INTERRUPT_LABEL}, with MR1 = the number of firings it stands for. The
 * handler acknowledges by replying. Until it does, the interrupt is not delivered again: any
 * number of firings in between become exactly one more delivery after the acknowledgement, as
 * with a masked level-triggered line (L4 X.2).
 *
 * <pre>
 * Implementation overview: a pseudo-thread in the kernel space loops
 *   wait until pending > 0; n = pending.getAndSet(0); call(handler, tag(INTERRUPT_LABEL, 1), MR1 = n)
 * The call blocks until the reply: that is the acknowledgement. The kernel space may reach every
 * space, so no channel is needed. The loop ends when the handler dies (PEER_DEAD or STALE_ID) or
 * the interrupt is closed.
 * </pre>
 *
 * <p>Made by {@link Kernel#attachInterrupt}. Ends when it is closed, when the handler's thread
 * ends (PEER_DEAD or STALE_ID: see {@link #endStatus()}), or when the kernel closes. A send, call
 * or notify to {@link #id()} is NOT_PERMITTED: the pseudo-thread never receives.
 *
 * <p>Thread-safe: every method may be called from any thread.
 *
 * <p>Memory consistency effects: actions of the source before it fires happen-before the
 * handler's return from the receive of the delivery that counts that firing.
 */
public final class Interrupt implements AutoCloseable {

  private final InterruptSource source;
  private final long handler;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong occurrences = new AtomicLong();
  private final AtomicLong deliveries = new AtomicLong();
  private final IpcThread pseudo;
  private volatile boolean closed;
  private volatile int endStatus = Status.OK;
  private volatile Thread thread;

  Interrupt(Space kernelSpace, String name, InterruptSource source, long handler) {
    this.source = source;
    this.handler = handler;
    this.pseudo = kernelSpace.spawn("irq:" + name, WaitStrategy.BLOCK, this::deliverLoop);
    source.start(this::fire);
  }

  /**
   * The pseudo-thread id deliveries come from: the {@link IpcThread#sender()} the handler sees.
   * Its space is {@link Kernel#KERNEL_SPACE}, which reaches every space without a channel.
   *
   * @return the pseudo-thread's id; stale once the interrupt is closed
   */
  public long id() {
    return pseudo.id();
  }

  /**
   * The handler thread, as given to {@link Kernel#attachInterrupt}.
   *
   * @return the handler's thread id
   */
  public long handler() {
    return handler;
  }

  /**
   * How often the source fired.
   *
   * @return the number of firings since the interrupt was attached
   */
  public long occurrences() {
    return occurrences.get();
  }

  /**
   * How many deliveries the handler acknowledged (replied to). Each stands for one or more
   * firings, so this is at most {@link #occurrences()}.
   *
   * @return the number of acknowledged deliveries
   */
  public long deliveries() {
    return deliveries.get();
  }

  /**
   * Whether deliveries continue (not closed, handler alive). A handler's death is seen only when
   * a delivery to it fails.
   *
   * @return false once closed or once a delivery failed
   */
  public boolean isAttached() {
    return !closed && endStatus == Status.OK;
  }

  /**
   * Why deliveries stopped.
   *
   * @return {@link Status#OK} while attached or after {@link #close()}; else the status of the
   *     delivery call that failed, e.g. PEER_DEAD (receive phase) or STALE_ID (send phase) when
   *     the handler ended
   */
  public int endStatus() {
    return endStatus;
  }

  /**
   * The source, as given to {@link Kernel#attachInterrupt}.
   *
   * @return the source
   */
  public InterruptSource source() {
    return source;
  }

  private void fire() {
    occurrences.incrementAndGet();
    pending.incrementAndGet();
    final Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void deliverLoop(IpcThread self) {
    thread = Thread.currentThread();
    while (!closed) {
      final long n = pending.getAndSet(0);
      if (n == 0) {
        LockSupport.park(this);
        continue;
      }
      self.setTag(MessageTag.of(MessageTag.INTERRUPT_LABEL, 1));
      self.setMr(1, n);
      final int status = self.call(handler, Timeout.NEVER, Timeout.NEVER);
      if (status != Status.OK) {
        if (!closed) {
          endStatus = status;
        }
        return;
      }
      deliveries.incrementAndGet();
    }
  }

  /**
   * Stops the source and the deliveries, and ends the pseudo-thread: its id becomes stale. An
   * unacknowledged delivery is given up (the handler's reply to it fails with STALE_ID); a
   * handler blocked in a receive from {@link #id()} gets PEER_DEAD. Blocks until the
   * pseudo-thread's Java thread has finished (at most about 5 s). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    source.close();
    // Ending the pseudo-thread (rather than aborting its call) cannot be missed: an abort that
    // lands between the loop's check and the call's start would be.
    pseudo.close();
    final Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "interrupt " + pseudo.name() + " (" + source.describe() + ") -> " + ThreadId.toString(handler);
  }
}
