package dev.nucleus.bench.oneway;

import dev.nucleus.async.QueueMemory;
import dev.nucleus.bench.peers.AeronSupport;
import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.Scratch;
import dev.nucleus.kernel.SharedRegion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A one-way throughput entry of the bench: a mechanism that carries a stream of messages from a
 * sender to a receiver, both busy-spinning, measured by {@link ThroughputLoop} in child JVMs (a
 * fresh JVM for every entry, so each is compiled for itself, as {@code ForkedPingPong} does for
 * the ping-pong entries).
 *
 * <pre>
 *   two processes (queue-process, aeron-ipc-oneway):
 *     bench JVM --starts--> receiver child (READY)    the queue: a SharedRegion of the bench JVM
 *               --starts--> sender child   (READY)    Aeron: the receiver runs the media driver
 *               --"go"----> both; the receiver times the rounds, each side counts its allocation
 *   one JVM (queue-thread, agrona-oneway, jctools-oneway):
 *     bench JVM --starts--> child: sender thread --> receiver (its main thread)
 * </pre>
 *
 * <p>Every size of the run goes through one session, in turn; nothing is left behind however it
 * ends: the children are killed and reaped, the scratch directory (logs, figures, Aeron's
 * directory) removed, the queue's region closed (it is an anonymous memory file, in no
 * directory). Bounded: the children's loops fail after a stall ({@link ThroughputLoop#STALL}),
 * and a whole session is given {@link #limit}.
 */
public final class OneWayMechanism {

  /** Nucleus queue between two processes. */
  public static final String QUEUE_PROCESS = "queue-process";
  /** Aeron IPC between two processes. */
  public static final String AERON = "aeron-ipc-oneway";
  /** Nucleus queue between two threads. */
  public static final String QUEUE_THREAD = "queue-thread";
  /** Agrona's OneToOneRingBuffer between two threads. */
  public static final String AGRONA = "agrona-oneway";
  /** JCTools' SpscArrayQueue between two threads. */
  public static final String JCTOOLS = "jctools-oneway";

  /** Messages per round unless the plan says: about 0.5-1 s at the rates seen on 2 vCPUs. */
  public static final long DEFAULT_MESSAGES = 10_000_000;

  /** JVM flags of every one-way child, the same for all: Agrona's and JCTools' needs. */
  static final List<String> JVM_FLAGS = flags();

  private static final Duration READY_LIMIT = Duration.ofSeconds(60);

  private final String name;
  private final boolean twoProcesses;
  private final String description;

  private OneWayMechanism(String name, boolean twoProcesses, String description) {
    this.name = name;
    this.twoProcesses = twoProcesses;
    this.description = description;
  }

  /**
   * The entries, in the order they run and print: the two-process pair first (the ones
   * {@code --quick} runs), then the three in one JVM.
   *
   * @return every one-way entry
   */
  public static List<OneWayMechanism> defaults() {
    return List.of(
        new OneWayMechanism(QUEUE_PROCESS, true,
            "Nucleus queue (claim/commit, poll), a SharedRegion mapped by two processes, busy spin"),
        new OneWayMechanism(AERON, true,
            "Aeron aeron:ipc, ExclusivePublication.tryClaim, Subscription.poll, embedded driver, two processes,"
                + " busy spin"),
        new OneWayMechanism(QUEUE_THREAD, false, "Nucleus queue (claim/commit, poll) between two threads, busy spin"),
        new OneWayMechanism(AGRONA, false,
            "Agrona OneToOneRingBuffer (tryClaim/commit, read) between two threads, busy spin"),
        new OneWayMechanism(JCTOOLS, false,
            "JCTools SpscArrayQueue (offer, drain) of pooled long[] messages between two threads, busy spin"));
  }

  /**
   * The unique name, in tables, JSON and {@code --only}.
   *
   * @return e.g. {@code queue-process}
   */
  public String name() {
    return name;
  }

  /**
   * One line for {@code --list}.
   *
   * @return what is measured
   */
  public String description() {
    return description;
  }

  /**
   * Whether {@code nucleus bench --quick} runs it: the two-process pair, which the verdict against
   * Aeron needs.
   *
   * @return true for {@code queue-process} and {@code aeron-ipc-oneway}
   */
  public boolean inQuick() {
    return twoProcesses;
  }

  /**
   * Why it cannot run here, or null.
   *
   * @return a short reason, or null
   */
  public String unavailableReason() {
    return name.equals(QUEUE_PROCESS) ? SharedRegions.unavailableReason() : null;
  }

  /**
   * The longest one session may take, start-up included.
   *
   * @param schedule each size's stream
   * @param sizes how many sizes
   * @return two minutes, plus a second per million messages
   */
  static Duration limit(Schedule schedule, int sizes) {
    return Duration.ofSeconds(120 + schedule.total() * sizes / 1_000_000);
  }

  /**
   * Measures one session: for each size in turn, {@code schedule}'s stream.
   *
   * @param schedule each size's stream
   * @param sizes payload bytes, multiples of 8
   * @return each size's figures, in order, both sides merged
   * @throws Exception if a side failed (a wrong message, a stall, a child that died: the message
   *     has the child's log)
   */
  public List<StreamFigures> run(Schedule schedule, int[] sizes) throws Exception {
    return run(schedule, sizes, -1);
  }

  /** {@link #run(Schedule, int[])}, the sender never sending message {@code lose} of the first size (tests). */
  List<StreamFigures> run(Schedule schedule, int[] sizes, long lose) throws Exception {
    final List<String> args = new ArrayList<>(List.of("mechanism=" + name,
        "sizes=" + Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(",")),
        "warmup=" + schedule.warmup(), "messages=" + schedule.messages(), "rounds=" + schedule.rounds(),
        "lose=" + lose));
    final Duration limit = limit(schedule, sizes.length);
    if (!twoProcesses) {
      try (Scratch scratch = Scratch.create();
          ChildJvm child = ChildJvm.start(scratch, name, OneWayMain.class, JVM_FLAGS, with(args, "role=both"))) {
        return checked(StreamFigures.decodeAll(child.awaitReady(limit)), sizes, name);
      }
    }
    if (name.equals(QUEUE_PROCESS)) {
      try (SharedRegion region = SharedRegion.create(QueueMemory.bytesFor(QueueEnds.SLOTS));
          Scratch scratch = Scratch.create()) {
        QueueMemory.format(region.segment(), QueueEnds.SLOTS);
        return pair(scratch, with(args, "region=" + region.handle(), "parent=" + ProcessHandle.current().pid()),
            sizes, limit);
      }
    }
    try (Scratch scratch = Scratch.createInMemory(AeronSupport.DIR_BYTES)) {
      return pair(scratch, with(args, "dir=" + scratch.resolve("aeron")), sizes, limit);
    }
  }

  /**
   * A receiver child and a sender child: ready, go, the receiver's figures, then the sender's.
   * Aeron's sender starts once the receiver is ready, since the receiver runs the media driver it
   * connects to; the queue's two start together.
   */
  private List<StreamFigures> pair(Scratch scratch, List<String> args, int[] sizes, Duration limit) throws Exception {
    final Path receiverOut = scratch.resolve("receiver.figures");
    final Path senderOut = scratch.resolve("sender.figures");
    final boolean driverFirst = name.equals(AERON);
    try (ChildJvm receiver = ChildJvm.start(scratch, name + "-receiver", OneWayMain.class, JVM_FLAGS,
        with(args, "role=receive", "out=" + receiverOut))) {
      if (driverFirst) {
        receiver.awaitReady(READY_LIMIT);
      }
      try (ChildJvm sender = ChildJvm.start(scratch, name + "-sender", OneWayMain.class, JVM_FLAGS,
          with(args, "role=send", "out=" + senderOut))) {
        if (!driverFirst) {
          receiver.awaitReady(READY_LIMIT);
        }
        sender.awaitReady(READY_LIMIT);
        go(receiver);
        go(sender);
        try {
          receiver.awaitSuccess(limit);
        } catch (IOException | TimeoutException e) {
          throw new IOException(e.getMessage() + senderSays(sender), e);
        }
        final List<StreamFigures> received =
            checked(StreamFigures.decodeAll(Files.readString(receiverOut, StandardCharsets.US_ASCII)), sizes,
                name + "'s receiver");
        final List<StreamFigures> sent = checked(StreamFigures.decodeAll(awaitFile(senderOut, sender)), sizes,
            name + "'s sender");
        final List<StreamFigures> merged = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
          merged.add(received.get(i).merge(sent.get(i)));
        }
        return merged;
      }
    }
  }

  private static String senderSays(ChildJvm sender) {
    final String tail = sender.logTail();
    return tail.isEmpty() ? "" : "; the sender" + tail.replaceFirst("^; its", "'s");
  }

  /** Sends the go byte: both children start their loops. */
  private static void go(ChildJvm child) throws IOException {
    child.stdin().write('g');
    child.stdin().flush();
  }

  /** Waits, bounded, for the sender's figures: it writes them right after its last message. */
  private static String awaitFile(Path file, ChildJvm sender) throws Exception {
    final long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    while (!Files.exists(file)) {
      if (!sender.process().isAlive()) {
        throw new IOException("the sender ended without its figures (status " + sender.process().exitValue() + ")"
            + sender.logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the sender wrote no figures within " + READY_LIMIT.toSeconds() + " s"
            + sender.logTail());
      }
      Thread.sleep(5);
    }
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  private static List<StreamFigures> checked(List<StreamFigures> figures, int[] sizes, String who) {
    if (figures.size() != sizes.length) {
      throw new IllegalStateException(who + " answered " + figures.size() + " sizes, not " + sizes.length);
    }
    for (int i = 0; i < sizes.length; i++) {
      if (figures.get(i).bytes() != sizes[i]) {
        throw new IllegalStateException(who + " answered " + figures.get(i).bytes() + " B for " + sizes[i] + " B");
      }
    }
    return figures;
  }

  private static List<String> with(List<String> args, String... more) {
    final List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all;
  }

  private static List<String> flags() {
    final List<String> flags = new ArrayList<>(AeronSupport.JVM_FLAGS);
    flags.add("--sun-misc-unsafe-memory-access=allow");
    return List.copyOf(flags);
  }

  @Override
  public String toString() {
    return name;
  }
}
