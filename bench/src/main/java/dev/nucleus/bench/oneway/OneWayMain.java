package dev.nucleus.bench.oneway;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.QueueMemory;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.QueueSender;
import dev.nucleus.bench.peers.AeronSupport;
import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.PeerArgs;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.WaitStrategy;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.jctools.queues.SpscArrayQueue;

/**
 * A child JVM of a one-way throughput run ({@link OneWayMechanism}): one role of one mechanism,
 * every size of the run in turn, {@code key=value} arguments:
 *
 * <pre>
 * OneWayMain mechanism=NAME role=both|send|receive sizes=8,56 warmup=W messages=N rounds=R
 *            [out=FILE] [region=HANDLE parent=PID] [dir=AERON_DIR] [lose=SEQ]
 *   both     (queue-thread, agrona-oneway, jctools-oneway) a sender thread and this thread as the
 *            receiver; prints READY and every size's figures ({@link StreamFigures#encodeAll})
 *   receive  (queue-process, aeron-ipc-oneway) sets up, prints READY, waits for "go" on stdin,
 *            takes every stream, writes its figures to FILE, exits
 *   send     the same, sending; after writing FILE it waits for its stdin to close
 *   region   queue-process: the queue, a SharedRegion of process PID (its creator, the parent)
 *   dir      aeron-ipc-oneway: the media driver's directory (the receiver runs the driver)
 *   lose     a test's hook: the sender never sends message SEQ of the first size
 * </pre>
 *
 * A wrong message, a stall or any failure prints why on stderr and exits 1. EOF on stdin (the
 * parent has gone, or is done) ends the JVM at once.
 */
public final class OneWayMain {

  private static final CountDownLatch GO = new CountDownLatch(1);
  private static final long GO_LIMIT_S = 120;

  private OneWayMain() {}

  /**
   * Runs one role.
   *
   * @param args the {@code key=value} arguments above
   */
  public static void main(String[] args) {
    watchStdin();
    ChildFailure.runOrHalt(args, OneWayMain::run);
  }

  private static void run(PeerArgs a) throws Exception {
    final String mechanism = a.get("mechanism");
    final String role = a.get("role");
    final int[] sizes = Arrays.stream(a.get("sizes").split(",")).mapToInt(Integer::parseInt).toArray();
    final Schedule schedule = new Schedule(Long.parseLong(a.get("warmup")), Long.parseLong(a.get("messages")),
        Integer.parseInt(a.get("rounds")));
    final long lose = Long.parseLong(a.values().getOrDefault("lose", "-1"));
    switch (role) {
      case "both" -> {
        final List<StreamFigures> figures = inJvm(mechanism, sizes, schedule, lose);
        System.out.println(ChildJvm.READY + " " + StreamFigures.encodeAll(figures));
        System.out.flush();
        Runtime.getRuntime().halt(0);
      }
      case "send", "receive" -> {
        final List<StreamFigures> figures = acrossProcesses(mechanism, role.equals("send"), a, sizes, schedule, lose);
        final Path out = Path.of(a.get("out"));
        final Path partial = out.resolveSibling(out.getFileName() + ".partial");
        Files.writeString(partial, StreamFigures.encodeAll(figures), StandardCharsets.US_ASCII);
        Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
        if (role.equals("send")) {
          Thread.sleep(Long.MAX_VALUE); // until the parent closes stdin: the stream stays mapped meanwhile
        }
        Runtime.getRuntime().halt(0);
      }
      default -> throw new IllegalArgumentException("unknown role " + role);
    }
  }

  /** A sender thread and this thread as the receiver, over a structure of this JVM. */
  private static List<StreamFigures> inJvm(String mechanism, int[] sizes, Schedule schedule, long lose)
      throws Exception {
    final List<StreamFigures> out = new ArrayList<>();
    switch (mechanism) {
      case OneWayMechanism.QUEUE_THREAD -> {
        try (Arena arena = Arena.ofShared()) {
          final MemorySegment memory = arena.allocate(QueueMemory.bytesFor(QueueEnds.SLOTS), 64);
          QueueMemory.format(memory, QueueEnds.SLOTS);
          final Doorbell doorbell = Doorbell.inJvm();
          final QueueSender sender = QueueSender.attach(memory, doorbell, WaitStrategy.SPIN);
          final QueueReceiver receiver = QueueReceiver.attach(memory, doorbell, WaitStrategy.SPIN);
          for (int bytes : sizes) {
            final int words = Payload.words(bytes);
            out.add(pair(bytes, schedule, losing(QueueEnds.sender(sender, words), lose, out.isEmpty()),
                QueueEnds.receiver(receiver, new SequenceCheck(words))));
          }
        }
      }
      case OneWayMechanism.AGRONA -> {
        final OneToOneRingBuffer ring = AgronaEnds.ring();
        for (int bytes : sizes) {
          final int words = Payload.words(bytes);
          out.add(pair(bytes, schedule, losing(AgronaEnds.sender(ring, words), lose, out.isEmpty()),
              AgronaEnds.receiver(ring, new SequenceCheck(words))));
        }
      }
      case OneWayMechanism.JCTOOLS -> {
        final SpscArrayQueue<long[]> queue = JctoolsEnds.queue();
        for (int bytes : sizes) {
          final int words = Payload.words(bytes);
          out.add(pair(bytes, schedule, losing(JctoolsEnds.sender(queue, words), lose, out.isEmpty()),
              JctoolsEnds.receiver(queue, new SequenceCheck(words))));
        }
      }
      default -> throw new IllegalArgumentException("not an in-JVM one-way mechanism: " + mechanism);
    }
    return out;
  }

  /** One stream between a new sender thread and this thread. */
  private static StreamFigures pair(int bytes, Schedule schedule, OneWaySender sender, OneWayReceiver receiver)
      throws Exception {
    final AtomicReference<Object> sent = new AtomicReference<>();
    final Thread thread = Thread.ofPlatform().name("one-way-sender").daemon().start(() -> {
      try {
        sent.set(ThroughputLoop.send(sender, schedule, ThroughputLoop.STALL));
      } catch (Throwable t) {
        sent.set(t);
      }
    });
    final ThroughputLoop.ReceiverFigures received;
    try {
      received = ThroughputLoop.receive(receiver, schedule, ThroughputLoop.STALL);
    } catch (Exception e) {
      final Object s = sent.get();
      if (s instanceof Throwable t) {
        e.addSuppressed(t); // the sender's failure is often the cause
      }
      throw e;
    }
    thread.join(TimeUnit.SECONDS.toMillis(30));
    final Object s = sent.get();
    if (s instanceof Throwable t) {
      throw new IllegalStateException("the sender failed: " + t, t);
    }
    if (!(s instanceof ThroughputLoop.SenderFigures figures)) {
      throw new TimeoutException("the sender did not finish after the receiver had every message");
    }
    return StreamFigures.of(bytes, figures, received);
  }

  /** One end of a pair of processes. */
  private static List<StreamFigures> acrossProcesses(String mechanism, boolean send, PeerArgs a,
      int[] sizes, Schedule schedule, long lose) throws Exception {
    return switch (mechanism) {
      case OneWayMechanism.QUEUE_PROCESS -> queueProcess(send, a, sizes, schedule, lose);
      case OneWayMechanism.AERON -> send ? aeronSender(a, sizes, schedule, lose) : aeronReceiver(a, sizes, schedule);
      default -> throw new IllegalArgumentException("not a two-process one-way mechanism: " + mechanism);
    };
  }

  private static List<StreamFigures> queueProcess(boolean send, PeerArgs a, int[] sizes,
      Schedule schedule, long lose) throws Exception {
    final List<StreamFigures> out = new ArrayList<>();
    try (Arena arena = Arena.ofShared()) {
      final MemorySegment memory = SharedRegion.map(Long.parseLong(a.get("region")), Long.parseLong(a.get("parent")),
          QueueMemory.bytesFor(QueueEnds.SLOTS), arena);
      if (send) {
        final QueueSender sender = QueueSender.attach(memory, Doorbell.polling(), WaitStrategy.SPIN);
        readyAndAwaitGo();
        for (int bytes : sizes) {
          final OneWaySender s = losing(QueueEnds.sender(sender, Payload.words(bytes)), lose, out.isEmpty());
          out.add(StreamFigures.of(bytes, ThroughputLoop.send(s, schedule, ThroughputLoop.STALL), null));
        }
      } else {
        final QueueReceiver receiver = QueueReceiver.attach(memory, Doorbell.polling(), WaitStrategy.SPIN);
        readyAndAwaitGo();
        for (int bytes : sizes) {
          final OneWayReceiver r = QueueEnds.receiver(receiver, new SequenceCheck(Payload.words(bytes)));
          out.add(StreamFigures.of(bytes, null, ThroughputLoop.receive(r, schedule, ThroughputLoop.STALL)));
        }
      }
    }
    return out;
  }

  private static List<StreamFigures> aeronReceiver(PeerArgs a, int[] sizes, Schedule schedule)
      throws Exception {
    final List<StreamFigures> out = new ArrayList<>();
    try (MediaDriver driver = AeronSupport.launchDriver(a.get("dir"));
        Aeron aeron = AeronSupport.connect(driver.aeronDirectoryName());
        Subscription subscription = aeron.addSubscription(AeronSupport.CHANNEL, AeronEnds.STREAM)) {
      readyAndAwaitGo();
      for (int bytes : sizes) {
        final OneWayReceiver r = AeronEnds.receiver(subscription, new SequenceCheck(Payload.words(bytes)));
        out.add(StreamFigures.of(bytes, null, ThroughputLoop.receive(r, schedule, ThroughputLoop.STALL)));
      }
    }
    return out;
  }

  private static List<StreamFigures> aeronSender(PeerArgs a, int[] sizes, Schedule schedule, long lose)
      throws Exception {
    final List<StreamFigures> out = new ArrayList<>();
    // Not closed: the JVM halts once the parent closes stdin, after the receiver took every message.
    final Aeron aeron = AeronSupport.connect(a.get("dir"));
    final ExclusivePublication publication = aeron.addExclusivePublication(AeronSupport.CHANNEL, AeronEnds.STREAM);
    AeronEnds.awaitConnected(publication);
    readyAndAwaitGo();
    final AeronEnds.Sender sender = new AeronEnds.Sender(publication);
    for (int bytes : sizes) {
      final OneWaySender s = losing(sender.words(Payload.words(bytes)), lose, out.isEmpty());
      out.add(StreamFigures.of(bytes, ThroughputLoop.send(s, schedule, ThroughputLoop.STALL), null));
    }
    return out;
  }

  /** {@code sender}, except that it never sends message {@code lose} (a test's hook), in the first size only. */
  static OneWaySender losing(OneWaySender sender, long lose, boolean first) {
    if (lose < 0 || !first) {
      return sender;
    }
    return seq -> sender.offer(seq >= lose ? seq + 1 : seq);
  }

  private static void readyAndAwaitGo() throws InterruptedException, TimeoutException {
    System.out.println(ChildJvm.READY);
    System.out.flush();
    if (!GO.await(GO_LIMIT_S, TimeUnit.SECONDS)) {
      throw new TimeoutException("no go from the parent within " + GO_LIMIT_S + " s");
    }
  }

  /** A byte on stdin is the go; EOF (the parent is done, or gone) halts this JVM. */
  private static void watchStdin() {
    Thread.ofPlatform().daemon().name("stdin-watch").start(() -> {
      final InputStream in = System.in;
      try {
        while (in.read() >= 0) {
          GO.countDown();
        }
      } catch (IOException e) {
        // as EOF
      }
      Runtime.getRuntime().halt(0);
    });
  }


}
