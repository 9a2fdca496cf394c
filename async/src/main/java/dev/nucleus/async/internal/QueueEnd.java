package dev.nucleus.async.internal;

import static dev.nucleus.async.internal.QueueDescriptor.CLOSED;
import static dev.nucleus.async.internal.QueueDescriptor.DEAD;
import static dev.nucleus.async.internal.QueueDescriptor.FAILED;
import static dev.nucleus.async.internal.QueueDescriptor.OPEN;

import dev.nucleus.async.Doorbell;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the two ends of a queue have in common: the geometry read once at attach, the end's final
 * status, the state words, the lazy wake-up, and the one wait loop.
 *
 * <pre>
 * Implementation overview
 *
 *   wait loop (as the kernel's WaitLoop):
 *     loop:
 *       r := poll()                    the cheap look: a message, or room
 *       if r != WAITING: return r
 *       every CHECK_EVERY rounds, and after every sleep:
 *         r := check()                 interrupt, deadline, the peer's state
 *         if r != WAITING: return r
 *       SPIN:     onSpinWait; every YIELD_EVERY rounds, yield
 *       ADAPTIVE: as SPIN for ADAPTIVE_SPIN_NANOS (the clock read every CLOCK_EVERY rounds), then BLOCK
 *       BLOCK:    sleep()
 *
 *   sleep (the sleeper's half of the lazy wake-up; docs/queue-wire.md, section 5):
 *     announceSleep:
 *       prepareToSleep()               the receiver publishes how far it has read
 *       OWN_SLEEPING := 1              volatile store
 *       if wakeCondition() or the peer's state is not OPEN (volatile loads):
 *         OWN_SLEEPING := 0; do not sleep
 *     doorbell.await(OWN_SLEEPING, 1, deadline)
 *     endSleep: OWN_SLEEPING := 0
 *
 *   wakePeer (the waker's half), after the waker's volatile store of what it publishes:
 *     if PEER_SLEEPING != 0 (volatile load) and CAS(PEER_SLEEPING, 1, 0): doorbell.wake(PEER_SLEEPING)
 * </pre>
 *
 * Why no wake-up is lost (Dekker): the sleeper stores its SLEEPING word and then loads what the
 * waker publishes; the waker stores what it publishes and then loads the SLEEPING word. All four
 * accesses are volatile, so they fall in one total order that agrees with each thread's program
 * order (a volatile store is followed by a StoreLoad fence, which keeps it from passing the
 * later load): if the waker's load comes before the sleeper's store, the waker's store came
 * before it too, and the sleeper's re-check sees the message (or the room); otherwise the waker
 * sees SLEEPING = 1 and wakes it. The CAS lets one waker only make the call; the doorbell keeps
 * the futex promise that a wake after the word changed is never lost, even before the sleeper
 * has gone to sleep (its await finds the word no longer 1). A wake that comes after the sleeper
 * woke for another reason is a spurious wake-up of a later sleep, which the loop tolerates.
 *
 * <p>Why the constants have their values: as in the kernel's wait loop, checks read the clock
 * and the peer's line, so they run every {@link #CHECK_EVERY} rounds only;
 * {@link #YIELD_EVERY} keeps a spinner from starving a peer that shares its CPU; and
 * {@link #ADAPTIVE_SPIN_NANOS} is about what a wake-up costs on the machines measured (the
 * kernel's default adaptive spin).
 *
 * <p>An end is used by one thread at a time; its fields are that thread's, plain. Only
 * {@link #peerDied()} comes from other threads: it writes the queue's memory and wakes the end,
 * and touches no field.
 */
abstract class QueueEnd {

  /** Internal outcome of poll and check: nothing yet, go on waiting. Never returned to callers. */
  static final int WAITING = -1;
  static final int CHECK_EVERY = 128;
  static final int YIELD_EVERY = 1 << 5;
  private static final int CLOCK_EVERY = 1 << 6;
  /** How long an ADAPTIVE waiter spins before it sleeps. */
  static final long ADAPTIVE_SPIN_NANOS = 25_000;

  final MemorySegment segment;
  final int slotCount;
  final long mask;
  final int maxPayload;
  final Doorbell doorbell;
  final WaitStrategy strategy;
  /** Status.SEND_PHASE for the sender, RECEIVE_PHASE for the receiver. */
  private final int phase;
  private final long ownState;
  private final long peerState;
  private final long ownSleeping;
  private final long peerSleeping;
  private final String peerName;
  /**
   * The sender's kernel thread, through which it also notifies a receiver that sleeps in a
   * waitset (RECEIVER_NOTIFY); null for a receiver, or a sender that only rings the doorbell.
   */
  private final IpcThread notifier;
  /** The receiver's space: the only space RECEIVER_NOTIFY may name a thread of. */
  private final int receiverSpace;
  /**
   * A receiver attached with SPIN: it said so in RECEIVER_SPINS, so its sender does not wake it,
   * and it never sleeps, not even in a waitset.
   */
  private final boolean neverSleeps;

  /** The peer's process as the queue's broker vouches for it (-1: unknown): see {@link #peerPid()}. */
  private LongSupplier peerPid = () -> -1;

  /** OK, or the final status of this end. */
  int status = Status.OK;
  /** Why the status is not OK; null while it is. */
  String failure;
  /** The deadline of the wait in progress, on the Timeout.now() clock. */
  long deadline;

  QueueEnd(MemorySegment segment, Doorbell doorbell, WaitStrategy strategy, boolean sender) {
    this(segment, doorbell, strategy, sender, null, -1);
  }

  QueueEnd(MemorySegment segment, Doorbell doorbell, WaitStrategy strategy, boolean sender, IpcThread notifier,
      int receiverSpace) {
    this.notifier = notifier;
    this.receiverSpace = receiverSpace;
    this.segment = Objects.requireNonNull(segment, "segment");
    this.doorbell = Objects.requireNonNull(doorbell, "doorbell");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.slotCount = QueueDescriptor.validate(segment);
    this.mask = slotCount - 1L;
    this.maxPayload = QueueDescriptor.maxPayload(slotCount);
    this.phase = sender ? Status.SEND_PHASE : Status.RECEIVE_PHASE;
    this.ownState = sender ? QueueDescriptor.SENDER_STATE_OFFSET : QueueDescriptor.RECEIVER_STATE_OFFSET;
    this.peerState = sender ? QueueDescriptor.RECEIVER_STATE_OFFSET : QueueDescriptor.SENDER_STATE_OFFSET;
    this.ownSleeping = sender ? QueueDescriptor.SENDER_SLEEPING_OFFSET : QueueDescriptor.RECEIVER_SLEEPING_OFFSET;
    this.peerSleeping = sender ? QueueDescriptor.RECEIVER_SLEEPING_OFFSET : QueueDescriptor.SENDER_SLEEPING_OFFSET;
    this.peerName = sender ? "receiver" : "sender";
    this.neverSleeps = !sender && strategy == WaitStrategy.SPIN;
    if (neverSleeps) {
      QueueDescriptor.setIntVolatile(segment, QueueDescriptor.RECEIVER_SPINS_OFFSET, 1);
    }
  }

  /**
   * Whether this end never sleeps: a receiver attached with SPIN, whose sender publishes without
   * a wake-up (RECEIVER_SPINS). A waitset that may sleep refuses it.
   */
  public final boolean neverSleeps() {
    return neverSleeps;
  }

  /**
   * The process that holds the other end, as the broker that made the queue tells this end; -1 if
   * none does (see {@link dev.nucleus.async.QueueSender#peerPid()}).
   */
  public final long peerPid() {
    return peerPid.getAsLong();
  }

  /**
   * Takes the broker's word for the process of the other end: once, before the end reaches its
   * user. {@code pid} answers a pid or -1 (not known), from any thread.
   */
  final void vouchPeer(LongSupplier pid) {
    peerPid = Objects.requireNonNull(pid, "pid");
  }

  // --- the wait loop ---------------------------------------------------------------------------

  /** Waits until {@link #poll} or {@link #check} gives an outcome, with {@code timeout} (valid, not ZERO). */
  final int await(long timeout) {
    deadline = Timeout.deadline(timeout);
    final long spinUntil = strategy == WaitStrategy.ADAPTIVE ? Timeout.now() + ADAPTIVE_SPIN_NANOS : 0;
    boolean spinning = strategy != WaitStrategy.BLOCK;
    int spins = 0;
    boolean checkNow = false;
    while (true) {
      final int polled = poll();
      if (polled != WAITING) {
        return polled;
      }
      if (checkNow || ++spins % CHECK_EVERY == 0) {
        checkNow = false;
        final int checked = check();
        if (checked != WAITING) {
          return checked;
        }
      }
      if (spinning) {
        if (strategy == WaitStrategy.ADAPTIVE && (spins & (CLOCK_EVERY - 1)) == 0 && Timeout.now() > spinUntil) {
          spinning = false; // spun about as long as a wake-up costs: sleep from now on
        } else {
          Thread.onSpinWait();
          if (spins % YIELD_EVERY == 0) {
            Thread.yield();
          }
          continue;
        }
      }
      sleep();
      checkNow = true;
    }
  }

  /** One cheap look: OK (what the caller waits for is there), a final status, or WAITING. */
  abstract int poll();

  /** The periodic checks: a Java interrupt, the deadline, the peer's state; a status or WAITING. */
  int check() {
    if (Thread.currentThread().isInterrupted()) {
      return phase | Status.ABORTED;
    }
    final int peer = peerCheck();
    if (peer != WAITING) {
      return peer;
    }
    if (deadline != Long.MAX_VALUE && Timeout.now() >= deadline) {
      return phase | Status.TIMEOUT;
    }
    return WAITING;
  }

  /** The peer's state as {@link #check} sees it: WAITING while it is open (see {@link #peerGone}). */
  int peerCheck() {
    return peerGone();
  }

  /** Whatever the sleeper does before it announces itself (the receiver publishes its position). */
  void prepareToSleep() {}

  /**
   * The sleeper's re-check after its announcement: whether what it waits for may have come (so
   * that it must not sleep). Volatile loads only (the Dekker pair of the class comment).
   */
  abstract boolean wakeCondition();

  private void sleep() {
    if (announceSleep()) {
      doorbell.await(segment, ownSleeping, 1, deadline);
      endSleep();
    }
  }

  /**
   * The sleeper's half of the lazy wake-up, up to the sleep itself: publishes what it must, stores
   * 1 in this end's SLEEPING word, and re-checks. Returns true if the caller may now sleep on that
   * word (until a wake or its deadline) and must then call {@link #endSleep}; false if something
   * came meanwhile (the word is 0 again). A waitset sleeps on many ends at once with it: it
   * announces at each, and sleeps (futex_waitv) only if every one returned true. Always false
   * for an end that {@link #neverSleeps}.
   */
  public final boolean announceSleep() {
    if (neverSleeps) {
      return false; // its sender does not wake it: it spins on
    }
    prepareToSleep();
    QueueDescriptor.setIntVolatile(segment, ownSleeping, 1);
    if (wakeCondition() || QueueDescriptor.intVolatile(segment, peerState) != OPEN) {
      QueueDescriptor.setIntVolatile(segment, ownSleeping, 0);
      return false;
    }
    return true;
  }

  /** Ends a sleep begun by {@link #announceSleep}: this end's SLEEPING word back to 0. */
  public final void endSleep() {
    QueueDescriptor.setIntVolatile(segment, ownSleeping, 0);
  }

  // --- the waker's half ------------------------------------------------------------------------

  /** Wakes the peer if it announced that it sleeps; call after the volatile store that publishes. */
  final void wakePeerIfSleeping() {
    if (QueueDescriptor.intVolatile(segment, peerSleeping) != 0) {
      wake(peerSleeping);
    }
  }

  private void wake(long sleepingWord) {
    if (QueueDescriptor.casInt(segment, sleepingWord, 1, 0)) {
      doorbell.wake(segment, sleepingWord);
      if (notifier != null) {
        notifyReceiver();
      }
    }
  }

  /**
   * The sender's wake-up of a receiver that sleeps in the kernel (a waitset): notifies the thread
   * RECEIVER_NOTIFY names with RECEIVER_NOTIFY_BITS, once that is checked to be a thread of the
   * receiver's space (a receiver may only have its own threads notified). 0 names nobody. The
   * notification's status is not this end's business: a receiver that has gone is seen in its state.
   */
  private void notifyReceiver() {
    final long to = QueueDescriptor.longVolatile(segment, QueueDescriptor.RECEIVER_NOTIFY_OFFSET);
    if (to == 0) {
      return;
    }
    if (!ThreadId.isWellFormed(to) || ThreadId.isEndpoint(to) || ThreadId.space(to) != receiverSpace) {
      if (status == Status.OK) { // ends the queue as fail() does, without waking again
        end(Status.PROTOCOL_ERROR, "RECEIVER_NOTIFY is 0x" + Long.toHexString(to) + ", not 0 or a thread of the receiver's space "
            + receiverSpace);
        QueueDescriptor.setIntVolatile(segment, ownState, FAILED);
      }
      return;
    }
    notifier.notifyBits(to, QueueDescriptor.longVolatile(segment, QueueDescriptor.RECEIVER_NOTIFY_BITS_OFFSET));
  }

  /**
   * Asks the sender to notify kernel thread {@code thread} with {@code bits} whenever it wakes this
   * end (a receiver that sleeps in a waitset); 0 withdraws it. Owner thread, before it sleeps.
   */
  public final void notifyOnWake(long thread, long bits) {
    QueueDescriptor.setLongVolatile(segment, QueueDescriptor.RECEIVER_NOTIFY_BITS_OFFSET, bits);
    QueueDescriptor.setLongVolatile(segment, QueueDescriptor.RECEIVER_NOTIFY_OFFSET, thread);
  }

  // --- states ----------------------------------------------------------------------------------

  /**
   * WAITING while the peer's state is OPEN; else this end's final status (PEER_DEAD, or
   * PROTOCOL_ERROR for a value no peer writes).
   */
  final int peerGone() {
    final int state = QueueDescriptor.intVolatile(segment, peerState);
    if (state == OPEN) {
      return WAITING;
    }
    return switch (state) {
      case CLOSED -> end(Status.PEER_DEAD, "the " + peerName + " closed the queue");
      case DEAD -> end(Status.PEER_DEAD, "the " + peerName + " died");
      case FAILED -> end(Status.PEER_DEAD, "the " + peerName + " gave the queue up: it found a protocol error");
      default -> fail(peerName.toUpperCase(java.util.Locale.ROOT) + "_STATE is " + state
          + ", not OPEN (0), CLOSED (1), DEAD (2) or FAILED (3)");
    };
  }

  /** Ends this end with {@code code} (in its phase) if it has no final status yet; returns the final status. */
  final int end(int code, String why) {
    if (status == Status.OK) {
      status = phase | code;
      failure = why;
    }
    return status;
  }

  /**
   * The peer broke the protocol: this end ends with PROTOCOL_ERROR, tells the peer (its state
   * FAILED) and wakes it. Returns the final status.
   */
  final int fail(String why) {
    final boolean first = status == Status.OK;
    end(Status.PROTOCOL_ERROR, why);
    if (first) {
      QueueDescriptor.setIntVolatile(segment, ownState, FAILED);
      wakePeerIfSleeping();
    }
    return status;
  }

  /**
   * Closes this end: CLOSED for itself from now on, and its state word moved from OPEN to CLOSED
   * for the peer, which is woken. The word moves even after this end ended with PEER_DEAD: a peer
   * reported dead may still run (its space ended while it sent), and must not wait for room for
   * ever (docs/ring-model.md, finding 1). A FAILED or DEAD word stays.
   */
  final void closeEnd() {
    status = phase | Status.CLOSED;
    failure = "this end was closed";
    if (QueueDescriptor.casInt(segment, ownState, OPEN, CLOSED)) {
      wakePeerIfSleeping();
    }
  }

  /**
   * The peer is gone for good: its state word DEAD (unless it closed or failed first), and this
   * end woken, as a third party marks a dead side ({@link SideWatch#markDead}). Any thread.
   */
  public final void peerDied() {
    SideWatch.markDead(segment, phase == Status.RECEIVE_PHASE, doorbell);
  }

  /** The offset of this end's SLEEPING word in {@link #segment()}: what a waitset sleeps on for it (expected value 1). */
  public final long sleepingWordOffset() {
    return ownSleeping;
  }

  /** The queue's memory. */
  public final MemorySegment segment() {
    return segment;
  }
}
