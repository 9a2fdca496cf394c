package dev.nucleus.rpc.internal;

import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.FLAGS_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.FRAME_LENGTH_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.FRAME_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.HEADER_LENGTH;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.METHOD_ID_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.NANOS_LEFT_OFFSET;
import static dev.nucleus.rpc.internal.OnewayMessageDescriptor.SERVICE_ID_OFFSET;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.QueueMemory;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.ReceivedMessage;
import dev.nucleus.async.Waitset;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.Dispatcher;
import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.ServerCall;
import dev.nucleus.rpc.ServiceDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one-way side of an export (docs/rpc-wire.md, section 9): one thread of the server's space
 * that takes the one-way requests of every client thread that opened a queue to the export, from
 * a {@link Waitset}, and serves them through the same {@link ServerCall} and {@link Dispatcher}
 * path as the pool's calls.
 *
 * <pre>
 * Implementation overview
 *
 *   pool thread, QUEUE_OPEN from client thread C (kernel-stamped sender and pid):
 *     check words, permission of C's space, service id, slot count; map C's region (only a region
 *     of C's process), attach the receiving end (which validates the queue)
 *     start the one-way thread if it is not running
 *     lane := (receiver, mapping, identity of C); handoff.offer(lane); notify the thread ADOPT_BIT
 *     answer OK with the one-way thread's id (or the outcome that refused it)
 *   one-way thread:
 *     loop until closing:
 *       waitset.dispatch(up to SLICE_NANOS)        messages -&gt; ServerLane.onMessage -&gt; serve
 *       adopt the lanes handed over                 (a waitset is its owner thread's alone)
 *       ended queues: end their lanes; once out of the waitset (rebuilt without them), unmap
 *     each queue's sender is the client thread that opened it, watched by the waitset
 *     (Waitset.watch): once the kernel reports that thread ended, the waitset takes what it
 *     published, then ends the queue
 *     at the end: messages already in the queues are served once (each queue at most one ring),
 *     then every lane ends (clients get PeerDead, send phase) and is unmapped
 *   serve(message): validate the header (length, FRAME_LENGTH, FLAGS, service id, the space is
 *     still permitted), copy the frame into the thread's request memory (a message's slots are
 *     not contiguous), begin + serve as a one-way call of C; a malformed message or any outcome
 *     but OK is logged at WARNING and the thread goes on
 * </pre>
 *
 * Why the waitset is rebuilt to drop an ended queue: a waitset keeps every queue it was given
 * (ended ones are only skipped), so a server whose client threads come and go would hold their
 * mappings for ever; queues end rarely (a client thread or binding ends), and a rebuild costs one
 * pass over the live ones. Why the loop returns from the waitset every {@link #SLICE_NANOS}: to
 * see {@link #close} even if no pool thread's wake-up reaches it.
 *
 * <p>Thread-safety: {@link #open}, {@link #wake} and {@link #close} are called by the export's
 * pool threads and by whoever closes it; everything else runs on the one-way thread.
 */
public final class OnewayServer {

  /** Whether a caller, known by its kernel-stamped space and pid (0: this process), may call the export. */
  @FunctionalInterface
  public interface Permission {
    /**
     * Whether the caller may call now.
     *
     * @param space the caller's space number
     * @param pid the caller's process id, 0 for a thread of this process
     * @return true to serve it
     */
    boolean permits(int space, long pid);
  }


  private static final System.Logger LOG = System.getLogger("dev.nucleus.rpc.RpcServer");

  /** The most slots a client's queue may have: a 4 MiB ring, messages of up to 1.8 MB. */
  public static final int MAX_SLOTS = 1 << 16;
  /** The most queues one export takes at once. */
  public static final int MAX_QUEUES = 1024;
  /** The notification bit that tells the one-way thread to adopt handed-over queues. */
  static final long ADOPT_BIT = 1L;
  /** The notification bit that tells the one-way thread to look at its closing flag. */
  static final long STOP_BIT = 2L;
  /** The longest the one-way thread stays in its waitset before it looks at its closing flag. */
  static final long SLICE_NANOS = 50_000_000L;
  /** Reply frame memory of the one-way thread's calls: room for a failure's class name and message. */
  private static final int REPLY_BYTES = 4096;

  private final Space space;
  private final ServiceDescriptor<?> service;
  private final Dispatcher dispatcher;
  private final LongAdder served;
  private final Permission permits;
  private final Queue<ServerLane> handoff = new ConcurrentLinkedQueue<>();
  /** Lanes accepted and not yet unmapped, for {@link #MAX_QUEUES}. */
  private final AtomicInteger queues = new AtomicInteger();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  /** Set by {@link #close}: take no more queues, and end after what is being handled. */
  private volatile boolean closing;
  /** Set by the one-way thread as it ends: lanes handed over from now on are the pool's to end. */
  private volatile boolean stopped;
  /** The one-way thread's kernel id; NIL until it has started. Written before {@link #started} opens. */
  private volatile long threadId = ThreadId.NIL;
  /** Why the one-way thread could not start; written before {@link #started} opens. */
  private volatile String startFailure;
  /** Guarded by this: whether the one-way thread was started. */
  private boolean running;

  // --- the one-way thread's own ------------------------------------------------------------------
  private Waitset waitset;
  /** The lane of each waitset key. */
  private ServerLane[] byKey = new ServerLane[0];
  private final List<ServerLane> live = new ArrayList<>();
  private final List<ServerLane> retired = new ArrayList<>();
  private ServerCall call;
  private MemorySegment requestMemory;

  /**
   * The one-way side of an export of {@code service} in {@code space}; its thread starts with
   * the first queue.
   *
   * @param space the export's space
   * @param service the service exported
   * @param dispatcher its adapter
   * @param served the export's count of requests handed to the implementation
   * @param permits whether a caller may call the export now
   */
  public OnewayServer(Space space, ServiceDescriptor<?> service, Dispatcher dispatcher, LongAdder served,
      Permission permits) {
    this.space = space;
    this.service = service;
    this.dispatcher = dispatcher;
    this.served = served;
    this.permits = permits;
  }

  // --- QUEUE_OPEN, on a pool thread ----------------------------------------------------------------

  /**
   * Serves the QUEUE_OPEN call in {@code self}'s registers (its label checked by the caller, and
   * a call: it can be replied to): takes the queue, or refuses it. Writes what the outcome carries
   * into {@code reply} (cleared first): on OK, the i64 id of the one-way thread.
   *
   * @return the outcome to answer with
   */
  public int open(IpcThread self, Frame reply) {
    reply.clear();
    final long tag = self.tag();
    if (MessageTag.words(tag) != RegisterFrames.QUEUE_OPEN_WORDS) {
      return Refusals.malformed(reply, "a QUEUE_OPEN of " + MessageTag.words(tag) + " words, not "
          + RegisterFrames.QUEUE_OPEN_WORDS);
    }
    final long sender = self.sender();
    final int callerSpace = ThreadId.space(sender);
    if (!permits.permits(callerSpace, self.senderPid())) {
      return Outcome.NOT_PERMITTED;
    }
    final long word = self.mr(1);
    final long handle = self.mr(2);
    if ((int) word != service.id()) {
      return Outcome.UNKNOWN_METHOD;
    }
    final long slots = word >>> 32;
    if (slots < QueueMemory.MIN_SLOTS || slots > MAX_SLOTS || Long.bitCount(slots) != 1) {
      return Refusals.malformed(reply, "a queue of " + slots + " slots: a power of two in [" + QueueMemory.MIN_SLOTS + ", "
          + MAX_SLOTS + "] is taken");
    }
    if (closing) {
      return Refusals.unavailable(reply, "the export is closing");
    }
    if (queues.incrementAndGet() > MAX_QUEUES) {
      queues.decrementAndGet();
      return Refusals.unavailable(reply, "the export has " + MAX_QUEUES + " one-way queues, the most it takes");
    }
    final long thread = start();
    if (thread == ThreadId.NIL) {
      queues.decrementAndGet();
      final String why = startFailure;
      return Refusals.unavailable(reply, why != null ? "the export's one-way thread could not start: " + why
          : "the export has closed");
    }
    final ServerLane lane;
    final Arena arena = Arena.ofShared();
    try {
      final int count = (int) slots;
      final MemorySegment region = SharedRegion.map(handle, self.senderPid(), OnewayRegionDescriptor.size(count), arena);
      final QueueReceiver receiver = QueueReceiver.attach(region.asSlice(0, QueueMemory.bytesFor(count)),
          Doorbell.futex(), self.waitStrategy());
      if (receiver.maxPayload() != QueueMemory.maxPayload(count)) {
        throw new IllegalArgumentException("the region's queue does not have the " + count + " slots the request says");
      }
      lane = new ServerLane(this, receiver, arena, region, OnewayRegionDescriptor.laneOffset(count), count,
          OnewayMessageDescriptor.maxFrame(receiver.maxPayload()), sender, callerSpace, self.senderPid());
    } catch (IllegalArgumentException | IllegalStateException e) {
      arena.close();
      queues.decrementAndGet();
      return Refusals.malformed(reply, e.getMessage());
    }
    handoff.offer(lane);
    if (stopped && handoff.remove(lane)) { // the one-way thread ended meanwhile, and did not take it
      lane.end();
      lane.unmap();
      queues.decrementAndGet();
      return Refusals.unavailable(reply, "the export has closed");
    }
    self.notifyBits(thread, ADOPT_BIT); // a thread that has gone ends the lane itself as it stops
    reply.putLong(thread);
    return Outcome.OK;
  }


  /** Starts the one-way thread if it is not running; its id, or NIL if it could not start. */
  private synchronized long start() {
    if (!running) {
      running = true;
      Thread.ofPlatform().daemon().name("rpc-" + service.name() + "-oneway").start(this::run);
    }
    try {
      started.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      startFailure = "interrupted while it started";
      return ThreadId.NIL;
    }
    return stopped ? ThreadId.NIL : threadId;
  }

  /**
   * Wakes the one-way thread so that it sees {@link #close}: called by each pool thread as it
   * ends, through its own kernel thread. Never blocks.
   *
   * @param self the pool thread's kernel thread
   */
  public void wake(IpcThread self) {
    final long t = threadId;
    if (closing && t != ThreadId.NIL) {
      self.notifyBits(t, STOP_BIT);
    }
  }

  /**
   * Takes no more queues; the one-way thread ends after the messages already in its queues (see
   * {@link #awaitEnd}). Never blocks. Idempotent.
   */
  public void close() {
    closing = true;
  }

  /**
   * Waits, up to {@code patience}, for the one-way thread to end, if it was started.
   *
   * @param patience how long to wait
   */
  public void awaitEnd(Duration patience) {
    synchronized (this) {
      if (!running) {
        return;
      }
    }
    try {
      finished.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- the one-way thread --------------------------------------------------------------------------

  private void run() {
    final IpcThread self;
    try {
      self = space.attach("rpc-" + service.name() + "-oneway");
    } catch (RuntimeException e) {
      startFailure = String.valueOf(e.getMessage());
      stopped = true;
      started.countDown();
      finished.countDown();
      return;
    }
    try {
      try (Arena arena = Arena.ofConfined()) {
        requestMemory = Arena.ofAuto().allocate(1024, Frame.BULK_ALIGNMENT);
        call = new ServerCall(new Frame(requestMemory), new Frame(arena.allocate(REPLY_BYTES, Frame.BULK_ALIGNMENT)));
        waitset = newWaitset(self);
        threadId = self.id();
        started.countDown();
        loop(self);
        adopt();
        shutDown(closing);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "the one-way thread of " + service.name() + " failed", e);
      shutDown(false);
    } finally {
      stopped = true;
      endHandedOver();
      started.countDown();
      self.close();
      finished.countDown();
    }
  }

  private Waitset newWaitset(IpcThread self) {
    final Waitset w = Waitset.create(self, self.waitStrategy());
    w.onQueueEnded((queue, key) -> retire(byKey[key]));
    return w;
  }

  private void loop(IpcThread self) {
    while (!closing) {
      final int r = waitset.dispatch(Timeout.relative(SLICE_NANOS));
      if (r < 0) {
        if (Status.code(-r) != Status.ABORTED || closing) {
          return; // the thread or the space has ended
        }
        Thread.interrupted(); // nobody should interrupt this thread; go on
      }
      adopt();
      if (!retired.isEmpty()) {
        rebuild(self);
      }
    }
  }

  /** Adds the lanes handed over to the waitset. */
  private void adopt() {
    ServerLane lane;
    while ((lane = handoff.poll()) != null) {
      add(lane);
    }
  }

  private void add(ServerLane lane) {
    if (lane.maxFrame > requestMemory.byteSize()) {
      requestMemory = Arena.ofAuto().allocate(lane.maxFrame, Frame.BULK_ALIGNMENT);
      call.request().reset(requestMemory);
    }
    final int key = waitset.add(lane.receiver, lane);
    try {
      waitset.watch(key, lane.callerThread);
    } catch (IllegalArgumentException e) { // the client thread has ended already
      lane.receiver.peerDied();
    }
    if (key >= byKey.length) {
      byKey = Arrays.copyOf(byKey, Math.max(key + 1, byKey.length * 2));
    }
    byKey[key] = lane;
    live.add(lane);
  }

  /** A queue has ended (its sender closed or died after all it published was taken, or it broke the protocol). */
  private void retire(ServerLane lane) {
    if (lane.receiver.status() != Status.receive(Status.PEER_DEAD)) {
      LOG.log(System.Logger.Level.WARNING, "the " + lane + " to " + service.name() + " ended: "
          + lane.receiver.failure());
    }
    lane.end();
    live.remove(lane);
    retired.add(lane);
  }

  /** A new waitset over the live lanes only, so that the retired ones can be unmapped. */
  private void rebuild(IpcThread self) {
    waitset.close();
    for (ServerLane lane : retired) {
      lane.unmap();
    }
    queues.addAndGet(-retired.size());
    retired.clear();
    waitset = newWaitset(self);
    byKey = new ServerLane[Math.max(4, live.size())];
    final List<ServerLane> lanes = List.copyOf(live);
    live.clear();
    for (ServerLane lane : lanes) {
      add(lane);
    }
  }

  /**
   * The end of the thread: the waitset gives the queues back; if the export is closing, what is
   * already in each queue is served (at most one ring each); then every lane ends and is unmapped.
   */
  private void shutDown(boolean serveWhatIsQueued) {
    try {
      if (waitset != null) {
        waitset.close();
      }
    } catch (RuntimeException e) {
      // the thread has ended with its space: the queues are given up all the same
    }
    for (ServerLane lane : live) {
      if (serveWhatIsQueued) {
        try {
          lane.receiver.poll(lane, lane.slots); // no more than a ring holds: clients cannot keep it going
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "serving the " + lane + " as " + service.name() + " closed", e);
        }
      }
      lane.end();
      lane.unmap();
    }
    for (ServerLane lane : retired) {
      lane.unmap();
    }
    queues.addAndGet(-(live.size() + retired.size()));
    live.clear();
    retired.clear();
  }

  /** Ends the lanes handed over that the thread never took (it has stopped). */
  private void endHandedOver() {
    ServerLane lane;
    while ((lane = handoff.poll()) != null) {
      lane.end();
      lane.unmap();
      queues.decrementAndGet();
    }
  }

  // --- serving one message, on the one-way thread ------------------------------------------------

  /** Serves one message of {@code lane}'s queue: validates it, and runs it as a one-way call of its client. */
  void serve(ServerLane lane, ReceivedMessage message) {
    try {
      final int length = message.length();
      if (length < HEADER_LENGTH) {
        drop(lane, "a message of " + length + " bytes, shorter than the " + HEADER_LENGTH + "-byte one-way header");
        return;
      }
      final int methodId = message.getInt(METHOD_ID_OFFSET);
      final int serviceId = message.getInt(SERVICE_ID_OFFSET);
      final long left = message.getLong(NANOS_LEFT_OFFSET);
      final int frameLength = message.getInt(FRAME_LENGTH_OFFSET);
      final int flags = message.getInt(FLAGS_OFFSET);
      if (frameLength != length - HEADER_LENGTH) {
        drop(lane, "FRAME_LENGTH " + Integer.toUnsignedString(frameLength) + " but the message carries "
            + (length - HEADER_LENGTH) + " bytes after the header");
        return;
      }
      if (flags != 0) {
        drop(lane, "FLAGS 0x" + Integer.toHexString(flags) + ", not 0");
        return;
      }
      if (serviceId != service.id()) {
        drop(lane, "service id 0x" + Integer.toHexString(serviceId) + ", not " + service.name() + "'s 0x"
            + Integer.toHexString(service.id()));
        return;
      }
      if (!permits.permits(lane.callerSpace, lane.callerPid)) {
        drop(lane, "space " + lane.callerSpace + " may not call " + service.name() + " any more");
        return;
      }
      message.copyTo(FRAME_OFFSET, requestMemory, 0, frameLength);
      call.request().wrap(frameLength);
      final long now = Timeout.now();
      final long deadline = left < 0 ? Deadlines.NONE : left >= Deadlines.NONE - now ? Deadlines.NONE : now + left;
      call.begin(methodId, true, deadline, lane.callerSpace, lane.callerThread, lane.callerPid);
      served.increment();
      final int outcome = call.serve(dispatcher);
      if (outcome != Outcome.OK) {
        LOG.log(System.Logger.Level.WARNING, "one-way call to " + service.name() + " ended " + Outcome.name(outcome),
            call.failure());
      }
    } catch (RuntimeException e) { // a failure of this thread's own, e.g. a reply that overflowed: logged, the thread goes on
      LOG.log(System.Logger.Level.WARNING, "one-way call to " + service.name() + " from the " + lane + " failed", e);
    }
  }

  private void drop(ServerLane lane, String what) {
    LOG.log(System.Logger.Level.WARNING, "dropped a malformed one-way request to " + service.name() + " from the "
        + lane + ": " + what);
  }

  @Override
  public String toString() {
    return "OnewayServer[" + service.name() + ", thread " + ThreadId.toString(threadId) + "]";
  }
}
