package dev.nucleus.system.internal;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.system.DriverEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The component's side of its drivers: an IPC thread in the component's space that takes each
 * driver delivery from the component's gate ({@link DriverRelay}), queues it for
 * {@link dev.nucleus.system.ComponentContext#awaitDriver}, and acknowledges it.
 *
 * <p>A delivery is a call labelled {@link #LABEL} with MR1 = the firings it stands for and MR2 =
 * the driver's index in the component's driver list. Both come from the root; they are checked
 * anyway, and a bad one is dropped with a warning.
 */
final class DriverInbox {

  /** The label of a driver delivery from the gate. */
  static final long LABEL = 0x4E44_5256L; // "NDRV"

  private static final System.Logger LOG = System.getLogger(DriverInbox.class.getName());

  private final List<String> drivers;
  private final LinkedBlockingQueue<DriverEvent> events = new LinkedBlockingQueue<>();
  private final IpcThread thread;

  /** Spawns the inbox's thread in {@code space}; {@code drivers} are the component's driver names, in order. */
  DriverInbox(Space space, List<String> drivers) {
    this.drivers = List.copyOf(drivers);
    this.thread = space.spawn("drivers", this::serve);
  }

  /** The id the gate delivers to. */
  long id() {
    return thread.id();
  }

  DriverEvent await(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void serve(IpcThread self) {
    while (true) {
      final int status = self.waitAny(Timeout.NEVER);
      if (status != Status.OK) {
        final int code = Status.code(status);
        if (code == Status.CLOSED || code == Status.STALE_ID) {
          return;
        }
        continue;
      }
      final long tag = self.tag();
      final long firings = self.mr(1);
      final long index = self.mr(2);
      if (MessageTag.label(tag) == LABEL && MessageTag.words(tag) >= 2 && index >= 0 && index < drivers.size()
          && firings > 0) {
        events.add(new DriverEvent(drivers.get((int) index), firings));
      } else {
        LOG.log(System.Logger.Level.WARNING, "dropped a malformed driver delivery (label 0x"
            + Long.toHexString(MessageTag.label(tag)) + ", driver " + index + ", firings " + firings + ")");
      }
      if (self.canReply()) {
        self.setTag(MessageTag.of(LABEL, 0));
        self.reply();
      }
    }
  }
}
