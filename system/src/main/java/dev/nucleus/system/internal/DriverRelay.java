package dev.nucleus.system.internal;

import dev.nucleus.kernel.Interrupt;
import dev.nucleus.kernel.InterruptSource;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The root's side of a component's drivers, in the component's gate space, which outlives its
 * instances: the kernel interrupts of all the component's drivers are bound to this relay's
 * handler thread, which forwards each delivery to the current instance's {@link DriverInbox} and
 * then acknowledges the interrupt. While the component is down, deliveries are dropped (and
 * acknowledged): a driver's events are for a running component.
 */
final class DriverRelay implements AutoCloseable {

  private static final Duration HAND_OVER = Duration.ofSeconds(1);

  private final List<Interrupt> interrupts = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile long handler = ThreadId.NIL;
  /** The current instance's inbox, or NIL while the component is down. */
  private volatile long inbox = ThreadId.NIL;
  private volatile boolean closed;

  /**
   * Starts the relay in {@code gate} and binds each source to it, in order (the index is the
   * driver's).
   */
  DriverRelay(Kernel kernel, Space gate, String component, List<String> names, List<InterruptSource> sources)
      throws InterruptedException {
    thread = Thread.ofPlatform().daemon().name("drivers-" + component).start(() -> serve(gate, component));
    started.await();
    if (handler == ThreadId.NIL) {
      throw new IllegalStateException("the driver relay of " + component + " did not start");
    }
    for (int i = 0; i < sources.size(); i++) {
      interrupts.add(kernel.attachInterrupt(component + "." + names.get(i), sources.get(i), handler));
    }
  }

  /** Where deliveries go from now on: an inbox's id, or NIL. */
  void target(long inboxId) {
    inbox = inboxId;
  }

  private void serve(Space gate, String component) {
    final IpcThread front;
    final IpcThread back;
    try {
      front = gate.attach("drivers-" + component + "-in");
      back = gate.attach("drivers-" + component + "-out");
    } catch (RuntimeException e) {
      started.countDown();
      return;
    }
    handler = front.id();
    started.countDown();
    try {
      while (!closed) {
        final int status = front.waitAny(Timeout.NEVER);
        if (status != Status.OK) {
          if (Status.code(status) == Status.CLOSED) {
            return;
          }
          continue;
        }
        final int index = indexOf(front.sender());
        final long to = inbox;
        if (index >= 0 && to != ThreadId.NIL) {
          back.setTag(MessageTag.of(DriverInbox.LABEL, 2));
          back.setMr(1, front.mr(1));
          back.setMr(2, index);
          final long t = Timeout.relative(HAND_OVER);
          back.call(to, t, t); // a failure: the instance has gone; the event is dropped
        }
        if (front.canReply()) {
          front.setTag(MessageTag.of(0, 0));
          front.reply();
        }
      }
    } finally {
      front.close();
      back.close();
    }
  }

  private int indexOf(long sender) {
    for (int i = 0; i < interrupts.size(); i++) {
      if (interrupts.get(i).id() == sender) {
        return i;
      }
    }
    return -1;
  }

  /** Detaches the interrupts (closing their sources) and ends the relay's thread. */
  @Override
  public void close() {
    closed = true;
    for (Interrupt irq : interrupts) {
      irq.close();
    }
    thread.interrupt();
  }
}
