package dev.nucleus.async.internal;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.QueueSender;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;

/**
 * How the ends of a broker-made queue attach, in one place, so that every end of such a queue,
 * whatever its distance, and the broker's own wake-up of a survivor use doorbells that reach each
 * other: the ends may be a thread of the root and a process, or two processes.
 *
 * <p>The doorbell is {@link Doorbell#polling()}: it reaches every distance without a wake call.
 * Where the kernel's shared futex is exported, it becomes the futex doorbell (a sleeper woken at
 * once instead of within the polling back-off), and the sender also wakes a receiver asleep in a
 * kernel waitset (it knows the receiver's space, {@code receiverSpace}).
 *
 * <p>Stateless and thread-safe.
 */
public final class BrokerEnds {

  private BrokerEnds() {}

  /** The doorbell of every end of a broker-made queue, and of the broker's wake-up of a survivor. */
  public static Doorbell doorbell() {
    return Doorbell.polling();
  }

  /**
   * The sending end of the queue in {@code segment}, for {@code self}'s thread.
   *
   * @param segment the queue's memory, mapped for this end
   * @param self the thread that will send (it may notify the receiver)
   * @param receiverSpace the space number of the receiving end
   * @param strategy how to wait for room
   * @throws IllegalArgumentException if the segment holds no valid queue
   */
  public static QueueSender sender(MemorySegment segment, IpcThread self, int receiverSpace, WaitStrategy strategy) {
    java.util.Objects.requireNonNull(self, "self");
    return QueueSender.attach(segment, doorbell(), strategy);
  }

  /**
   * The receiving end of the queue in {@code segment}.
   *
   * @param segment the queue's memory, mapped for this end
   * @param strategy how to wait for a message
   * @throws IllegalArgumentException if the segment holds no valid queue
   */
  public static QueueReceiver receiver(MemorySegment segment, WaitStrategy strategy) {
    return QueueReceiver.attach(segment, doorbell(), strategy);
  }
}
