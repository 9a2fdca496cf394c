package dev.nucleus.async.internal;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.QueueSender;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How the ends of a broker-made queue attach, in one place, so that every end of such a queue,
 * whatever its distance, and the broker's own wake-up of a survivor use doorbells that reach each
 * other: the ends may be a thread of the root and a process, or two processes.
 *
 * <p>The doorbell is {@link Doorbell#futex()}: the kernel's shared futex on the sleeper's word,
 * which reaches every distance and wakes at once. The sender also holds its kernel thread and the
 * receiver's space, so that it wakes a receiver asleep in a {@link dev.nucleus.async.Waitset} by
 * kernel notification (docs/queue-wire.md, section 5); such a sender is used by that thread only.
 *
 * <p>Stateless and thread-safe.
 */
public final class BrokerEnds {

  private BrokerEnds() {}

  /** The doorbell of every end of a broker-made queue, and of the broker's wake-up of a survivor. */
  public static Doorbell doorbell() {
    return Doorbell.futex();
  }

  /**
   * The sending end of the queue in {@code segment}, for {@code self}'s thread.
   *
   * @param segment the queue's memory, mapped for this end
   * @param self the thread that will send, and the only one that may use the end (it notifies a
   *     receiver asleep in a waitset)
   * @param receiverSpace the space number of the receiving end
   * @param receiverPid the process of the receiving end, as the broker knows it ({@link
   *     QueueSender#peerPid()}): asked each time the end is
   * @param strategy how to wait for room
   * @throws IllegalArgumentException if the segment holds no valid queue
   */
  public static QueueSender sender(MemorySegment segment, IpcThread self, int receiverSpace,
      LongSupplier receiverPid, WaitStrategy strategy) {
    final RingSender sender = new RingSender(segment, doorbell(), strategy, Objects.requireNonNull(self, "self"),
        receiverSpace);
    sender.vouchPeer(receiverPid);
    return sender;
  }

  /**
   * The receiving end of the queue in {@code segment}.
   *
   * @param segment the queue's memory, mapped for this end
   * @param senderPid the process of the sending end, as the broker knows it ({@link
   *     QueueReceiver#peerPid()}): asked each time the end is
   * @param strategy how to wait for a message
   * @throws IllegalArgumentException if the segment holds no valid queue
   */
  public static QueueReceiver receiver(MemorySegment segment, LongSupplier senderPid, WaitStrategy strategy) {
    final RingReceiver receiver = new RingReceiver(segment, doorbell(), strategy);
    receiver.vouchPeer(senderPid);
    return receiver;
  }
}
