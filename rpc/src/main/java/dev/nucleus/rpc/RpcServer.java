package dev.nucleus.rpc;

import static dev.nucleus.rpc.internal.RegisterFrames.CALL;
import static dev.nucleus.rpc.internal.RegisterFrames.CALL_HEADER;
import static dev.nucleus.rpc.internal.RegisterFrames.IN_REGION;
import static dev.nucleus.rpc.internal.RegisterFrames.KEPT;
import static dev.nucleus.rpc.internal.RegisterFrames.LANE_MASK;
import static dev.nucleus.rpc.internal.RegisterFrames.LANE_OPEN;
import static dev.nucleus.rpc.internal.RegisterFrames.LANE_SHIFT;
import static dev.nucleus.rpc.internal.RegisterFrames.REGION_FRAME_OFFSET;
import static dev.nucleus.rpc.internal.RegisterFrames.ONEWAY;
import static dev.nucleus.rpc.internal.RegisterFrames.QUEUE_OPEN;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY_HEADER;
import static dev.nucleus.rpc.internal.RegisterFrames.REPLY_IN_REGION;
import static dev.nucleus.rpc.internal.RegisterFrames.RESULT_SPACE;

import dev.nucleus.kernel.Endpoint;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.internal.CallLanes;
import dev.nucleus.rpc.internal.OnewayServer;
import dev.nucleus.rpc.internal.ServerCallLane;
import dev.nucleus.rpc.internal.RegionCache;
import dev.nucleus.rpc.internal.RegisterFrames;
import dev.nucleus.rpc.internal.ResultSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.TimeUnit;

/**
 * An exported service: a pool of server threads in one space, all waiting on one endpoint (as
 * seL4's server pools do). Clients bind to {@link #id()} with a {@link KernelBinding}, from a
 * space that has a channel to this one: another thread space of the root, a process space linked
 * to it, a process space connected to it.
 *
 * <p><b>Who is served.</b> The id is not a capability by itself: a process that learns it some
 * other way is refused ({@link NotPermittedException}, its request unread). An export in the root
 * serves the thread spaces of the root (one JVM: nothing isolates them from each other anyway)
 * and the process spaces whose root offered them this export's id ({@link
 * dev.nucleus.kernel.ProcessSpace#offer}, which {@link ServiceRegistry#grant} does): the binding a
 * process was given. An export in a process space serves whom its links let in: the root, and the
 * process spaces the root connected to it. {@link #restrict} narrows either to the spaces
 * {@link #permit permitted} one by one. A call goes to whichever server thread is waiting; when
 * none is, it queues at the endpoint, first come first served, until a thread is free or its
 * deadline passes (then the client gets {@link DeadlineExceededException}, send phase: it was
 * never delivered).
 *
 * <p>Each server thread serves one call at a time with {@code replyWait}: it answers the last
 * call and waits for the next in one kernel operation. What a request carries is validated before
 * use (it may come from another process): a malformed request, a method the service does not
 * have, and an exception of the implementation each end that call with the matching
 * {@link Outcome}; the thread goes on serving. The implementation sees the call through
 * {@link ServerCall#current()}: the caller's space, thread id and process id (as the kernel
 * stamped them, never what the caller claimed) and the deadline.
 *
 * <p><b>Call lanes.</b> A client thread that calls the export a second time opens a call lane to
 * it (LANE_OPEN, answered by a pool thread, which checks the caller's space as for a call): a
 * region of 1152 bytes both map (docs/rpc-wire.md, section 10). A pool thread that has just
 * answered a kernel call from a thread with a lane takes the lane, answers, and then polls the
 * lane instead of the endpoint: the thread's next calls come on the lane, with no kernel call,
 * until callers queue at the endpoint (they wait for one call of the lane's at most), the lane
 * has been idle for 50 µs, or the pool thread has been on it for 1 ms (system
 * properties {@value CallLanes#IDLE_PROPERTY} and {@value CallLanes#TENURE_PROPERTY}, in
 * nanoseconds, read as the export starts); it then goes back to the endpoint. A call on a lane is
 * served as any call: the same checks, the caller's identity as the kernel stamped it on
 * LANE_OPEN, the deadline, the outcome. {@link #laneCallsServed()} counts them. Pool threads that
 * block ({@link dev.nucleus.kernel.WaitStrategy#BLOCK}) refuse lanes.
 *
 * <p><b>One-way queues.</b> A client bound with {@link KernelBinding.Builder#onewayQueue(int)}
 * opens a one-way queue per calling thread (a QUEUE_OPEN call, answered by a pool thread, which
 * checks the caller's space as for a call). The one-way requests of all such queues are served by
 * one more thread of the export, started with the first queue: each queue's requests in order,
 * as one-way calls of the thread that opened it (its space, thread id and pid as the kernel
 * stamped them on QUEUE_OPEN). A malformed request on a queue is logged and dropped, and the
 * next one served. A queue whose client thread has ended is served to its end, then let go.
 *
 * <p>Thread-safety: the implementation is called by the pool's threads concurrently (and by the
 * one-way thread, if clients use queues), so it must be thread-safe. {@link #close()} may be
 * called from any thread.
 */
public final class RpcServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(RpcServer.class.getName());
  /** How long {@link #close()} waits for the pool's threads to finish their calls. */
  private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(10);

  private final Space space;
  private final ServiceDescriptor<?> service;
  private final Dispatcher dispatcher;
  private final Endpoint endpoint;
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch ready;
  private final CountDownLatch finished;
  /**
   * The spaces whose calls are served, by space number; null: every space a channel lets in. A
   * new array on each change, read once per call.
   */
  private volatile boolean[] permitted;
  /** The root kernel that holds the export's space; null for an export in a process space. */
  private final Kernel root;
  /** Requests handed to the implementation; a LongAdder so that pool threads do not share a line. */
  private final LongAdder served = new LongAdder();
  /** The one-way queues of clients that opened one, and the thread that serves them. */
  private final OnewayServer oneway;
  /** The call lanes of clients that opened one. */
  private final CallLanes lanes;

  private RpcServer(Space space, ServiceDescriptor<?> service, Dispatcher dispatcher, int threads) {
    this.space = space;
    this.service = service;
    this.dispatcher = dispatcher;
    this.endpoint = space.createEndpoint(service.name());
    this.ready = new CountDownLatch(threads);
    this.finished = new CountDownLatch(threads);
    this.oneway = new OnewayServer(space, service, dispatcher, served, this::permits);
    this.lanes = new CallLanes(space, endpoint, service, dispatcher, served, this::permits);
    this.root = rootKernelOf(space);
  }

  /**
   * Whether a call from space {@code spaceNumber} of process {@code pid} (0: this process) is
   * served now. Restricted: the permitted spaces only. Else any space of this JVM (nothing
   * isolates threads of one JVM from each other anyway); a process, only if the root offered it
   * this export's id ({@link dev.nucleus.kernel.ProcessSpace#offer}), since an id a process
   * learned some other way must buy it nothing; and, for an export inside a process space,
   * whoever its links let in: the root, and the processes the root connected it to, which are
   * its grants.
   */
  private boolean permits(int spaceNumber, long pid) {
    final boolean[] allowed = permitted;
    if (allowed != null) {
      return allowed[spaceNumber];
    }
    return pid == 0 || root == null || root.offeredTo(spaceNumber, endpoint.id());
  }

  /** The root kernel of {@code space}; null in a process space, whose code has none. */
  private static Kernel rootKernelOf(Space space) {
    try {
      return space.kernel();
    } catch (IllegalStateException inProcessSpace) { // Space.kernel's contract for a process space
      return null;
    }
  }

  /**
   * Exports {@code implementation} of {@code service} in {@code space}, served by
   * {@code threads} platform threads. Returns once every server thread waits for calls.
   *
   * @param <T> the service interface
   * @param space the server's space (a thread space of the root, or the space of a process)
   * @param service the service's descriptor ({@code Foo_Service.INSTANCE})
   * @param implementation the implementation, thread-safe if {@code threads > 1}
   * @param threads the size of the pool, at least 1
   * @return the export; its {@link #id()} is what clients bind to
   * @throws IllegalArgumentException if {@code threads} is below 1
   * @throws IllegalStateException if the space has ended, or its endpoint or thread table is full
   */
  public static <T> RpcServer export(Space space, ServiceDescriptor<T> service, T implementation, int threads) {
    return export(space, service, implementation, threads, false);
  }

  /**
   * As {@link #export(Space, ServiceDescriptor, Object, int)}, on virtual threads if
   * {@code virtual} (each still holds an IPC thread of the space while it serves).
   *
   * @param <T> the service interface
   * @param space the server's space
   * @param service the service's descriptor
   * @param implementation the implementation
   * @param threads the size of the pool, at least 1
   * @param virtual whether the pool's threads are virtual threads
   * @return the export
   */
  public static <T> RpcServer export(Space space, ServiceDescriptor<T> service, T implementation, int threads,
      boolean virtual) {
    Objects.requireNonNull(implementation, "implementation");
    if (threads < 1) {
      throw new IllegalArgumentException("a server pool has at least one thread, not " + threads);
    }
    final RpcServer s = new RpcServer(space, service, service.newAdapter(implementation), threads);
    for (int i = 0; i < threads; i++) {
      final String name = "rpc-" + service.name() + "-" + i;
      final Thread.Builder builder = virtual ? Thread.ofVirtual().name(name) : Thread.ofPlatform().daemon().name(name);
      s.threads.add(builder.start(s::serve));
    }
    try {
      if (!s.ready.await(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        s.close();
        throw new IllegalStateException("the server threads of " + service.name() + " did not start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.close();
      throw new IllegalStateException("interrupted while " + service.name() + " started", e);
    }
    return s;
  }

  /**
   * From now on, serves only calls from spaces {@link #permit permitted} (and from its own space):
   * any other caller gets {@link NotPermittedException}, its request unread. Before this, the
   * export serves as the class comment says (the root's thread spaces, and processes offered its
   * id). Idempotent.
   */
  public synchronized void restrict() {
    if (permitted == null) {
      final boolean[] none = new boolean[ThreadId.MAX_SPACE + 1];
      none[space.number()] = true;
      permitted = none;
    }
  }

  /**
   * Serves calls from space {@code spaceNumber}, once {@link #restrict restricted}.
   *
   * @param spaceNumber a space number (a thread space's, or a process space's)
   * @throws IllegalArgumentException if it is not a space number
   */
  public synchronized void permit(int spaceNumber) {
    if (spaceNumber < 0 || spaceNumber > ThreadId.MAX_SPACE) {
      throw new IllegalArgumentException("not a space number: " + spaceNumber);
    }
    restrict();
    final boolean[] more = permitted.clone();
    more[spaceNumber] = true;
    permitted = more;
  }

  /**
   * The id clients bind to: the pool's endpoint.
   *
   * @return the endpoint id
   */
  public long id() {
    return endpoint.id();
  }

  /**
   * How many requests the pool has handed to the implementation so far (calls and one-way
   * messages; not those refused before: malformed, not permitted, unknown service). Never blocks.
   *
   * @return the count, a moment's sum
   */
  public long callsServed() {
    return served.sum();
  }

  /**
   * How many of {@link #callsServed()} came on call lanes (docs/rpc.md, "Call lanes"): posted by
   * a client thread on the lane a server thread attended, with no kernel call. Never blocks.
   *
   * @return the count, a moment's sum
   */
  public long laneCallsServed() {
    return lanes.callsServed();
  }

  /**
   * The service served.
   *
   * @return its descriptor
   */
  public ServiceDescriptor<?> service() {
    return service;
  }

  /** One server thread: serve calls until the endpoint closes. */
  private void serve() {
    final IpcThread self;
    try {
      self = space.attach("rpc-" + service.name());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "server thread of " + service.name() + " could not start", e);
      ready.countDown();
      finished.countDown();
      return;
    }
    try (Arena arena = Arena.ofConfined(); RegionCache regions = new RegionCache()) {
      final int registers = self.messageRegisters();
      final MemorySegment stack = arena.allocate(RegisterFrames.capacity(registers, CALL_HEADER), Frame.BULK_ALIGNMENT);
      final Frame request = new Frame(stack);
      final ResultSpace results = new ResultSpace(
          arena.allocate(RegisterFrames.capacity(registers, REPLY_HEADER), Frame.BULK_ALIGNMENT));
      final ServerCall call = new ServerCall(request, results.frame);
      ready.countDown();
      int status = self.waitAt(endpoint, Timeout.NEVER);
      while (true) {
        if (status == Status.OK) {
          final int next = handle(self, call, stack, regions, results);
          if (next > NO_LANE && attendAfterReply(self, next - 1, call, stack, regions, results)) {
            status = self.waitAt(endpoint, Timeout.NEVER);
            continue;
          }
          if (next >= NO_LANE) {
            status = self.replyWait(endpoint, Timeout.NEVER);
            continue;
          }
        } else if (!Status.isOk(status) && stops(status)) {
          return;
        }
        status = self.waitAt(endpoint, Timeout.NEVER);
      }
    } finally {
      oneway.wake(self);
      self.close();
      finished.countDown();
    }
  }

  /** What {@link #handle} returns for a request that is not answered (a one-way message, a notification). */
  private static final int NO_REPLY = -1;
  /** What {@link #handle} returns for an answer with no call lane to attend afterwards. */
  private static final int NO_LANE = 0;

  /**
   * After a call from a thread with call lane {@code index}: takes the lane if nobody attends it,
   * answers the call (the reply in the registers), and attends the lane until it leaves it.
   * Returns false, having done nothing, if the lane is not the caller's or is taken.
   */
  private boolean attendAfterReply(IpcThread self, int index, ServerCall call, MemorySegment stack,
      RegionCache regions, ResultSpace results) {
    final ServerCallLane lane = lanes.laneOf(index, self.sender());
    final long sequence = lane == null ? -1 : lanes.attach(lane, self.id());
    if (sequence < 0) {
      return false;
    }
    self.reply(); // taken before the answer: the caller's next call finds the lane attended
    lanes.attend(lane, sequence, call, stack, regions, results);
    return true;
  }

  /** Whether a failed wait means the pool is done: the endpoint or the thread has gone. */
  private static boolean stops(int status) {
    final int code = Status.code(status);
    return code == Status.CLOSED || code == Status.STALE_ID || code == Status.INVALID_ID;
  }

  /**
   * Serves the request in {@code self}'s registers (or, for a large one, in the caller's region,
   * mapped for the call and unmapped after it; {@code stack} is the request frame's own memory);
   * leaves the reply in them. Returns {@link #NO_REPLY} for a one-way message or a notification;
   * for an answer {@link #NO_LANE}, or the caller's call lane plus 1, which the thread may attend
   * once it has answered.
   */
  private int handle(IpcThread self, ServerCall call, MemorySegment stack, RegionCache regions,
      ResultSpace results) {
    final boolean canReply = self.canReply();
    final long tag = self.tag();
    if (MessageTag.label(tag) == QUEUE_OPEN) { // a client thread's one-way queue (a call, or nothing)
      if (canReply) {
        answer(self, oneway.open(self, call.reply()), call.reply());
      }
      return canReply ? NO_LANE : NO_REPLY;
    }
    if (MessageTag.label(tag) == LANE_OPEN) { // a client thread's call lane (a call, or nothing)
      if (!canReply) {
        return NO_REPLY;
      }
      final int opened = lanes.open(self, call.reply());
      answer(self, opened >= 0 ? Outcome.OK : -opened, call.reply());
      return opened >= 0 ? opened + 1 : NO_LANE;
    }
    if (MessageTag.label(tag) != CALL || MessageTag.words(tag) < CALL_HEADER) {
      return canReply ? malformed(self, call, "not an RPC request (label 0x" + Long.toHexString(MessageTag.label(tag))
          + ", " + MessageTag.words(tag) + " words)") : NO_REPLY;
    }
    final long ids = self.mr(1);
    final long lengthAndFlags = self.mr(2);
    final long left = self.mr(3);
    final boolean oneway = (lengthAndFlags & ONEWAY) != 0;
    final boolean inRegion = (lengthAndFlags & IN_REGION) != 0;
    // A one-way request in a region comes as a call: its sender keeps the region until it has
    // been mapped here, which the early reply below tells it.
    if (canReply != (!oneway || inRegion)) {
      return canReply
          ? malformed(self, call, oneway ? "a one-way request sent as a call" : "a call without a reply")
          : NO_REPLY;
    }
    if (!permits(ThreadId.space(self.sender()), self.senderPid())) {
      if (canReply) {
        answer(self, Outcome.NOT_PERMITTED, call.reply().clear());
      }
      return canReply ? NO_LANE : NO_REPLY;
    }
    if ((int) (ids >>> 32) != service.id()) {
      if (canReply) {
        answer(self, Outcome.UNKNOWN_METHOD, call.reply().clear());
      }
      return canReply ? NO_LANE : NO_REPLY;
    }
    final long length = lengthAndFlags & 0xFFFF_FFFFL;
    // The caller's offer of space for a reply too large for the registers (a call only): MR4..MR6
    // are the region's handle and token and the bytes offered; validated before anything is
    // mapped. With the request in the region the space follows it and is mapped with it, so a
    // lie about the region's size is refused by the mapping (SharedRegion.map checks the file's
    // size); with the request in the registers (from MR7) it is mapped only if the reply needs it.
    final boolean offers = (lengthAndFlags & RESULT_SPACE) != 0 && !oneway;
    final long offered = offers && MessageTag.words(tag) >= CALL_HEADER + 3 ? self.mr(3 + CALL_HEADER) : 0;
    if (offers && (offered <= 0 || offered > RegisterFrames.MAX_RESULT_SPACE)) {
      return canReply ? malformed(self, call, "a result space of " + offered + " bytes (MR6), not in [1, "
          + RegisterFrames.MAX_RESULT_SPACE + "]") : NO_REPLY;
    }
    // A region of the call's own (mapped for the call), or the copy of a one-way request.
    Arena regionArena = null;
    final int outcome;
    try {
      if (inRegion) {
        if (MessageTag.words(tag) < CALL_HEADER + 2) {
          return canReply ? malformed(self, call, "a region request without its handle and token") : NO_REPLY;
        }
        final long pid = self.senderPid();
        final long handle = self.mr(1 + CALL_HEADER);
        final long token = self.mr(2 + CALL_HEADER);
        final long frameBytes = offers ? RegisterFrames.resultOffset(length) - REGION_FRAME_OFFSET + offered : length;
        MemorySegment frame;
        try {
          if ((lengthAndFlags & KEPT) != 0) { // the caller's argument stack: keep the mapping
            frame = regions.frame(pid, handle, token, frameBytes);
          } else {
            regionArena = Arena.ofConfined();
            frame = RegionCache.mapFrame(pid, handle, token, frameBytes, regionArena);
          }
        } catch (IllegalArgumentException | IllegalStateException e) {
          return canReply ? malformed(self, call, e.getMessage()) : NO_REPLY;
        }
        if (offers) {
          results.offer(frame.asSlice(RegisterFrames.resultOffset(length) - REGION_FRAME_OFFSET, offered));
          frame = frame.asSlice(0, length);
        }
        if (oneway) { // copied out: the sender may reuse the region, and return
          if (regionArena == null) {
            regionArena = Arena.ofConfined();
          }
          frame = regionArena.allocate(Math.max(1, length), Frame.BULK_ALIGNMENT).copyFrom(frame).asSlice(0, length);
          answer(self, Outcome.OK, call.reply().clear());
          self.reply();
        }
        call.request().reset(frame).wrap(length);
      } else {
        if (offers) {
          results.offerLater(regions, self.senderPid(), self.mr(1 + CALL_HEADER), self.mr(2 + CALL_HEADER), offered,
              (lengthAndFlags & KEPT) != 0);
        }
        try {
          RegisterFrames.read(self, 1 + CALL_HEADER + (offers ? 3 : 0), length, call.request());
        } catch (MalformedFrameException e) {
          return canReply ? malformed(self, call, e.what()) : NO_REPLY;
        }
      }
      final long sender = self.sender();
      long deadline = Deadlines.NONE;
      if (left >= 0) {
        final long now = Timeout.now();
        deadline = now + left;
        lanes.maybeSweep(now); // the clock read anyway: lanes of ended threads are let go without a thread of their own
      }
      call.begin((int) ids, oneway, deadline, ThreadId.space(sender), sender, self.senderPid());
      served.increment();
      outcome = call.serve(dispatcher);
      if (results.grown()) { // written where the caller offered: the registers carry the length only
        self.setTag(MessageTag.of(REPLY_IN_REGION, REPLY_HEADER));
        self.setMr(1, (outcome & 0xFFFF_FFFFL) | (call.reply().position() << 32));
      } else if (!oneway) {
        answer(self, outcome, call.reply());
      }
    } finally {
      if (inRegion) { // views of the region end with the call
        call.request().reset(stack);
      }
      results.withdraw();
      if (regionArena != null) {
        regionArena.close();
      }
    }
    if (oneway) {
      if (outcome != Outcome.OK) {
        LOG.log(System.Logger.Level.WARNING, "one-way call to " + service.name() + " ended " + Outcome.name(outcome), call.failure());
      }
      return NO_REPLY;
    }
    return (int) ((lengthAndFlags & LANE_MASK) >>> LANE_SHIFT);
  }

  /** Puts outcome and reply frame into the registers. */
  private static void answer(IpcThread self, int outcome, Frame reply) {
    final int words = RegisterFrames.write(reply, self, 1 + REPLY_HEADER);
    self.setTag(MessageTag.of(REPLY, REPLY_HEADER + words));
    self.setMr(1, (outcome & 0xFFFF_FFFFL) | (reply.position() << 32));
  }

  /** Answers a request that could not be read: MALFORMED_REQUEST, what and where; returns {@link #NO_LANE}. */
  private static int malformed(IpcThread self, ServerCall call, String what) {
    final Frame reply = call.reply().clear();
    reply.putString(what);
    reply.putLong(0);
    answer(self, Outcome.MALFORMED_REQUEST, reply);
    return NO_LANE;
  }

  /**
   * Stops the export: closes its endpoint (calls queued there, and calls made later, fail with
   * {@link PeerDeadException}), lets each server thread finish the call it serves, and waits
   * (at most 10 s) for them to end. The one-way thread, if clients opened queues, serves the
   * requests already in them and closes them: a client's next one-way call fails with
   * {@link PeerDeadException} (send phase). Returns once it has ended too (at most 10 s more).
   * Idempotent.
   */
  @Override
  public void close() {
    lanes.close();
    oneway.close();
    endpoint.close();
    try {
      if (finished.await(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        lanes.unmapAll(); // no pool thread attends a lane any more
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    oneway.awaitEnd(CLOSE_PATIENCE);
  }

  @Override
  public String toString() {
    return "RpcServer[" + service.name() + " at " + ThreadId.toString(endpoint.id()) + ", " + threads.size() + " threads]";
  }
}
