package dev.nucleus.rpc;

import dev.nucleus.async.QueueMemory;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.internal.KernelCall;
import dev.nucleus.rpc.internal.OnewayServer;
import dev.nucleus.rpc.internal.RegisterFrames;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A binding to a service exported in another space ({@link RpcServer}), through the kernel's
 * IPC: another thread space of this JVM, or a process space, either way round, or two process
 * spaces connected by the root. A call is one kernel {@code call} to the server's endpoint
 * with the method, the deadline and the arguments in message registers; the server's pool
 * answers with a {@code replyWait}. From a thread's second two-way call on, its calls go through
 * its <em>call lane</em> while a pool thread attends it: a pair of cache lines of its own in
 * memory both sides map, where the call is posted with one CAS and answered without a kernel
 * call ({@link Builder#callLanes(boolean)}; docs/rpc.md, "Call lanes"), with the same semantics.
 * The same proxy code runs over a {@link LocalBinding} (the server in the caller's own space).
 *
 * <p>Each thread that calls through the binding gets, on its first call, an IPC thread in the
 * client's space and two frames, reused by all its later calls: a call with primitive arguments
 * and result allocates nothing, takes no lock and, when a server thread is waiting, makes no
 * system call. Arguments and results travel in the registers: a request of up to
 * {@code (registers - 4) x 8} bytes (480 at the default 64 registers), a reply of up to
 * {@code (registers - 2) x 8}. A larger request grows into a {@link dev.nucleus.kernel.SharedRegion}
 * made for the call (an anonymous memory file, so not bounded by {@code /dev/shm}; tested with
 * 1 GiB), which the server maps for the call and reads in place; only a region that cannot be
 * had is {@link FrameOverflowException}, before anything is sent. A call of a method whose result
 * has a variable size (an object or an array) offers {@link Builder#maxResult} bytes (4 MiB by
 * default) of its thread's region for the reply: a reply larger than the registers is written
 * there by the server and read in place (docs/rpc.md, "Large results"); one larger than the offer
 * is a {@link RemoteFailureException} naming the overflow.
 *
 * <p>Failures are {@link RpcException}s that say which leg failed: not delivered, deadline (in
 * which phase), peer dead, not permitted (no channel between the spaces), reply lost.
 *
 * <p><b>One-way queues.</b> A binding made with {@link Builder#onewayQueue(int)} sends its
 * {@link Oneway @Oneway} requests through a one-way queue per calling thread (a ring of cache
 * lines in memory the server maps: docs/rpc.md, "One-way queues"), instead of one kernel
 * {@code send} each: a one-way call returns once its request is in the queue, and waits only when
 * the queue is full. The server handles each thread's one-way requests in the order they were
 * sent, on one thread of its own; a two-way call of that thread waits until the server has
 * handled the one-way requests the thread sent before it, so every call of one thread is served
 * in program order. A one-way request larger than the queue carries is a
 * {@link FrameOverflowException}. Without it (the default), a one-way request is one kernel
 * {@code send}, delivered to whichever server thread is free, and not ordered with the thread's
 * later calls.
 *
 * <p>Thread-safe: any number of threads call at once, each on its own IPC thread; a thread may
 * not start a second call through the same binding while one is open (a call's frames are its
 * thread's).
 */
public final class KernelBinding implements Binding, AutoCloseable {

  /** The deadline of a call made outside {@link Deadlines#within}: 30 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final Space client;
  private final long server;
  private final int serviceId;
  private final String serviceName;
  private final long defaultTimeout;
  /** Where to find the server again after it restarted; null for a binding to one fixed id. */
  private final ServerLocator locator;
  private final boolean waitForRestart;
  /** Slots of each calling thread's one-way queue; 0 for kernel sends. */
  private final int onewaySlots;
  private final long maxResult;
  /** Whether two-way calls use call lanes. */
  private final boolean lanes;
  private final ThreadLocal<KernelCall> calls = new ThreadLocal<>();
  private final Queue<KernelCall> all = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  private KernelBinding(Space client, long server, ServiceDescriptor<?> service, Duration defaultTimeout,
      ServerLocator locator, boolean waitForRestart, int onewaySlots, long maxResult, boolean lanes) {
    this.maxResult = maxResult;
    this.lanes = lanes;
    this.client = Objects.requireNonNull(client, "client");
    this.onewaySlots = onewaySlots;
    this.locator = locator;
    this.waitForRestart = waitForRestart;
    if (locator == null && !ThreadId.isWellFormed(server)) {
      throw new IllegalArgumentException("not a server id: " + ThreadId.toString(server));
    }
    this.server = server;
    this.serviceId = service.id();
    this.serviceName = service.name();
    this.defaultTimeout = Timeout.relative(Objects.requireNonNull(defaultTimeout, "defaultTimeout"));
  }

  /**
   * A binding to the server of {@code service} at {@code server}, for threads of space
   * {@code client}; each call is bounded by {@link #DEFAULT_TIMEOUT} unless
   * {@link Deadlines#within} says otherwise.
   *
   * @param client the caller's space (a thread space of the root, or the space of a process)
   * @param server the id of the server's endpoint ({@link RpcServer#id()}), as the root granted it
   * @param service the client's descriptor of the service ({@code Foo_Service.INSTANCE})
   * @return the binding; make proxies with {@link #proxy}, close it when done
   * @throws IllegalArgumentException if {@code server} is not a well-formed id
   */
  public static KernelBinding to(Space client, long server, ServiceDescriptor<?> service) {
    return to(client, server, service, DEFAULT_TIMEOUT);
  }

  /**
   * As {@link #to(Space, long, ServiceDescriptor)}, with {@code defaultTimeout} for calls made
   * outside {@link Deadlines#within}.
   *
   * @param client the caller's space
   * @param server the id of the server's endpoint
   * @param service the client's descriptor of the service
   * @param defaultTimeout the deadline of a call, from its start
   * @return the binding
   * @throws IllegalArgumentException if {@code server} is not a well-formed id
   */
  public static KernelBinding to(Space client, long server, ServiceDescriptor<?> service, Duration defaultTimeout) {
    return new KernelBinding(client, server, service, defaultTimeout, null, false, 0, KernelCall.DEFAULT_MAX_RESULT,
        true);
  }

  /**
   * A builder of a binding to the server of {@code service} at {@code server}, for threads of
   * space {@code client}: {@link #to(Space, long, ServiceDescriptor)} with options.
   *
   * <pre>{@code
   * KernelBinding binding = KernelBinding.builder(client, export.id(), KeyValue_Service.INSTANCE)
   *     .onewayQueue(1024)
   *     .build();
   * }</pre>
   *
   * @param client the caller's space
   * @param server the id of the server's endpoint ({@link RpcServer#id()}), as the root granted it
   * @param service the client's descriptor of the service
   * @return a builder with the defaults of {@link #to(Space, long, ServiceDescriptor)}
   */
  public static Builder builder(Space client, long server, ServiceDescriptor<?> service) {
    return new Builder(Objects.requireNonNull(client, "client"), server, Objects.requireNonNull(service, "service"));
  }

  /**
   * Inside a process space: a builder of a binding to the server the root granted this space
   * under {@code name}, as {@link #granted(ProcessContext, String, ServiceDescriptor)}.
   *
   * @param context the process space's context
   * @param name the name the root granted the server under
   * @param service the client's descriptor of the service
   * @return a builder
   * @throws NotPermittedException if the root granted this space nothing under {@code name}
   */
  public static Builder builder(ProcessContext context, String name, ServiceDescriptor<?> service) {
    final long server = context.lookup(name);
    if (server == ThreadId.NIL) {
      throw new NotPermittedException("the root granted this space no service '" + name + "' (" + service.name() + ")");
    }
    return builder(context.space(), server, service);
  }

  /**
   * The options of a {@link KernelBinding} to one server id, set before it is built. Not
   * thread-safe: one thread builds.
   */
  public static final class Builder {

    private final Space client;
    private final long server;
    private final ServiceDescriptor<?> service;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private int onewaySlots;
    private long maxResult = KernelCall.DEFAULT_MAX_RESULT;
    private boolean lanes = true;

    private Builder(Space client, long server, ServiceDescriptor<?> service) {
      this.client = client;
      this.server = server;
      this.service = service;
    }

    /**
     * The deadline of a call made outside {@link Deadlines#within}, from its start; by default
     * {@link #DEFAULT_TIMEOUT}.
     *
     * @param timeout the default deadline
     * @return this builder
     */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sends {@link Oneway @Oneway} requests through a one-way queue of {@code slots} 64-byte slots
     * per calling thread, opened with the thread's first one-way call (docs/rpc.md, "One-way
     * queues"). A queue carries requests whose frame (the marshalled arguments) is at most
     * {@code slots / 2 * 56 - 24} bytes: 28,648 for 1024 slots. Needs a channel between the two
     * spaces (not a relay). By default off: a one-way request is a kernel send.
     *
     * @param slots a power of two in [2, 65536]; 0 turns queues off
     * @return this builder
     * @throws IllegalArgumentException if {@code slots} is neither 0 nor such a power of two
     */
    public Builder onewayQueue(int slots) {
      if (slots != 0 && (slots < QueueMemory.MIN_SLOTS
          || slots > OnewayServer.MAX_SLOTS || Integer.bitCount(slots) != 1)) {
        throw new IllegalArgumentException("a one-way queue has a power of two of slots in ["
            + QueueMemory.MIN_SLOTS + ", " + OnewayServer.MAX_SLOTS
            + "], not " + slots);
      }
      this.onewaySlots = slots;
      return this;
    }

    /**
     * The bytes each call of a method with a variable-size result (an object or an array) offers
     * for its reply, in its thread's region: a reply frame up to this size travels (the result
     * and a few bytes of framing: a length, a presence byte), one larger is a
     * {@link RemoteFailureException} naming the overflow (the method has run). By default 4 MiB,
     * within the region each calling thread keeps between calls; above about 8 MiB each such call
     * gets a region of its own (a system call or two; memory files are sparse, so what is
     * offered and not written costs no memory).
     *
     * @param bytes at least 1, at most 2^40
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public Builder maxResult(long bytes) {
      if (bytes < 1 || bytes > RegisterFrames.MAX_RESULT_SPACE) {
        throw new IllegalArgumentException("maxResult must be in [1, " + RegisterFrames.MAX_RESULT_SPACE + "], not " + bytes);
      }
      this.maxResult = bytes;
      return this;
    }

    /**
     * Whether two-way calls use call lanes (docs/rpc.md, "Call lanes"): on by default. A calling
     * thread opens its lane on its second two-way call; while a server thread attends the lane, a
     * call whose arguments and result fit the registers is posted there with one CAS and answered
     * through a cache line of its own, without a kernel call. Off: every call is a kernel call.
     * Threads that block ({@link dev.nucleus.kernel.WaitStrategy#BLOCK}) never use lanes.
     *
     * @param on whether to use them
     * @return this builder
     */
    public Builder callLanes(boolean on) {
      this.lanes = on;
      return this;
    }

    /**
     * The binding.
     *
     * @return a new binding with these options; close it when done
     * @throws IllegalArgumentException if the server id is not a well-formed id
     */
    public KernelBinding build() {
      return new KernelBinding(client, server, service, defaultTimeout, null, false, onewaySlots, maxResult, lanes);
    }
  }

  /**
   * A binding to a service whose provider may restart at a new id: calls go to the id
   * {@code locator} gives now; when one finds the provider gone (peer dead or a stale id in the
   * send phase, or a relay's UNAVAILABLE: the call was not delivered) the binding asks the
   * locator again, so later calls reach the new instance. What the failed call itself does:
   * with {@code waitForRestart} false it throws at once ({@link PeerDeadException}); with true it
   * waits, up to its deadline, for the provider to be up again
   * ({@link ServerLocator#awaitServer}) and goes to it. A call that was delivered before the
   * provider died always throws ({@link PeerDeadException} in the receive phase): sending it
   * again could make it run twice.
   *
   * @param client the caller's space
   * @param locator where the provider's current instance is
   * @param service the client's descriptor of the service
   * @param defaultTimeout the deadline of a call, from its start, outside {@link Deadlines#within}
   * @param waitForRestart whether an undelivered call waits for the new instance
   * @return the binding; if the provider is not up now, its first call is one made during an
   *     outage (it waits or fails as {@code waitForRestart} says)
   */
  public static KernelBinding located(Space client, ServerLocator locator, ServiceDescriptor<?> service,
      Duration defaultTimeout, boolean waitForRestart) {
    final long server = Objects.requireNonNull(locator, "locator").server();
    return new KernelBinding(client, server, service, defaultTimeout, locator, waitForRestart, 0,
        KernelCall.DEFAULT_MAX_RESULT, true);
  }

  /**
   * Inside a process space: a binding to the server the root granted this space under
   * {@code name} ({@code ProcessSpace.offer(name, rpcServer.id())} in the root).
   *
   * @param context the process space's context
   * @param name the name the root granted the server under
   * @param service the client's descriptor of the service
   * @return the binding
   * @throws NotPermittedException if the root granted this space nothing under {@code name}
   */
  public static KernelBinding granted(ProcessContext context, String name, ServiceDescriptor<?> service) {
    final long server = context.lookup(name);
    if (server == ThreadId.NIL) {
      throw new NotPermittedException("the root granted this space no service '" + name + "' (" + service.name() + ")");
    }
    return to(context.space(), server, service);
  }

  /**
   * A proxy that calls through this binding. The client's version of the service may differ from
   * the server's (methods added or removed), not its name: the server checks the service id of
   * every call.
   *
   * @param <T> the client's service interface
   * @param client the client's descriptor of the service
   * @return the proxy, as thread-safe as this binding
   * @throws IllegalArgumentException if {@code client} names another service than this binding's
   */
  public <T> T proxy(ServiceDescriptor<T> client) {
    if (client.id() != serviceId) {
      throw new IllegalArgumentException("a proxy of service " + client.name() + " cannot call service " + serviceName);
    }
    return client.newProxy(this);
  }

  @Override
  public ClientCall begin(MethodDescriptor method) {
    if (closed) {
      throw new NotDeliveredException(method + ": the binding is closed");
    }
    KernelCall call = calls.get();
    if (call == null) {
      call = newCall();
    }
    final long now = Timeout.now(); // the call's one clock read: its deadline, and the time left it carries
    return call.start(method, Deadlines.current(defaultTimeout, now), now);
  }

  /** The first call of this thread: its IPC thread in the client's space, and its frames. */
  private KernelCall newCall() {
    final IpcThread thread = client.attach("rpc-" + serviceName + "-" + Thread.currentThread().threadId());
    final KernelCall call = KernelCall.create(thread, server, serviceId, locator, waitForRestart, onewaySlots,
        maxResult, lanes);
    calls.set(call);
    all.add(call);
    if (closed) { // closed meanwhile: this thread's IPC thread must not outlive the binding
      thread.close();
      throw new NotDeliveredException("the binding to " + serviceName + " is closed");
    }
    return call;
  }

  /**
   * Refuses new calls ({@link NotDeliveredException}) and ends the IPC threads of its callers: a
   * call in progress returns {@code CLOSED} as a {@link PeerDeadException}. Closes the one-way
   * queues of its callers too: the server handles what they published, then lets them go. Close
   * a binding once its threads are done calling through it: a one-way call in progress meanwhile
   * may fail, or may be lost. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    KernelCall call;
    while ((call = all.poll()) != null) {
      call.thread().close();
      call.release(); // a call still in progress gives it back when it fails
    }
  }

  @Override
  public String toString() {
    return "KernelBinding[" + serviceName + " at " + ThreadId.toString(server) + " from space " + client.number()
        + (onewaySlots == 0 ? "" : ", one-way queues of " + onewaySlots + " slots") + (lanes ? "" : ", no call lanes")
        + "]";
  }
}
