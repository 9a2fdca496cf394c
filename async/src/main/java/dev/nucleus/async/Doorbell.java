package dev.nucleus.async;

import dev.nucleus.async.internal.FutexDoorbell;
import dev.nucleus.async.internal.ParkingDoorbell;
import dev.nucleus.async.internal.PollingDoorbell;
import java.lang.foreign.MemorySegment;

/**
 * How a queue end sleeps on a 32-bit word of the queue's memory and how its peer wakes it: the
 * shape of a futex. The queue decides when to sleep and when to ring (only when the sleeper has
 * announced itself in that word, the lazy wake-up of docs/queue-wire.md, section 5); a doorbell
 * only has to keep the futex's one promise: a {@link #wake} made after the word stopped holding
 * the value a sleeper waits for is never lost, whichever of the two comes first.
 *
 * <p>Implementations: {@link #inJvm()} (park and unpark, both ends in this JVM),
 * {@link #polling()} (a sleeper that re-reads the word, at any distance, without system calls),
 * and {@link #futex()}, a futex on the word (FUTEX_WAIT and FUTEX_WAKE, shared) that the kernel
 * provides ({@link dev.nucleus.kernel.Futex}): at any distance, woken at once. Both ends of a queue must use doorbells that reach each other: the same
 * {@link #inJvm()} instance, or any doorbells that watch the word itself.
 *
 * <p>Implementations are thread-safe: any number of threads may sleep on and wake any words.
 */
public interface Doorbell {

  /**
   * Sleeps while the u32 at {@code offset} of {@code segment} holds {@code expected}: returns
   * when a {@link #wake} of that word is made, when {@code deadline} passes, or spuriously. Returns
   * at once if the word does not hold {@code expected} when checked. The caller re-checks what it
   * waits for.
   *
   * @param segment the queue's memory (native)
   * @param offset the word's offset, 4-byte aligned
   * @param expected the value to sleep on
   * @param deadline on the {@link dev.nucleus.kernel.Timeout#now()} clock; {@code Long.MAX_VALUE}
   *     for no deadline
   */
  void await(MemorySegment segment, long offset, int expected, long deadline);

  /**
   * Wakes every thread asleep in {@link #await} on the word at {@code offset} of {@code segment}.
   * The caller changes the word first. Does not block; allocates nothing.
   *
   * @param segment the queue's memory (native)
   * @param offset the word's offset
   */
  void wake(MemorySegment segment, long offset);

  /**
   * A doorbell for two ends in this JVM: a sleeper parks, a waker unparks it. Share one instance
   * between the two ends of a queue (or many queues). Sleepers beyond its table (64 at once) poll
   * the word instead of parking, which costs CPU but loses nothing.
   *
   * @return a new doorbell
   */
  static Doorbell inJvm() {
    return new ParkingDoorbell();
  }

  /**
   * A doorbell at any distance without system calls: a sleeper re-reads the word, backing off
   * from a yield to short parks of at most 1 ms, and {@link #wake} does nothing (the change of
   * the word is the wake-up). A wake-up costs up to that back-off; meant for tests and for peers
   * that have no futex.
   *
   * @return the polling doorbell (stateless, shared)
   */
  static Doorbell polling() {
    return PollingDoorbell.INSTANCE;
  }

  /**
   * A doorbell at any distance that wakes at once: the kernel's {@link dev.nucleus.kernel.Futex}
   * on the word (shared, so a wake reaches a sleeper in another process that maps the queue).
   * Where futexes are not available it sleeps in slices of 1 ms, as
   * {@link dev.nucleus.kernel.Futex} says. Use it at both ends of a queue in shared memory.
   *
   * @return the futex doorbell (stateless, shared)
   */
  static Doorbell futex() {
    return FutexDoorbell.INSTANCE;
  }
}
