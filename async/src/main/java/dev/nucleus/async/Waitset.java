package dev.nucleus.async;

import dev.nucleus.async.internal.RingReceiver;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.ObjIntConsumer;

/**
 * One thread waiting for many event sources at once (Barrelfish's waitset): the receiving ends of
 * any number of queues, the kernel notifications of its thread, and the IPC messages sent to it,
 * interrupts included. It dispatches in one of two styles:
 *
 * <ul>
 *   <li><b>Upcalls</b> ({@link #dispatch}): each queue has a {@link MessageHandler}, called for each
 *       of its messages, in place, on the waitset's thread or, after {@link #dispatchQueuesOn}, on a
 *       pool (one pool thread at a time per queue, so each queue's messages stay in order);
 *       notifications and IPC messages go to {@link #onNotification} and {@link #onMessage}, on
 *       the waitset's thread (an IPC message is in that thread's registers).
 *   <li><b>Taking the next event</b> ({@link #next}): the caller gets one {@link WaitsetEvent} at a
 *       time.
 * </ul>
 *
 * <p><b>Waiting.</b> SPIN polls every source; BLOCK sleeps in the kernel ({@link IpcThread#waitAny}
 * with notifications accepted) once it has announced the sleep in every queue; ADAPTIVE spins for
 * about a wake-up's cost, then blocks. A queue's sender wakes a sleeping waitset only when it
 * announced itself (the lazy wake-up of docs/queue-wire.md, section 5), and then by a kernel
 * notification of {@link #QUEUE_BIT} to the waitset's thread, which it names in each queue
 * (RECEIVER_NOTIFY); senders attached with
 * {@link QueueSender#attach(java.lang.foreign.MemorySegment, Doorbell, WaitStrategy, IpcThread, int)}
 * do so. No wake-up is lost: pending notification bits end the kernel wait even if they came
 * before it. A sleep lasts at most {@value #SLICE_NANOS} ns, after which every queue is looked at
 * again: so a queue whose sender died (marked DEAD by whoever watches it), or a sender that cannot
 * notify, is seen within that slice.
 *
 * <p><b>Order and fairness.</b> Each queue's messages come in order, each once. The sources are
 * served round-robin, at most {@value #BATCH} messages of one queue in a row; a notification or
 * IPC message is taken at least every {@value #KERNEL_EVERY} spinning rounds, and first after a
 * sleep.
 *
 * <p><b>Bits.</b> {@link #QUEUE_BIT} is the waitset's: it never reaches {@link #onNotification}
 * or a NOTIFICATION event. The thread accepts notifications in its receives while the waitset
 * is open ({@link IpcThread#acceptNotifications}).
 *
 * <p>Thread-safety: the owner thread of the {@link IpcThread} it was created with, only; queue
 * handlers on a pool run on pool threads. Allocates nothing while it waits and dispatches.
 */
public final class Waitset implements AutoCloseable {

  /** The notification bit queue senders set at the waitset's thread. */
  public static final long QUEUE_BIT = 1L << 63;
  /** The longest sleep, in nanoseconds, before every queue is looked at again. */
  public static final long SLICE_NANOS = 20_000_000;
  /** The longest sleep while a queue is being handled on the pool (its end is the pool's then). */
  static final long BUSY_SLICE_NANOS = 1_000_000;
  /** Spinning rounds per look at the kernel (notifications, IPC). */
  public static final int KERNEL_EVERY = 8;
  /** The most messages taken from one queue in a row. */
  public static final int BATCH = 64;
  /** How long ADAPTIVE spins before it blocks: about the cost of a wake-up. */
  private static final long ADAPTIVE_SPIN_NANOS = 25_000;

  private final IpcThread owner;
  private final WaitStrategy strategy;
  private final Thread ownerThread = Thread.currentThread();
  private RingReceiver[] queues = new RingReceiver[0];
  private MessageHandler[] handlers = new MessageHandler[0];
  private boolean[] ended = new boolean[0];
  private boolean[] announced = new boolean[0];
  private AtomicBoolean[] busy = new AtomicBoolean[0];
  private Runnable[] drains = new Runnable[0];
  /** The sender thread watched per queue ({@link #watch}); 0 for none. */
  private long[] peers = new long[0];
  /** When the watched senders are looked at next, on the Timeout.now() clock. */
  private long nextLivenessCheck;
  private int cursor;
  private LongConsumer onNotification = bits -> {};
  private Consumer<IpcThread> onMessage = Waitset::refuse;
  private ObjIntConsumer<QueueReceiver> onEnded = (q, key) -> {};
  private Executor pool;
  private boolean closed;
  /** The longest sleep; a test lengthens it, so that a lost wake-up shows as a stall. */
  private long sliceNanos = SLICE_NANOS;

  private Waitset(IpcThread owner, WaitStrategy strategy) {
    this.owner = owner;
    this.strategy = strategy;
  }

  /**
   * A waitset for {@code owner}'s thread, which must be the caller: from now on its receives also
   * take notifications.
   *
   * @param owner the kernel thread that waits; the calling thread must own it
   * @param strategy how to wait: SPIN, BLOCK or ADAPTIVE
   * @return an empty waitset
   * @throws WrongThreadException if the caller does not own {@code owner}
   */
  public static Waitset create(IpcThread owner, WaitStrategy strategy) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(strategy, "strategy");
    owner.acceptNotifications(true);
    return new Waitset(owner, strategy);
  }

  /**
   * Adds a queue whose messages {@link #next} takes (copied into the event).
   *
   * @param queue a receiving end, which this waitset now uses (not the caller)
   * @return the queue's key in events, 0 for the first queue, then 1, 2 ...
   * @throws IllegalArgumentException if the end is not one of this module's, is in the waitset
   *     already, or was attached with SPIN while this waitset may sleep
   */
  public int add(QueueReceiver queue) {
    return add(queue, null);
  }

  /**
   * Adds a queue whose messages {@link #dispatch} hands to {@code handler}, in place.
   *
   * @param queue a receiving end, which this waitset now uses (not the caller)
   * @param handler called once per message; null for a queue that {@link #next} takes from
   * @return the queue's key
   * @throws IllegalArgumentException if the end is not one of this module's, is in the waitset
   *     already, or was attached with SPIN (never woken) while this waitset may sleep
   * @throws IllegalStateException if the waitset is closed
   */
  public int add(QueueReceiver queue, MessageHandler handler) {
    checkOwner();
    if (!(queue instanceof RingReceiver ring)) {
      throw new IllegalArgumentException("a waitset takes the receivers QueueReceiver.attach makes, not " + queue);
    }
    if (Arrays.asList(queues).contains(ring)) {
      throw new IllegalArgumentException("the queue is in this waitset already: " + queue);
    }
    if (ring.neverSleeps() && strategy != WaitStrategy.SPIN) {
      throw new IllegalArgumentException("a receiver attached with SPIN is never woken, so a waitset that sleeps ("
          + strategy + ") cannot take it: attach it with " + strategy);
    }
    final int key = queues.length;
    queues = Arrays.copyOf(queues, key + 1);
    handlers = Arrays.copyOf(handlers, key + 1);
    ended = Arrays.copyOf(ended, key + 1);
    announced = Arrays.copyOf(announced, key + 1);
    busy = Arrays.copyOf(busy, key + 1);
    drains = Arrays.copyOf(drains, key + 1);
    peers = Arrays.copyOf(peers, key + 1);
    queues[key] = ring;
    handlers[key] = handler;
    busy[key] = new AtomicBoolean();
    drains[key] = () -> drainOnPool(key);
    ring.notifyOnWake(owner.id(), QUEUE_BIT);
    return key;
  }

  /**
   * Watches the sender of queue {@code key}: once kernel thread {@code senderThread} has ended (its
   * space ended or its process died), the waitset marks the queue's sender dead, so the queue ends
   * with PEER_DEAD once everything that thread published has been taken. For queues whose creator
   * does not watch the sender itself (e.g. queues two spaces set up between them). The thread is
   * looked at once per sleep slice ({@value #SLICE_NANOS} ns), and as often while spinning, as
   * the waitset's space sees it ({@link dev.nucleus.kernel.Space#ipcState}).
   *
   * @param key a queue's key
   * @param senderThread the id of the only thread that sends on that queue
   * @throws IllegalArgumentException if there is no such queue, or the waitset's space cannot see
   *     that thread alive now (a thread of a space it has no view of reads as ended)
   */
  public void watch(int key, long senderThread) {
    checkOwner();
    if (key < 0 || key >= queues.length) {
      throw new IllegalArgumentException("no queue " + key + " in this waitset of " + queues.length);
    }
    if (owner.space().ipcState(senderThread).kind() == dev.nucleus.kernel.IpcState.Kind.DEAD) {
      throw new IllegalArgumentException("space " + owner.space().name() + " cannot see thread "
          + ThreadId.toString(senderThread) + " alive: it has ended, or it is in a space this one has no view of");
    }
    peers[key] = senderThread;
  }

  /**
   * Sets what {@link #dispatch} does with notification bits (all but {@link #QUEUE_BIT}): by
   * default nothing.
   *
   * @param handler called on the waitset's thread with the bits taken
   */
  public void onNotification(LongConsumer handler) {
    this.onNotification = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Sets what {@link #dispatch} does with an IPC message to the waitset's thread: the handler
   * reads it from the thread's registers and may reply (an interrupt is delivered again only after
   * a reply). By default a message is refused: a caller gets an empty reply labelled 0.
   *
   * @param handler called on the waitset's thread with its kernel thread
   */
  public void onMessage(Consumer<IpcThread> handler) {
    this.onMessage = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Sets what {@link #dispatch} does when a queue ends for good (its final status is in
   * {@link QueueReceiver#status()}): by default nothing. Called once per queue.
   *
   * @param handler called on the waitset's thread with the queue and its key
   */
  public void onQueueEnded(ObjIntConsumer<QueueReceiver> handler) {
    this.onEnded = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Hands queue upcalls to {@code executor} instead of running them on the waitset's thread: a
   * queue with messages is given to one task, which takes up to {@value #BATCH} of them and gives
   * it back, so each queue's messages are handled in order, by one thread at a time, while
   * different queues run in parallel. A queue that the pool holds is not announced in a sleep, so
   * the waitset then sleeps at most {@value #BUSY_SLICE_NANOS} ns. Notifications, IPC messages and
   * the end of a queue are still handled on the waitset's thread.
   *
   * @param executor the pool; null to run upcalls on the waitset's thread again
   */
  public void dispatchQueuesOn(Executor executor) {
    checkOwner();
    this.pool = executor;
  }

  /**
   * Waits up to {@code timeout} until something happens, then handles everything ready: queue
   * messages to their handlers (up to {@value #BATCH} per queue), notifications, at most one IPC
   * message, and the end of queues. A handler's exception reaches the caller; the message it was
   * given counts as handled.
   *
   * @param timeout a {@link Timeout}: ZERO (handle what is ready, never wait), relative, absolute or NEVER
   * @return how many events were handled (queue messages on a pool count when handed over); 0 if
   *     the deadline passed first; or {@code -status}: ABORTED (the thread was interrupted or its
   *     IPC aborted), INVALID_ARGUMENT (bad timeout), CLOSED (the waitset or its thread), or
   *     another status of the thread's receive
   * @throws IllegalStateException if a queue has no handler
   * @throws WrongThreadException if not called by the owner thread
   */
  public int dispatch(long timeout) {
    return run(null, timeout);
  }

  /**
   * Waits up to {@code timeout} for the next event and takes it into {@code event}.
   *
   * @param event where to put it (its buffer receives a queue message's bytes)
   * @param timeout a {@link Timeout}: ZERO, relative, absolute or NEVER
   * @return OK with the event filled; TIMEOUT, or {@link QueueStatus#EMPTY} for ZERO; MSG_TOO_LONG
   *     if the next message of queue {@link WaitsetEvent#queue()} does not fit the event's buffer
   *     (it stays in the queue); ABORTED, INVALID_ARGUMENT, CLOSED, or another status of the
   *     thread's receive. All in the receive phase
   * @throws WrongThreadException if not called by the owner thread
   */
  public int next(WaitsetEvent event, long timeout) {
    Objects.requireNonNull(event, "event");
    final int r = run(event, timeout);
    if (r > 0) {
      return Status.OK;
    }
    if (r == 0) {
      return timeout == Timeout.ZERO ? QueueStatus.EMPTY : Status.receive(Status.TIMEOUT);
    }
    return -r;
  }

  /**
   * How many queues this waitset has, ended ones included.
   *
   * @return the number of keys given out
   */
  public int size() {
    return queues.length;
  }

  /**
   * Ends the waitset: its thread no longer accepts notifications in its receives. The queues are
   * not closed: they are the caller's again (once no pool task holds one). Idempotent.
   */
  @Override
  public void close() {
    checkOwner();
    if (!closed) {
      closed = true;
      for (RingReceiver q : queues) {
        q.notifyOnWake(0, 0);
      }
      owner.acceptNotifications(false);
    }
  }

  /** For tests: the longest sleep, so that a lost wake-up shows as a stall instead of a late event. */
  void sleepAtMost(long nanos) {
    this.sliceNanos = nanos;
  }

  // --- the loop ----------------------------------------------------------------------------------

  /** Takes (event != null) or dispatches events: how many, 0 at the deadline, or -status. */
  private int run(WaitsetEvent event, long timeout) {
    checkOwner();
    if (closed) {
      return -Status.receive(Status.CLOSED);
    }
    if (!Timeout.isValid(timeout)) {
      return -Status.receive(Status.INVALID_ARGUMENT);
    }
    final long deadline = Timeout.deadline(timeout);
    final long spinUntil = strategy == WaitStrategy.ADAPTIVE ? Timeout.now() + ADAPTIVE_SPIN_NANOS : 0;
    for (int round = 0; ; round++) {
      if (round % KERNEL_EVERY == 0 || strategy == WaitStrategy.BLOCK) {
        final int k = kernel(event, Timeout.ZERO);
        if (k != 0) {
          return k;
        }
      }
      final int q = queues(event);
      if (q != 0) {
        return q;
      }
      if (timeout == Timeout.ZERO) {
        return 0;
      }
      if (Thread.currentThread().isInterrupted()) {
        return -Status.receive(Status.ABORTED);
      }
      final long now = Timeout.now();
      if (now >= nextLivenessCheck) {
        checkSenders(now);
      }
      if (deadline != Long.MAX_VALUE && now >= deadline) {
        return 0;
      }
      final boolean block = strategy == WaitStrategy.BLOCK || (strategy == WaitStrategy.ADAPTIVE && now >= spinUntil);
      if (!block) {
        Thread.onSpinWait();
        continue;
      }
      final int k = sleep(event, deadline, now);
      if (k != 0) {
        return k;
      }
    }
  }

  /** Marks the sender of each watched queue dead once its thread has ended; next look one slice later. */
  private void checkSenders(long now) {
    nextLivenessCheck = now + SLICE_NANOS;
    for (int i = 0; i < peers.length; i++) {
      if (peers[i] != 0 && !ended[i]
          && owner.space().ipcState(peers[i]).kind() == dev.nucleus.kernel.IpcState.Kind.DEAD) {
        peers[i] = 0;
        queues[i].peerDied();
      }
    }
  }

  /**
   * Announces the sleep in every queue this thread holds, then waits in the kernel for a
   * notification or a message, up to the deadline or a slice. Returns what the kernel brought (as
   * {@link #kernel}), 0 if nothing.
   */
  private int sleep(WaitsetEvent event, long deadline, long now) {
    boolean poolHolds = false;
    boolean sleep = true;
    for (int i = 0; i < queues.length; i++) {
      if (ended[i]) {
        continue;
      }
      if (busy[i].get()) {
        poolHolds = true;
        continue;
      }
      if (!queues[i].announceSleep()) {
        sleep = false; // something came meanwhile
        break;
      }
      announced[i] = true;
    }
    int k = 0;
    if (sleep) {
      final long slice = Math.min(poolHolds ? BUSY_SLICE_NANOS : sliceNanos,
          deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, deadline - now));
      k = kernel(event, Timeout.relative(slice));
    }
    for (int i = 0; i < queues.length; i++) {
      if (announced[i]) {
        announced[i] = false;
        queues[i].endSleep();
      }
    }
    return k;
  }

  /**
   * One receive of the waitset's thread: a notification (the queue bit only wakes; other bits are
   * an event) or an IPC message (an event). Returns 1 for an event handled or taken, 0 for none,
   * or -status for a failure of the receive.
   */
  private int kernel(WaitsetEvent event, long timeout) {
    final int st = owner.waitAny(timeout);
    if (st != Status.OK) {
      final int code = Status.code(st);
      return code == Status.TIMEOUT || code == Status.NO_PARTNER ? 0 : -st;
    }
    if (MessageTag.label(owner.tag()) == MessageTag.NOTIFICATION_LABEL && owner.sender() == ThreadId.NIL) {
      final long bits = owner.mr(1) & ~QUEUE_BIT;
      if (bits == 0) {
        return 0;
      }
      if (event != null) {
        event.notification(bits);
      } else {
        onNotification.accept(bits);
      }
      return 1;
    }
    if (event != null) {
      event.message();
    } else {
      onMessage.accept(owner);
    }
    return 1;
  }

  /** Serves the queues round-robin from the cursor: as {@link #kernel} returns. */
  private int queues(WaitsetEvent event) {
    final int n = queues.length;
    int handled = 0;
    for (int j = 0; j < n; j++) {
      final int i = (cursor + j) % n;
      if (ended[i]) {
        continue;
      }
      final int r = event != null ? take(i, event) : dispatchQueue(i);
      if (r != 0) {
        if (event != null) {
          cursor = (i + 1) % n;
          return r;
        }
        handled += r;
      }
    }
    if (n > 0) {
      cursor = (cursor + 1) % n;
    }
    return handled;
  }

  /** Takes queue {@code i}'s next message or its end into the event: 1, 0 if none, or -MSG_TOO_LONG. */
  private int take(int i, WaitsetEvent event) {
    final RingReceiver q = queues[i];
    final int len = q.receive(event.buffer(), 0, (int) event.buffer().byteSize(), Timeout.ZERO);
    if (len >= 0) {
      event.queueMessage(i, len);
      return 1;
    }
    if (-len == QueueStatus.EMPTY) {
      return 0;
    }
    if (Status.code(-len) == Status.MSG_TOO_LONG) {
      event.tooLong(i);
      return len;
    }
    ended[i] = true;
    q.notifyOnWake(0, 0);
    event.queueEnded(i, q.status());
    return 1;
  }

  /** Hands queue {@code i}'s ready messages to its handler here or on the pool: how many (tasks count 1). */
  private int dispatchQueue(int i) {
    final RingReceiver q = queues[i];
    if (handlers[i] == null) {
      throw new IllegalStateException("queue " + i + " has no handler: take its messages with next(), not dispatch()");
    }
    if (pool != null) {
      if (busy[i].get() || !q.ready()) {
        return 0;
      }
      if (q.status() != Status.OK) {
        return ended(i);
      }
      busy[i].set(true);
      pool.execute(drains[i]);
      return 1;
    }
    final int n = q.poll(handlers[i], BATCH);
    if (n == 0 && q.status() != Status.OK) {
      return ended(i);
    }
    return n;
  }

  private int ended(int i) {
    ended[i] = true;
    queues[i].notifyOnWake(0, 0);
    onEnded.accept(queues[i], i);
    return 1;
  }

  /** A pool task: up to BATCH messages of queue {@code i}, then the queue is the waitset's again. */
  private void drainOnPool(int i) {
    try {
      queues[i].poll(handlers[i], BATCH);
    } finally {
      busy[i].set(false); // hands the end back: the waitset reads it after its get() sees false
    }
  }

  private void checkOwner() {
    if (Thread.currentThread() != ownerThread) {
      throw new WrongThreadException("a waitset is used by the thread that created it (" + ownerThread.getName()
          + "), not by " + Thread.currentThread().getName());
    }
  }

  /** The default for IPC messages: a caller gets an empty reply; an interrupt is re-armed. */
  private static void refuse(IpcThread t) {
    if (t.canReply()) {
      t.setTag(MessageTag.of(0, 0));
      t.reply();
    }
  }
}
