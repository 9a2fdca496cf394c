package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sending and receiving a message allocates nothing, on either side: every way to send (offer,
 * send, claim and commit) and to receive (poll, a blocking receive with a handler, a receive into
 * a buffer), through a queue in one thread and between two threads that sleep and wake.
 *
 * <p>What is measured, as in the bench's NucleusAllocationTest: each thread's own allocation
 * counter (com.sun.management.ThreadMXBean) around the measured messages, after a warm-up in the
 * same loop. A run counts when a side allocated less than one byte per message (the smallest
 * object is 16 bytes, so even one allocation in sixteen messages fails every run); a run that did
 * not count is repeated, up to {@link #ATTEMPTS} times with twice the warm-up, so that a method
 * compiled late does not fail the test.
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Allocation per message")
class QueueAllocationTest {

  private static final int WARMUP = 50_000;
  private static final int MESSAGES = 100_000;
  private static final int ATTEMPTS = 5;
  private static final double LESS_THAN_ONE_OBJECT_IN_SIXTEEN = 1.0;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @BeforeAll
  static void countAllocations() {
    assertThat(THREADS.isThreadAllocatedMemorySupported()).as("the JVM counts per-thread allocation").isTrue();
    THREADS.setThreadAllocatedMemoryEnabled(true);
  }

  @Test
  @DisplayName("one thread that sends and receives each message allocates nothing per message")
  void shouldAllocateNothingInOneThread() {
    try (TestQueue q = TestQueue.spinning(64); Arena arena = Arena.ofConfined()) {
      final MemorySegment out = arena.allocate(200, 8);
      final MemorySegment in = arena.allocate(200, 8);
      final long[] sum = {0};
      final MessageHandler handler = m -> sum[0] += m.getLong(0) + m.length();
      final List<Double> runs = new ArrayList<>();
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        final int warmup = WARMUP << attempt;
        long before = 0;
        for (int i = 0; i < warmup + MESSAGES; i++) {
          if (i == warmup) {
            before = THREADS.getCurrentThreadAllocatedBytes();
          }
          final int length = 8 + (i % 25) * 8;
          switch (i % 3) {
            case 0 -> check(q.sender.offer(out, 0, length));
            case 1 -> check(q.sender.send(out, 0, length, Timeout.NEVER));
            default -> {
              check(q.sender.claim(length, Timeout.ZERO));
              q.sender.claimed().putLong(0, i);
              q.sender.commit();
            }
          }
          switch (i % 4) {
            case 0 -> check(q.receiver.poll(handler, 1) == 1 ? Status.OK : -1);
            case 1 -> check(q.receiver.receive(handler, Timeout.NEVER));
            case 2 -> check(q.receiver.receive(in, 0, 200, Timeout.ZERO) == length ? Status.OK : -1);
            default -> check(q.receiver.receive(handler, Timeout.relative(1_000_000)));
          }
        }
        final double perMessage = (double) (THREADS.getCurrentThreadAllocatedBytes() - before) / MESSAGES;
        runs.add(perMessage);
        if (perMessage < LESS_THAN_ONE_OBJECT_IN_SIXTEEN) {
          return;
        }
      }
      throw new AssertionError("bytes per message in each of " + ATTEMPTS + " runs: " + runs);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(WaitStrategy.class)
  @DisplayName("a sender thread and a receiver thread, waiting as the strategy says, allocate nothing per message")
  void shouldAllocateNothingBetweenTwoThreads(WaitStrategy strategy) throws InterruptedException {
    final List<String> runs = new ArrayList<>();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      final int warmup = WARMUP << attempt;
      final AtomicLong senderBytes = new AtomicLong(-1);
      final AtomicLong receiverBytes = new AtomicLong(-1);
      final AtomicLong progress = new AtomicLong();
      try (TestQueue q = new TestQueue(16, strategy, strategy)) {
        Watchdog.run("allocation", Duration.ofSeconds(20), progress::get, q.receiver::toString,
            () -> {
              q.sender.peerDied();
              q.receiver.peerDied();
            },
            () -> {
              try (Arena arena = Arena.ofConfined()) {
                final MemorySegment out = arena.allocate(64, 8);
                long before = 0;
                for (int i = 0; i < warmup + MESSAGES; i++) {
                  if (i == warmup) {
                    before = THREADS.getCurrentThreadAllocatedBytes();
                  }
                  if ((i & 1) == 0) {
                    check(q.sender.send(out, 0, 56, Timeout.NEVER));
                  } else {
                    check(q.sender.claim(8, Timeout.NEVER));
                    q.sender.claimed().putLong(0, i);
                    q.sender.commit();
                  }
                  progress.incrementAndGet();
                }
                senderBytes.set(THREADS.getCurrentThreadAllocatedBytes() - before);
              }
            },
            () -> {
              try (Arena arena = Arena.ofConfined()) {
                final MemorySegment in = arena.allocate(64, 8);
                final long[] sum = {0};
                final MessageHandler handler = m -> sum[0] += m.length();
                long before = 0;
                for (int i = 0; i < warmup + MESSAGES; i++) {
                  if (i == warmup) {
                    before = THREADS.getCurrentThreadAllocatedBytes();
                  }
                  if ((i & 1) == 0) {
                    check(q.receiver.receive(handler, Timeout.NEVER));
                  } else {
                    check(q.receiver.receive(in, 0, 64, Timeout.NEVER) >= 0 ? Status.OK : -1);
                  }
                  progress.incrementAndGet();
                }
                receiverBytes.set(THREADS.getCurrentThreadAllocatedBytes() - before);
              }
            });
      }
      final double sender = (double) senderBytes.get() / MESSAGES;
      final double receiver = (double) receiverBytes.get() / MESSAGES;
      runs.add(String.format("sender %.3f B, receiver %.3f B", sender, receiver));
      if (sender < LESS_THAN_ONE_OBJECT_IN_SIXTEEN && receiver < LESS_THAN_ONE_OBJECT_IN_SIXTEEN) {
        return;
      }
    }
    throw new AssertionError(strategy + ": per message in each of " + ATTEMPTS + " runs: " + runs);
  }

  private static void check(int status) {
    if (status != Status.OK) {
      throw new AssertionError(QueueStatus.toString(status));
    }
  }
}
