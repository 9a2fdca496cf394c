package dev.nucleus.bench.oneway;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.MessageHandler;
import dev.nucleus.async.QueueMemory;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.QueueSender;
import dev.nucleus.async.QueueStatus;
import dev.nucleus.async.ReceivedMessage;
import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.PingPong;
import dev.nucleus.bench.Targets;
import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.Scratch;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * {@code queue-pingpong-process}: a round trip over two Nucleus one-way queues between two
 * processes, both busy-spinning, judged against {@code floor-c-spin} (one cache line each way
 * between two C processes).
 *
 * <pre>
 *   this JVM (times each round trip)                   echo child ({@link QueueEchoMain})
 *   t0 = nanoTime
 *   claim(8), putLong(seq), commit  --[ queue "ping" ]-->  poll: read seq
 *   poll until the echo is back     &lt;--[ queue "pong" ]--  claim(8), putLong(seq), commit
 *   t1 = nanoTime; check seq; record t1 - t0
 * </pre>
 *
 * <p>Both queues ({@value #SLOTS} slots each) lie in one {@link SharedRegion} of this JVM, which
 * the echo maps by its handle; the region is closed, and the echo killed and reaped, at the end of
 * every run. Each side counts its thread's allocation over the measured round trips (the echo
 * writes its count to a file when this side closes the ping queue). Bounded: either side fails
 * after {@link ThroughputLoop#STALL} without progress. Runs in a fresh JVM per run, as every
 * Nucleus entry ({@code ForkedPingPong}).
 */
public final class QueuePingPong implements PingPong {

  /** Slots of each queue: 16 KiB of ring each way; a round trip has one message in flight. */
  static final int SLOTS = 256;

  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final int CHECK_EVERY = 1 << 12;

  /** What the last run allocated per round trip; written and read on the bench thread. */
  private Allocation lastAllocation;

  @Override
  public String name() {
    return Targets.QUEUE_PINGPONG_PROCESS;
  }

  @Override
  public String floor() {
    return MechanismRegistry.FLOOR_C_SPIN;
  }

  @Override
  public String unavailableReason() {
    return SharedRegions.unavailableReason();
  }

  @Override
  public String description() {
    return "8-byte ping over one Nucleus queue, pong over another, an echo in another JVM, busy spin";
  }

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    lastAllocation = null;
    final long bytes = QueueMemory.bytesFor(SLOTS);
    try (SharedRegion region = SharedRegion.create(2 * bytes);
        Scratch scratch = Scratch.create()) {
      final MemorySegment ping = region.segment().asSlice(0, bytes);
      final MemorySegment pong = region.segment().asSlice(bytes, bytes);
      QueueMemory.format(ping, SLOTS);
      QueueMemory.format(pong, SLOTS);
      final Path out = scratch.resolve("echo.figures");
      try (ChildJvm echo = ChildJvm.start(scratch, "queue-echo", QueueEchoMain.class, List.of(), List.of(
          "region=" + region.handle(), "parent=" + ProcessHandle.current().pid(), "slots=" + SLOTS,
          "warmup=" + warmup, "iterations=" + iterations, "out=" + out))) {
        echo.awaitReady(READY_LIMIT);
        final QueueSender sender = QueueSender.attach(ping, Doorbell.polling(), WaitStrategy.SPIN);
        final QueueReceiver receiver = QueueReceiver.attach(pong, Doorbell.polling(), WaitStrategy.SPIN);
        final long[] client = pingPong(sender, receiver, warmup, iterations, roundTripsNs);
        sender.close(); // the echo takes everything, then PEER_DEAD: it writes its figures and exits
        echo.awaitSuccess(READY_LIMIT);
        final String[] server = Files.readString(out, StandardCharsets.US_ASCII).strip().split(" ");
        lastAllocation = Allocation.between(client[0], client[1], Long.parseLong(server[0]),
            Long.parseLong(server[1]), iterations);
      }
    }
  }

  /** The round trips; returns the thread's allocation counter at the start and the end of the measured ones. */
  private static long[] pingPong(QueueSender sender, QueueReceiver receiver, int warmup, int iterations,
      Histogram roundTripsNs) throws TimeoutException {
    final Echoed echoed = new Echoed();
    final long total = (long) warmup + iterations;
    final long stallNs = ThroughputLoop.STALL.toNanos();
    long before = warmup == 0 ? Allocation.currentThreadBytes() : 0;
    for (long seq = 0; seq < total; seq++) {
      if (seq == warmup) {
        before = Allocation.currentThreadBytes();
      }
      final long t0 = System.nanoTime();
      int status;
      int fruitless = 0;
      while ((status = sender.claim(Long.BYTES, Timeout.ZERO)) != Status.OK) {
        if (status != QueueStatus.FULL) {
          throw new IllegalStateException("ping " + seq + ": " + QueueStatus.toString(status) + " " + sender.failure());
        }
        if (++fruitless % CHECK_EVERY == 0) {
          checkStall(t0, stallNs, seq);
        }
      }
      sender.claimed().putLong(0, seq);
      sender.commit();
      while (receiver.poll(echoed, 1) == 0) {
        Thread.onSpinWait();
        if (++fruitless % CHECK_EVERY == 0) {
          if (receiver.status() != Status.OK) {
            throw new IllegalStateException("pong " + seq + ": " + QueueStatus.toString(receiver.status()) + " "
                + receiver.failure());
          }
          checkStall(t0, stallNs, seq);
        }
      }
      final long t1 = System.nanoTime();
      if (echoed.value != seq) {
        throw new WrongMessageException("round trip " + seq + " came back with " + echoed.value);
      }
      if (seq >= warmup) {
        Latencies.record(roundTripsNs, t1 - t0);
      }
    }
    return new long[] {before, Allocation.currentThreadBytes()};
  }

  private static void checkStall(long t0, long stallNs, long seq) throws TimeoutException {
    if (System.nanoTime() - t0 > stallNs) {
      throw new TimeoutException("round trip " + seq + " not back within " + stallNs / 1_000_000 + " ms");
    }
  }

  /** The word an echoed message carried; one instance per run, so that polling allocates nothing. */
  private static final class Echoed implements MessageHandler {
    long value = -1;

    @Override
    public void onMessage(ReceivedMessage message) {
      value = message.getLong(0);
    }
  }
}
