package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.Interrupt;
import dev.nucleus.kernel.InterruptSource;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.async.internal.QueueDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A waitset: one kernel thread waiting for many queues, its notifications and an interrupt at
 * once, in both dispatch styles and with every wait strategy. The queues' senders are kernel
 * threads of another space with a channel to the waitset's, attached so that they wake a sleeping
 * waitset by notification.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("A waitset")
class WaitsetTest {

  private static final int QUEUES = 64;
  private static final int SENDERS = 4;
  private static final int MESSAGES_PER_QUEUE = 400;
  private static final int NOTIFICATION_BITS = 40;
  private static final int SLOTS = 16;

  private Kernel kernel;
  private Space receiving;
  private Space sending;
  private Arena arena;

  @BeforeEach
  void twoSpacesWithAChannel() {
    kernel = Kernel.create();
    receiving = kernel.createSpace("receiving");
    sending = kernel.createSpace("sending");
    kernel.createChannel(receiving, sending);
    arena = Arena.ofShared();
  }

  @AfterEach
  void closeAll() {
    kernel.close();
    arena.close();
  }

  private MemorySegment newQueue(int slots) {
    final MemorySegment m = arena.allocate(QueueMemory.bytesFor(slots), 64);
    QueueMemory.format(m, slots);
    return m;
  }

  enum Style { DISPATCH, NEXT }

  @ParameterizedTest(name = "{0}, {1}")
  @EnumSource(value = WaitStrategy.class)
  @DisplayName("over 64 queues, 40 notification bits and a timer interrupt delivers every event once, each queue in order")
  void shouldDeliverEveryEventOnce(WaitStrategy strategy) throws Exception {
    for (Style style : Style.values()) {
      everyEventOnce(strategy, style);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = WaitStrategy.class, names = {"BLOCK", "ADAPTIVE"})
  @DisplayName("asleep, is woken by each queue's sender at once, with no later look to fall back on")
  void shouldBeWokenBySenders(WaitStrategy strategy) throws Exception {
    for (Style style : Style.values()) {
      everyEvent(strategy, style, false);
    }
  }

  private void everyEventOnce(WaitStrategy strategy, Style style) throws Exception {
    everyEvent(strategy, style, true);
  }

  private void everyEvent(WaitStrategy strategy, Style style, boolean kernelEvents) throws Exception {
    final MemorySegment[] memory = new MemorySegment[QUEUES];
    for (int i = 0; i < QUEUES; i++) {
      memory[i] = newQueue(SLOTS);
    }
    final IpcThread owner = receiving.attach("waitset-" + style, WaitStrategy.BLOCK);
    final long[] nextSeq = new long[QUEUES];
    final AtomicLong seenBits = new AtomicLong();
    final long[] duplicateBits = {0};
    final int[] interrupts = {0};
    final List<String> errors = new ArrayList<>();
    final AtomicReference<Throwable> senderFailure = new AtomicReference<>();
    Interrupt tick = null;
    try (Waitset ws = Waitset.create(owner, strategy)) {
      ws.sleepAtMost(Duration.ofMinutes(10).toNanos()); // no safety net: a lost wake-up is a stall, and fails
      final int[] keys = new int[QUEUES];
      for (int i = 0; i < QUEUES; i++) {
        final QueueReceiver r = QueueReceiver.attach(memory[i], Doorbell.futex(), WaitStrategy.BLOCK);
        final int q = i;
        keys[i] = style == Style.DISPATCH
            ? ws.add(r, m -> check(q, m.getLong(0), m.getLong(8), m.length(), nextSeq, errors))
            : ws.add(r);
      }
      assertThat(keys).as("keys are given in order").containsExactly(java.util.stream.IntStream.range(0, QUEUES).toArray());
      ws.onNotification(bits -> noteBits(bits, seenBits, duplicateBits));
      ws.onMessage(t -> {
        if (MessageTag.label(t.tag()) == MessageTag.INTERRUPT_LABEL) {
          interrupts[0]++;
          assertThat(t.mr(1)).as("firings a delivery stands for").isPositive();
        }
        t.setTag(MessageTag.of(0, 0));
        t.reply();
      });
      for (int s = 0; s < SENDERS; s++) {
        final int first = s * (QUEUES / SENDERS);
        sending.spawn("sender-" + s, WaitStrategy.BLOCK, self -> sendAll(self, memory, first, senderFailure));
      }
      final long ownerId = owner.id();
      if (kernelEvents) {
        sending.spawn("notifier", WaitStrategy.BLOCK, self -> {
          for (int b = 0; b < NOTIFICATION_BITS; b++) {
            final long bit = 1L << b;
            assertThat(self.notifyBits(ownerId, bit)).isEqualTo(Status.OK);
            while ((seenBits.get() & bit) == 0) { // one bit at a time, so each is a separate event
              Thread.onSpinWait();
            }
          }
        });
        tick = kernel.attachInterrupt("tick", InterruptSource.periodic(Duration.ofMillis(1)), owner.id());
      }
      final long allMessages = (long) QUEUES * MESSAGES_PER_QUEUE;
      final WaitsetEvent event = new WaitsetEvent(56);
      while (received(nextSeq) < allMessages
          || kernelEvents && (Long.bitCount(seenBits.get()) < NOTIFICATION_BITS || interrupts[0] < 5)) {
        assertThat(senderFailure.get()).as("a sender's failure").isNull();
        if (style == Style.DISPATCH) {
          assertThat(ws.dispatch(Timeout.relative(Duration.ofSeconds(20)))).as("events handled").isPositive();
        } else {
          assertThat(ws.next(event, Timeout.relative(Duration.ofSeconds(20)))).as("next event").isEqualTo(Status.OK);
          switch (event.kind()) {
            case QUEUE_MESSAGE -> check(event.queue(), event.buffer().get(ValueLayout.JAVA_LONG, 0),
                event.buffer().get(ValueLayout.JAVA_LONG, 8), event.length(), nextSeq, errors);
            case NOTIFICATION -> noteBits(event.bits(), seenBits, duplicateBits);
            case MESSAGE -> {
              assertThat(MessageTag.label(owner.tag())).isEqualTo(MessageTag.INTERRUPT_LABEL);
              interrupts[0]++;
              owner.setTag(MessageTag.of(0, 0));
              owner.reply();
            }
            default -> errors.add("unexpected event " + event);
          }
        }
      }
      assertThat(errors).isEmpty();
      assertThat(received(nextSeq)).isEqualTo(allMessages);
      if (!kernelEvents) {
        return;
      }
      final long delivered = tick.deliveries();
      tick.close();
      assertThat(duplicateBits[0]).as("bits seen twice").isZero();
      assertThat(seenBits.get()).isEqualTo((1L << NOTIFICATION_BITS) - 1);
      assertThat(interrupts[0] - delivered).as("deliveries handled here less those the kernel counts as acknowledged "
          + "(it counts the last one once its call returns, which may be after this read)").isBetween(0L, 1L);
      assertThat(ws.next(event, Timeout.ZERO)).as("nothing more").isIn(QueueStatus.EMPTY, Status.OK);
      if (event.kind() == WaitsetEvent.Kind.MESSAGE) { // the last tick, delivered before the close
        owner.reply();
      }
    } finally {
      if (tick != null) {
        tick.close();
      }
      owner.close();
    }
  }

  private static long received(long[] nextSeq) {
    long sum = 0;
    for (long n : nextSeq) {
      sum += n;
    }
    return sum;
  }

  private static void noteBits(long bits, AtomicLong seen, long[] duplicates) {
    assertThat(bits & Waitset.QUEUE_BIT).as("the queue bit is the waitset's").isZero();
    duplicates[0] += Long.bitCount(seen.get() & bits);
    seen.getAndAccumulate(bits, (a, b) -> a | b);
  }

  private static void check(int queue, long q, long seq, long length, long[] nextSeq, List<String> errors) {
    if (q != queue || seq != nextSeq[queue] || length != 16) {
      errors.add("queue " + queue + " got (queue " + q + ", seq " + seq + ", " + length + " bytes), expected seq "
          + nextSeq[queue]);
    }
    nextSeq[queue]++;
  }

  /** Sends MESSAGES_PER_QUEUE messages to each of this sender's queues, round-robin, waiting for room. */
  private void sendAll(IpcThread self, MemorySegment[] memory, int first, AtomicReference<Throwable> failure) {
    final int n = QUEUES / SENDERS;
    final QueueSender[] senders = new QueueSender[n];
    for (int i = 0; i < n; i++) {
      senders[i] = QueueSender.attach(memory[first + i], Doorbell.futex(), WaitStrategy.BLOCK, self, receiving.number());
    }
    try (Arena scratch = Arena.ofConfined()) {
      final MemorySegment msg = scratch.allocate(16);
      for (int seq = 0; seq < MESSAGES_PER_QUEUE; seq++) {
        for (int i = 0; i < n; i++) {
          msg.set(ValueLayout.JAVA_LONG, 0, first + i);
          msg.set(ValueLayout.JAVA_LONG, 8, seq);
          final int st = senders[i].send(msg, 0, 16, Timeout.relative(Duration.ofSeconds(30)));
          if (st != Status.OK) {
            throw new AssertionError("send to queue " + (first + i) + " #" + seq + ": " + QueueStatus.toString(st));
          }
        }
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      throw t;
    }
  }

  @Test
  @DisplayName("reports a queue whose sender died once everything it sent was taken, and serves the other queues on")
  void shouldReportADeadSenderAfterItsMessages() throws Exception {
    final MemorySegment dying = newQueue(SLOTS);
    final MemorySegment living = newQueue(SLOTS);
    final IpcThread owner = receiving.attach("waitset", WaitStrategy.BLOCK);
    final IpcThread sender = sending.attach("sender", WaitStrategy.BLOCK);
    try (Waitset ws = Waitset.create(owner, WaitStrategy.BLOCK); Arena scratch = Arena.ofConfined()) {
      final QueueReceiver dyingEnd = QueueReceiver.attach(dying, Doorbell.futex(), WaitStrategy.BLOCK);
      final int d = ws.add(dyingEnd);
      final int l = ws.add(QueueReceiver.attach(living, Doorbell.futex(), WaitStrategy.BLOCK));
      final QueueSender toDying = QueueSender.attach(dying, Doorbell.futex(), WaitStrategy.BLOCK, sender, receiving.number());
      final QueueSender toLiving = QueueSender.attach(living, Doorbell.futex(), WaitStrategy.BLOCK, sender, receiving.number());
      final MemorySegment msg = scratch.allocate(8);
      for (long i = 0; i < 3; i++) {
        msg.set(ValueLayout.JAVA_LONG, 0, i);
        assertThat(toDying.offer(msg, 0, 8)).isEqualTo(Status.OK);
      }
      dyingEnd.peerDied(); // as the root's watcher does when the sender's space dies
      final WaitsetEvent event = new WaitsetEvent(8);
      for (long i = 0; i < 3; i++) {
        assertThat(ws.next(event, Timeout.relative(Duration.ofSeconds(10)))).isEqualTo(Status.OK);
        assertThat(event.kind()).isEqualTo(WaitsetEvent.Kind.QUEUE_MESSAGE);
        assertThat(event.queue()).isEqualTo(d);
        assertThat(event.buffer().get(ValueLayout.JAVA_LONG, 0)).isEqualTo(i);
      }
      assertThat(ws.next(event, Timeout.relative(Duration.ofSeconds(10)))).isEqualTo(Status.OK);
      assertThat(event.kind()).isEqualTo(WaitsetEvent.Kind.QUEUE_ENDED);
      assertThat(event.queue()).isEqualTo(d);
      assertThat(event.status()).isEqualTo(Status.receive(Status.PEER_DEAD));
      msg.set(ValueLayout.JAVA_LONG, 0, 42);
      assertThat(toLiving.offer(msg, 0, 8)).isEqualTo(Status.OK);
      assertThat(ws.next(event, Timeout.relative(Duration.ofSeconds(10)))).isEqualTo(Status.OK);
      assertThat(event.kind()).isEqualTo(WaitsetEvent.Kind.QUEUE_MESSAGE);
      assertThat(event.queue()).isEqualTo(l);
      assertThat(event.buffer().get(ValueLayout.JAVA_LONG, 0)).isEqualTo(42);
      assertThat(ws.next(event, Timeout.ZERO)).as("the dead queue is reported once").isEqualTo(QueueStatus.EMPTY);
    } finally {
      sender.close();
      owner.close();
    }
  }

  @Test
  @DisplayName("runs queue upcalls on a pool, one task per queue at a time, each queue in order")
  void shouldDispatchQueuesOnAPool() throws Exception {
    final int queues = 8;
    final int messages = 2_000;
    final MemorySegment[] memory = new MemorySegment[queues];
    final long[] nextSeq = new long[queues];
    final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    final java.util.Set<String> poolThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicLong handled = new AtomicLong();
    final ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "upcall-pool"));
    final IpcThread owner = receiving.attach("waitset", WaitStrategy.BLOCK);
    try (Waitset ws = Waitset.create(owner, WaitStrategy.ADAPTIVE)) {
      ws.dispatchQueuesOn(pool);
      for (int i = 0; i < queues; i++) {
        memory[i] = newQueue(SLOTS);
        final int q = i;
        ws.add(QueueReceiver.attach(memory[i], Doorbell.futex(), WaitStrategy.BLOCK), m -> {
          poolThreads.add(Thread.currentThread().getName());
          final long seq = m.getLong(8);
          if (m.getLong(0) != q || seq != nextSeq[q]) { // one task per queue at a time: no race on nextSeq[q]
            errors.add("queue " + q + " got seq " + seq + ", expected " + nextSeq[q]);
          }
          nextSeq[q] = seq + 1;
          handled.incrementAndGet();
        });
      }
      sending.spawn("sender", WaitStrategy.BLOCK, self -> {
        final QueueSender[] s = new QueueSender[queues];
        for (int i = 0; i < queues; i++) {
          s[i] = QueueSender.attach(memory[i], Doorbell.futex(), WaitStrategy.BLOCK, self, receiving.number());
        }
        try (Arena scratch = Arena.ofConfined()) {
          final MemorySegment msg = scratch.allocate(16);
          for (int seq = 0; seq < messages; seq++) {
            for (int i = 0; i < queues; i++) {
              msg.set(ValueLayout.JAVA_LONG, 0, i);
              msg.set(ValueLayout.JAVA_LONG, 8, seq);
              assertThat(s[i].send(msg, 0, 16, Timeout.relative(Duration.ofSeconds(30)))).isEqualTo(Status.OK);
            }
          }
        }
      });
      while (handled.get() < (long) queues * messages) {
        assertThat(ws.dispatch(Timeout.relative(Duration.ofSeconds(20)))).as("dispatch").isGreaterThanOrEqualTo(0);
        assertThat(receiving.isAlive() && sending.isAlive()).as("both spaces alive").isTrue();
      }
      assertThat(errors).isEmpty();
      assertThat(poolThreads).containsExactly("upcall-pool");
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
      owner.close();
    }
  }

  @Test
  @DisplayName("a sender whose receiver names a thread outside the receiver's space for its wake-up ends the queue with PROTOCOL_ERROR")
  void shouldRefuseAWakeUpTargetOutsideTheReceiversSpace() {
    final MemorySegment memory = newQueue(SLOTS);
    final IpcThread sender = sending.attach("sender", WaitStrategy.BLOCK);
    try (Arena scratch = Arena.ofConfined()) {
      final QueueSender s = QueueSender.attach(memory, Doorbell.futex(), WaitStrategy.BLOCK, sender, receiving.number());
      // A hostile receiver: asleep, and naming the sender's own thread (another space) as its wake-up.
      memory.set(ValueLayout.JAVA_LONG, QueueDescriptor.RECEIVER_NOTIFY_OFFSET, sender.id());
      memory.set(ValueLayout.JAVA_INT, QueueDescriptor.RECEIVER_SLEEPING_OFFSET, 1);
      final MemorySegment msg = scratch.allocate(8);
      assertThat(s.offer(msg, 0, 8)).as("the message itself was published").isEqualTo(Status.OK);
      assertThat(s.status()).isEqualTo(Status.send(Status.PROTOCOL_ERROR));
      assertThat(s.failure()).contains("RECEIVER_NOTIFY").contains("receiver's space " + receiving.number());
      assertThat(memory.get(ValueLayout.JAVA_INT, QueueDescriptor.SENDER_STATE_OFFSET)).isEqualTo(QueueDescriptor.FAILED);
      assertThat(sender.pollNotifications()).as("no notification was sent").isZero();
    } finally {
      sender.close();
    }
  }

  @Test
  @DisplayName("is used only by the thread that created it")
  void shouldRefuseOtherThreads() throws Exception {
    final IpcThread owner = receiving.attach("waitset", WaitStrategy.BLOCK);
    try (Waitset ws = Waitset.create(owner, WaitStrategy.BLOCK)) {
      final AtomicReference<Throwable> thrown = new AtomicReference<>();
      final Thread other = Thread.ofPlatform().start(() -> {
        try {
          ws.dispatch(Timeout.ZERO);
        } catch (Throwable t) {
          thrown.set(t);
        }
      });
      other.join();
      assertThat(thrown.get()).isInstanceOf(WrongThreadException.class).hasMessageContaining("thread that created it");
    } finally {
      owner.close();
    }
  }

  @Test
  @DisplayName("takes and dispatches events without allocating, once warm")
  void shouldAllocateNothingPerEvent() {
    final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    threads.setThreadAllocatedMemoryEnabled(true);
    final MemorySegment memory = newQueue(64);
    final IpcThread owner = receiving.attach("waitset", WaitStrategy.BLOCK);
    try (Waitset ws = Waitset.create(owner, WaitStrategy.SPIN); Arena scratch = Arena.ofConfined()) {
      final long[] sum = {0};
      final QueueSender sender = QueueSender.attach(memory, Doorbell.futex(), WaitStrategy.SPIN);
      ws.add(QueueReceiver.attach(memory, Doorbell.futex(), WaitStrategy.SPIN), m -> sum[0] += m.getLong(0));
      final WaitsetEvent event = new WaitsetEvent(64);
      final MemorySegment msg = scratch.allocate(8);
      final List<Double> bytesPerEvent = new ArrayList<>();
      for (int attempt = 0; attempt < 5; attempt++) {
        final int warmup = 50_000 << attempt;
        final int measured = 100_000;
        long before = 0;
        for (int i = 0; i < warmup + measured; i++) {
          if (i == warmup) {
            before = threads.getCurrentThreadAllocatedBytes();
          }
          msg.set(ValueLayout.JAVA_LONG, 0, i);
          final int sent = sender.offer(msg, 0, 8); // no AssertJ in the loop: it allocates
          final int taken = (i & 1) == 0 ? ws.dispatch(Timeout.ZERO) - 1 : ws.next(event, Timeout.ZERO);
          if (sent != Status.OK || taken != 0) {
            throw new AssertionError("message " + i + ": sent " + QueueStatus.toString(sent) + ", taken " + taken);
          }
          sum[0] += event.buffer().get(ValueLayout.JAVA_LONG, 0);
        }
        final double perEvent = (threads.getCurrentThreadAllocatedBytes() - before) / (double) measured;
        bytesPerEvent.add(perEvent);
        if (perEvent < 1.0) {
          break;
        }
      }
      assertThat(bytesPerEvent.getLast()).as("bytes per event in each attempt: %s", bytesPerEvent).isLessThan(1.0);
    } finally {
      owner.close();
    }
  }

  @Test
  @DisplayName("ends a watched queue whose sender thread has ended, after everything it sent")
  void shouldEndAWatchedQueueWhoseSenderEnded() throws Exception {
    final MemorySegment memory = newQueue(SLOTS);
    final IpcThread owner = receiving.attach("waitset", WaitStrategy.BLOCK);
    try (Waitset ws = Waitset.create(owner, WaitStrategy.BLOCK)) {
      final int key = ws.add(QueueReceiver.attach(memory, Doorbell.futex(), WaitStrategy.BLOCK));
      final java.util.concurrent.CountDownLatch watched = new java.util.concurrent.CountDownLatch(1);
      final IpcThread sender = sending.spawn("sender", WaitStrategy.BLOCK, self -> {
        final QueueSender s = QueueSender.attach(memory, Doorbell.futex(), WaitStrategy.BLOCK, self, receiving.number());
        watched.await();
        try (Arena scratch = Arena.ofConfined()) {
          final MemorySegment msg = scratch.allocate(8);
          for (long i = 0; i < 5; i++) {
            msg.set(ValueLayout.JAVA_LONG, 0, i);
            assertThat(s.offer(msg, 0, 8)).isEqualTo(Status.OK);
          }
        } // returns without closing its end: the thread ends, as if its space had died
      });
      ws.watch(key, sender.id());
      watched.countDown();
      final WaitsetEvent event = new WaitsetEvent(8);
      for (long i = 0; i < 5; i++) {
        assertThat(ws.next(event, Timeout.relative(Duration.ofSeconds(10)))).isEqualTo(Status.OK);
        assertThat(event.kind()).isEqualTo(WaitsetEvent.Kind.QUEUE_MESSAGE);
        assertThat(event.buffer().get(ValueLayout.JAVA_LONG, 0)).isEqualTo(i);
      }
      assertThat(ws.next(event, Timeout.relative(Duration.ofSeconds(10)))).isEqualTo(Status.OK);
      assertThat(event.kind()).isEqualTo(WaitsetEvent.Kind.QUEUE_ENDED);
      assertThat(event.status()).isEqualTo(Status.receive(Status.PEER_DEAD));
      assertThatThrownBy(() -> ws.watch(key, sender.id())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot see thread");
      assertThatThrownBy(() -> ws.watch(7, sender.id())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no queue 7");
    } finally {
      owner.close();
    }
  }

  @Test
  @DisplayName("a waitset that may sleep refuses a receiver attached with SPIN, which its sender never wakes")
  void shouldRefuseASpinningReceiverWhenItMaySleep() {
    final IpcThread owner = receiving.attach("waitset", WaitStrategy.BLOCK);
    for (WaitStrategy sleeps : new WaitStrategy[] {WaitStrategy.BLOCK, WaitStrategy.ADAPTIVE}) {
      try (Waitset ws = Waitset.create(owner, sleeps)) {
        final QueueReceiver spinning = QueueReceiver.attach(newQueue(8), Doorbell.futex(), WaitStrategy.SPIN);
        assertThatThrownBy(() -> ws.add(spinning)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("SPIN").hasMessageContaining(sleeps.name());
        assertThat(ws.add(QueueReceiver.attach(newQueue(8), Doorbell.futex(), sleeps))).isEqualTo(0);
      }
    }
    try (Waitset ws = Waitset.create(owner, WaitStrategy.SPIN)) {
      assertThat(ws.add(QueueReceiver.attach(newQueue(8), Doorbell.futex(), WaitStrategy.SPIN))).isEqualTo(0);
    }
    owner.close();
  }
}
