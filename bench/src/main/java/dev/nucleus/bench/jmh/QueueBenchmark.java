package dev.nucleus.bench.jmh;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.MessageHandler;
import dev.nucleus.async.QueueMemory;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.QueueSender;
import dev.nucleus.async.ReceivedMessage;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one-way queue's own code, without a second core: one thread sends a burst of {@value #BURST}
 * messages and then takes them, per operation (so a figure is the cost of one message's send and
 * receive together). The same burst through Agrona's {@code OneToOneRingBuffer} and JCTools'
 * {@code SpscArrayQueue} (pooled {@code long[]} messages), used as the one-way bench uses them
 * (docs/performance.md, "One-way throughput"): what each one's instructions cost when no cache line
 * has to travel. Run with {@code -prof gc} to show that the queue allocates nothing per message
 * ({@code gc.alloc.rate.norm} = 0 B/op).
 *
 * <pre>./nucleus jmh Queue -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@OperationsPerInvocation(QueueBenchmark.BURST)
public class QueueBenchmark {

  /** Messages sent, then taken, per operation: well inside every ring, so no send is refused. */
  static final int BURST = 64;

  /** Slots of the queue; the other two hold as many messages or as many bytes. */
  static final int SLOTS = 1024;

  /** The Nucleus queue: {@code claim}, {@code putLong} in place, {@code commit}; {@code poll}. */
  @Benchmark
  public long nucleus(NucleusQueue q) {
    final QueueSender sender = q.sender;
    final int bytes = q.bytes;
    final int words = bytes / Long.BYTES;
    for (int m = 0; m < BURST; m++) {
      if (sender.claim(bytes, Timeout.ZERO) != Status.OK) {
        throw new IllegalStateException("claim refused: " + sender);
      }
      for (int i = 0; i < words; i++) {
        sender.claimed().putLong(i * Long.BYTES, m + i);
      }
      sender.commit();
    }
    int taken = 0;
    while (taken < BURST) {
      taken += q.receiver.poll(q.sum, BURST - taken);
    }
    return q.sum.total;
  }

  /** Agrona: {@code tryClaim}, {@code putLong} in place, {@code commit}; {@code read}. */
  @Benchmark
  public long agrona(AgronaRing r) {
    final OneToOneRingBuffer ring = r.ring;
    final var buffer = ring.buffer();
    final int bytes = r.bytes;
    final int words = bytes / Long.BYTES;
    for (int m = 0; m < BURST; m++) {
      final int index = ring.tryClaim(AgronaRing.TYPE, bytes);
      if (index <= 0) {
        throw new IllegalStateException("claim refused");
      }
      for (int i = 0; i < words; i++) {
        buffer.putLong(index + i * Long.BYTES, m + i);
      }
      ring.commit(index);
    }
    int taken = 0;
    while (taken < BURST) {
      taken += ring.read(r.sum, BURST - taken);
    }
    return r.sum.total;
  }

  /** JCTools: {@code offer} of a pooled {@code long[]}; {@code drain}. */
  @Benchmark
  public long jctools(JctoolsQueue q) {
    final long[][] pool = q.pool;
    for (int m = 0; m < BURST; m++) {
      final long[] message = pool[q.next];
      q.next = q.next + 1 == pool.length ? 0 : q.next + 1;
      for (int i = 0; i < message.length; i++) {
        message[i] = m + i;
      }
      if (!q.queue.offer(message)) {
        throw new IllegalStateException("offer refused");
      }
    }
    int taken = 0;
    while (taken < BURST) {
      taken += q.queue.drain(q.sum, BURST - taken);
    }
    return q.sum.total;
  }

  /** A Nucleus queue of {@value #SLOTS} slots in native memory, both ends attached with SPIN. */
  @State(Scope.Thread)
  public static class NucleusQueue {
    /** Payload bytes of each message: one word, or one whole queue slot. */
    @Param({"8", "56"})
    public int bytes;

    final Sum sum = new Sum();
    Arena arena;
    QueueSender sender;
    QueueReceiver receiver;

    @Setup(Level.Trial)
    public void setUp() {
      arena = Arena.ofShared();
      final MemorySegment memory = arena.allocate(QueueMemory.bytesFor(SLOTS), 64);
      QueueMemory.format(memory, SLOTS);
      sender = QueueSender.attach(memory, Doorbell.polling(), WaitStrategy.SPIN);
      receiver = QueueReceiver.attach(memory, Doorbell.polling(), WaitStrategy.SPIN);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      sender.close();
      receiver.close();
      arena.close();
    }
  }

  /** Agrona's ring of the queue's ring bytes, on a direct buffer. */
  @State(Scope.Thread)
  public static class AgronaRing {
    static final int TYPE = 1;

    @Param({"8", "56"})
    public int bytes;

    final Sum sum = new Sum();
    OneToOneRingBuffer ring;

    @Setup(Level.Trial)
    public void setUp() {
      ring = new OneToOneRingBuffer(new UnsafeBuffer(
          ByteBuffer.allocateDirect(SLOTS * 64 + RingBufferDescriptor.TRAILER_LENGTH)));
    }
  }

  /** JCTools' queue of as many messages as the queue has slots, and twice as many pooled arrays. */
  @State(Scope.Thread)
  public static class JctoolsQueue {
    @Param({"8", "56"})
    public int bytes;

    final Sum sum = new Sum();
    SpscArrayQueue<long[]> queue;
    long[][] pool;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      queue = new SpscArrayQueue<>(SLOTS);
      pool = new long[2 * SLOTS][bytes / Long.BYTES];
    }
  }

  /** Reads every word of every message, whichever queue it came from. */
  static final class Sum implements MessageHandler, org.agrona.concurrent.MessageHandler,
      org.jctools.queues.MessagePassingQueue.Consumer<long[]> {
    long total;

    @Override
    public void onMessage(ReceivedMessage message) {
      final int length = message.length();
      for (int at = 0; at < length; at += Long.BYTES) {
        total += message.getLong(at);
      }
    }

    @Override
    public void onMessage(int type, org.agrona.MutableDirectBuffer buffer, int index, int length) {
      for (int at = 0; at < length; at += Long.BYTES) {
        total += buffer.getLong(index + at);
      }
    }

    @Override
    public void accept(long[] message) {
      for (final long word : message) {
        total += word;
      }
    }
  }
}
