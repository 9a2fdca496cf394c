package dev.nucleus.async.internal;

import dev.nucleus.async.Doorbell;
import dev.nucleus.kernel.Timeout;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-JVM {@link Doorbell}: a sleeper registers (word address, thread) in a fixed table and
 * parks; a waker unparks every thread registered on the word.
 *
 * <pre>
 * Implementation overview
 *
 *   await(word, expected):  i := a free entry (CAS THREADS[i] null -> me); ADDRESSES[i] := word
 *                           if word == expected: park          (all volatile)
 *                           ADDRESSES[i] := 0; THREADS[i] := null
 *   wake(word):             for each i: if ADDRESSES[i] == word: unpark(THREADS[i])
 * </pre>
 *
 * The futex promise, from the caller's order "change the word, then wake": the sleeper stores
 * its registration and then loads the word; the waker stores the word and then loads the
 * registrations. All four are volatile, so one of the two loads sees the other side's store:
 * either the sleeper sees the word changed and does not park, or the waker sees the registration
 * and unparks (and an unpark that comes before the park makes the park return at once). A waker
 * that reads an entry being reused may unpark the wrong thread: a spurious wake-up, which every
 * caller of {@link #await} tolerates.
 *
 * <p>A sleeper that finds the table full polls the word with yields instead of parking: slower,
 * never lost. {@link #CAPACITY}: a queue has at most two sleepers (one per end), so a doorbell
 * shared by 32 queues still parks every one; a wake scans the table, which a waker does only
 * after a sleeper announced itself. Allocates nothing. Thread-safe.
 */
public final class ParkingDoorbell implements Doorbell {

  /** Threads that can park at once; more poll. */
  public static final int CAPACITY = 64;

  private final AtomicLongArray addresses = new AtomicLongArray(CAPACITY);
  private final AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(CAPACITY);

  @Override
  public void await(MemorySegment segment, long offset, int expected, long deadline) {
    final long word = segment.address() + offset;
    final Thread me = Thread.currentThread();
    final int entry = register(word, me);
    try {
      if (QueueDescriptor.intVolatile(segment, offset) != expected) {
        return;
      }
      if (entry < 0) {
        Thread.yield(); // table full: the caller's loop re-checks, as a poll
        return;
      }
      if (deadline == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else {
        final long nanos = deadline - Timeout.now();
        if (nanos > 0) {
          LockSupport.parkNanos(this, nanos);
        }
      }
    } finally {
      if (entry >= 0) {
        addresses.set(entry, 0L);
        threads.set(entry, null);
      }
    }
  }

  @Override
  public void wake(MemorySegment segment, long offset) {
    final long word = segment.address() + offset;
    for (int i = 0; i < CAPACITY; i++) {
      if (addresses.get(i) == word) {
        final Thread t = threads.get(i);
        if (t != null) {
          LockSupport.unpark(t);
        }
      }
    }
  }

  /** Takes a free entry for {@code me} on {@code word}; -1 if the table is full. */
  private int register(long word, Thread me) {
    for (int i = 0; i < CAPACITY; i++) {
      if (threads.get(i) == null && threads.compareAndSet(i, null, me)) {
        addresses.set(i, word);
        return i;
      }
    }
    return -1;
  }
}
