package dev.nucleus.async.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.async.Doorbell;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store-buffering litmus tests of the lazy wake-up, on the real code, in both directions. In
 * each round one side publishes (the sender commits a message; the receiver publishes its read
 * position) while the other announces that it sleeps, both started together after a random few
 * spins. Forbidden outcome: the sleeper's re-check missed the publication (it would sleep) and
 * the publisher's look at the SLEEPING word missed the announcement (it would not wake it). Only
 * the StoreLoad order of each side (volatile store, then volatile load) forbids it: with a release
 * store in place of either volatile one, x86's store buffer produces it hundreds of times per
 * million rounds on a 2-vCPU VM (tried when this test was written).
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("The wake-up's store-load pairs")
class WakeUpLitmusTest {

  private static final int ROUNDS = 1_000_000;

  /** Counts the wake calls on each SLEEPING word; never sleeps (nobody sleeps in this test). */
  private static final class CountingDoorbell implements Doorbell {
    final AtomicLong wakes = new AtomicLong();
    final AtomicLong senderWakes = new AtomicLong();

    @Override
    public void await(MemorySegment segment, long offset, int expected, long deadline) {
      throw new AssertionError("nobody sleeps here");
    }

    @Override
    public void wake(MemorySegment segment, long offset) {
      (offset == QueueDescriptor.SENDER_SLEEPING_OFFSET ? senderWakes : wakes).incrementAndGet();
    }
  }

  @Test
  @DisplayName("a message committed while the receiver announces its sleep is seen by the receiver or wakes it")
  void shouldNeverMissBoth() throws InterruptedException {
    try (Arena arena = Arena.ofShared()) {
      final MemorySegment memory = arena.allocate(QueueDescriptor.totalSize(1024), 64);
      QueueDescriptor.format(memory, 1024);
      final CountingDoorbell doorbell = new CountingDoorbell();
      final RingSender sender = new RingSender(memory, doorbell, WaitStrategy.SPIN);
      final RingReceiver receiver = new RingReceiver(memory, doorbell, WaitStrategy.BLOCK); // one that may sleep: a SPIN one never announces
      final AtomicLong go = new AtomicLong(-1);
      final AtomicLong committed = new AtomicLong(-1);
      final AtomicReference<Throwable> failed = new AtomicReference<>();
      final Thread senderThread = Thread.ofPlatform().daemon().start(() -> {
        final SplittableRandom random = new SplittableRandom(1);
        try {
          for (long round = 0; round < ROUNDS; round++) {
            while (go.get() < round) {
              Thread.onSpinWait();
            }
            for (int spins = random.nextInt(32); spins > 0; spins--) {
              Thread.onSpinWait();
            }
            if (sender.claim(8, Timeout.NEVER) != Status.OK) {
              throw new AssertionError("claim " + round);
            }
            sender.commit();
            committed.set(round);
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      final SplittableRandom random = new SplittableRandom(2);
      long lost = 0;
      long slept = 0;
      for (long round = 0; round < ROUNDS && failed.get() == null; round++) {
        final long wakesBefore = doorbell.wakes.get();
        go.set(round);
        for (int spins = random.nextInt(32); spins > 0; spins--) {
          Thread.onSpinWait();
        }
        final boolean wouldSleep = receiver.announceSleep();
        while (committed.get() < round && failed.get() == null) {
          Thread.onSpinWait();
        }
        if (wouldSleep) {
          slept++;
          if (doorbell.wakes.get() == wakesBefore) {
            lost++;
          }
          receiver.endSleep();
        }
        if (receiver.poll(m -> {}, 1) != 1) {
          throw new AssertionError("round " + round + ": the message is not there");
        }
      }
      senderThread.join(10_000);
      assertThat(failed.get()).isNull();
      System.out.printf("wake-up litmus: %d rounds, the receiver would have slept in %d, %d lost%n", ROUNDS, slept, lost);
      assertThat(lost).as("rounds in which both sides missed the other (of %d that would have slept)", slept).isZero();
    }
  }

  @Test
  @DisplayName("a read position published while the sender announces its sleep is seen by the sender or wakes it")
  void shouldNeverMissBothForRoom() throws InterruptedException {
    try (Arena arena = Arena.ofShared()) {
      final MemorySegment memory = arena.allocate(QueueDescriptor.totalSize(1024), 64);
      QueueDescriptor.format(memory, 1024);
      final CountingDoorbell doorbell = new CountingDoorbell();
      final RingSender sender = new RingSender(memory, doorbell, WaitStrategy.SPIN);
      final RingReceiver receiver = new RingReceiver(memory, doorbell, WaitStrategy.BLOCK); // one that may sleep: a SPIN one never announces
      final AtomicLong sent = new AtomicLong(-1);
      final AtomicLong go = new AtomicLong(-1);
      final AtomicLong announced = new AtomicLong(-1);
      final AtomicLong wouldSleep = new AtomicLong();
      final AtomicReference<Throwable> failed = new AtomicReference<>();
      final Thread senderThread = Thread.ofPlatform().daemon().start(() -> {
        final SplittableRandom random = new SplittableRandom(3);
        try {
          for (long round = 0; round < ROUNDS; round++) {
            if (sender.claim(8, Timeout.NEVER) != Status.OK) {
              throw new AssertionError("claim " + round);
            }
            sender.commit();
            sender.poll(); // the sender's cached read position is current: only a new publication changes it
            sent.set(round);
            while (go.get() < round) {
              Thread.onSpinWait();
            }
            for (int spins = random.nextInt(32); spins > 0; spins--) {
              Thread.onSpinWait();
            }
            if (sender.announceSleep()) {
              wouldSleep.incrementAndGet();
              announced.set(2 * round + 1);
            } else {
              announced.set(2 * round);
            }
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      final SplittableRandom random = new SplittableRandom(4);
      long lost = 0;
      for (long round = 0; round < ROUNDS && failed.get() == null; round++) {
        while (sent.get() < round && failed.get() == null) {
          Thread.onSpinWait();
        }
        if (receiver.poll(m -> {}, 1) != 1) {
          throw new AssertionError("round " + round + ": the message is not there");
        }
        final long wakesBefore = doorbell.senderWakes.get();
        go.set(round);
        for (int spins = random.nextInt(32); spins > 0; spins--) {
          Thread.onSpinWait();
        }
        receiver.announceSleep(); // publishes the read position first, then looks at SENDER_SLEEPING
        receiver.endSleep();
        long outcome;
        while ((outcome = announced.get()) < 2 * round && failed.get() == null) {
          Thread.onSpinWait();
        }
        if (outcome == 2 * round + 1 && doorbell.senderWakes.get() == wakesBefore) {
          lost++;
        }
        sender.endSleep(); // the word is the queue's: either side may clear it here, both are between rounds
      }
      senderThread.join(10_000);
      assertThat(failed.get()).isNull();
      System.out.printf("room litmus: %d rounds, the sender would have slept in %d, %d lost%n", ROUNDS,
          wouldSleep.get(), lost);
      assertThat(lost).as("rounds in which both sides missed the other (of %d that would have slept)", wouldSleep.get())
          .isZero();
    }
  }
}
