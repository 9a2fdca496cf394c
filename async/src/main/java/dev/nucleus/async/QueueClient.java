package dev.nucleus.async;

import dev.nucleus.async.internal.BrokerEnds;
import dev.nucleus.async.internal.HandoutMessage;
import dev.nucleus.async.internal.QueueDescriptor;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * How a process space takes the ends of the queues the root's {@link QueueBroker} granted it: it
 * learns the broker's id ({@link #awaitBroker}), then calls the broker for each end by the queue's
 * name ({@link #openSender}, {@link #openReceiver}). The broker answers with the queue's memory (a
 * shared region of the root, which only the caller's process can map) and the other end's space;
 * everything in the answer is checked before it is used. The request and the reply are in
 * docs/queues.md, precisely enough for a peer in another language.
 *
 * <p>Stateless and thread-safe; each method runs on the thread that owns the {@link IpcThread}
 * it is given, and blocks for one IPC call to the broker (bounded by {@link #CALL_TIMEOUT}).
 */
public final class QueueClient {

  /** The name under which the broker's id is offered to a process space ({@link ProcessContext#lookup}). */
  public static final String BROKER_NAME = "nucleus.queues";
  /** How long a request waits for the broker to take it, and then for its reply. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private QueueClient() {}

  /**
   * The broker's id, once the root has offered it to this process (it does when it creates the
   * first queue with an end here). Polls every millisecond up to {@code timeout}.
   *
   * @param context this process's context
   * @param timeout how long to wait at most
   * @return the id of the broker's server thread in this process's peer space
   * @throws TimeoutException if the root offered no broker within {@code timeout}
   * @throws InterruptedException if interrupted while waiting
   */
  public static long awaitBroker(ProcessContext context, Duration timeout) throws TimeoutException, InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final long id = context.lookup(BROKER_NAME);
      if (id != ThreadId.NIL) {
        return id;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("no queue broker was offered to this process within " + timeout);
      }
      Thread.sleep(1);
    }
  }

  /**
   * Asks the broker for the sending end of queue {@code name} and attaches it: blocks for one
   * call. The end has a mapping of its own, unmapped once it is unreachable. It wakes a receiver
   * asleep in a {@link Waitset} by notifying it through {@code self}, so only the calling thread
   * uses it.
   *
   * @param self the calling thread, which will send (the end's only user)
   * @param broker the broker's id ({@link #awaitBroker})
   * @param name the queue's name
   * @param strategy how the end waits for room
   * @return the end, at position 0
   * @throws QueueHandoutException NOT_PERMITTED if the queue does not grant its sending end to
   *     this space, or it was handed out already; CLOSED if the broker has closed; the IPC status
   *     if the call failed; STALE_ID if the queue was freed before this process could map it (its
   *     other side ended meanwhile); PROTOCOL_ERROR for a reply no broker sends (the message says
   *     what)
   * @throws IllegalArgumentException if the name is malformed (1 to 48 bytes of UTF-8, no NUL)
   */
  public static QueueSender openSender(IpcThread self, long broker, String name, WaitStrategy strategy) {
    Objects.requireNonNull(strategy, "strategy");
    final Granted g = ask(self, broker, true, name);
    return BrokerEnds.sender(g.memory(), self, g.peerSpace(), g::peerPid, strategy);
  }

  /**
   * Asks the broker for the receiving end of queue {@code name} and attaches it: blocks for one
   * call. The end has a mapping of its own, unmapped once it is unreachable.
   *
   * @param self the calling thread
   * @param broker the broker's id ({@link #awaitBroker})
   * @param name the queue's name
   * @param strategy how the end waits for a message
   * @return the end, at position 0
   * @throws QueueHandoutException as {@link #openSender}
   * @throws IllegalArgumentException if the name is malformed
   */
  public static QueueReceiver openReceiver(IpcThread self, long broker, String name, WaitStrategy strategy) {
    Objects.requireNonNull(strategy, "strategy");
    final Granted g = ask(self, broker, false, name);
    return BrokerEnds.receiver(g.memory(), g::peerPid, strategy);
  }

  /** What the broker handed out: the queue's memory, mapped here, and the other end's space and process. */
  private record Granted(MemorySegment memory, int peerSpace, long peerPid) {}

  private static Granted ask(IpcThread self, long broker, boolean sendingEnd, String name) {
    final byte[] utf8 = HandoutMessage.checkName(Objects.requireNonNull(name, "name"));
    final String end = "the " + (sendingEnd ? "sending" : "receiving") + " end of queue '" + name + "'";
    HandoutMessage.putRequest(self, sendingEnd, utf8);
    final long timeout = Timeout.relative(CALL_TIMEOUT);
    final int status = self.call(broker, timeout, timeout);
    if (status != Status.OK) {
      throw new QueueHandoutException(status, end + ": the call to the queue broker " + ThreadId.toString(broker)
          + " failed with " + Status.toString(status));
    }
    final long tag = self.tag();
    final long label = MessageTag.label(tag);
    if (label != Status.OK) {
      final long reason = self.mr(HandoutMessage.REASON_MR);
      final String why = HandoutMessage.describeReason(reason);
      if (MessageTag.untyped(tag) != HandoutMessage.ERROR_WORDS || why == null
          || label != HandoutMessage.codeOf(reason)) {
        throw malformed(end, "a refusal " + MessageTag.toString(tag) + " with reason " + reason);
      }
      throw new QueueHandoutException((int) label, end + " was refused: " + why);
    }
    return granted(self, end, tag);
  }

  /** Checks an OK reply word by word, then maps the region it names and checks the queue in it. */
  private static Granted granted(IpcThread self, String end, long tag) {
    if (MessageTag.untyped(tag) != HandoutMessage.OK_WORDS || MessageTag.typed(tag) != 0) {
      throw malformed(end, "a grant of " + MessageTag.toString(tag) + ", not " + HandoutMessage.OK_WORDS + " words");
    }
    final long handle = self.mr(HandoutMessage.HANDLE_MR);
    final long bytes = self.mr(HandoutMessage.BYTES_MR);
    final long slots = self.mr(HandoutMessage.SLOTS_MR);
    final long peerSpace = self.mr(HandoutMessage.PEER_SPACE_MR);
    final long token = self.mr(HandoutMessage.TOKEN_MR);
    final long peerPid = self.mr(HandoutMessage.PEER_PID_MR);
    if (!QueueDescriptor.isValidSlotCount(slots)) {
      throw malformed(end, "a grant of " + slots + " slots, not a power of two in [" + QueueMemory.MIN_SLOTS + ", "
          + QueueMemory.MAX_SLOTS + "]");
    }
    final long expected = HandoutMessage.regionBytes((int) slots);
    if (bytes != expected) {
      throw malformed(end, "a grant of " + bytes + " bytes for " + slots + " slots, not " + expected);
    }
    if (peerSpace < 1 || peerSpace > ThreadId.MAX_SPACE) {
      throw malformed(end, "a grant whose other end is in space " + peerSpace);
    }
    if ((peerPid < 1 || peerPid > Integer.MAX_VALUE) && peerPid != -1) {
      throw malformed(end, "a grant whose other end is in process " + peerPid);
    }
    final MemorySegment region;
    try {
      region = SharedRegion.map(handle, self.senderPid(), bytes, Arena.ofAuto());
    } catch (IllegalArgumentException e) {
      throw malformed(end, "a region this process cannot map (" + e.getMessage() + ")", e);
    }
    final long found = region.get(ValueLayout.JAVA_LONG, HandoutMessage.tokenOffset((int) slots));
    if (found != token) {
      throw new QueueHandoutException(Status.STALE_ID, end + ": the region the grant names has gone (its descriptor"
          + " names another region now, token 0x" + Long.toHexString(found) + " where the grant says 0x"
          + Long.toHexString(token) + "): the queue was freed before this process mapped it");
    }
    final MemorySegment memory = region.asSlice(0, QueueMemory.bytesFor((int) slots));
    final int header;
    try {
      header = QueueDescriptor.validate(memory);
    } catch (IllegalArgumentException e) {
      throw malformed(end, "a region that holds no queue (" + e.getMessage() + ")", e);
    }
    if (header != slots) {
      throw malformed(end, "a queue of " + header + " slots, where the grant says " + slots);
    }
    return new Granted(memory, (int) peerSpace, peerPid);
  }

  private static QueueHandoutException malformed(String end, String what) {
    return malformed(end, what, null);
  }

  private static QueueHandoutException malformed(String end, String what, Throwable cause) {
    return new QueueHandoutException(Status.PROTOCOL_ERROR, end + ": the queue broker's reply is not one a broker"
        + " sends: " + what, cause);
  }
}
