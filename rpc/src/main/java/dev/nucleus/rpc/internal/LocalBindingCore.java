package dev.nucleus.rpc.internal;

import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.Dispatcher;
import dev.nucleus.rpc.MethodDescriptor;
import dev.nucleus.rpc.NotDeliveredException;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Objects;

/**
 * The machinery of a {@link dev.nucleus.rpc.LocalBinding}: the dispatcher, the caller's space, the
 * default timeout, and the pool of call slots.
 *
 * <p>Pool: an array of slots, replaced (copy on write, under {@link #growLock}) when every slot is
 * taken. {@link #take} scans from the first slot and claims the first free one by CAS, so the
 * slots used most stay few and warm (LRPC takes its A-stacks LIFO for the same reason); a thread
 * that finds all taken (concurrent callers, or a call nested in an implementation) adds one. No
 * lock and no allocation when a slot is free; slots are never removed, so the pool is as large as
 * the most calls in flight at once.
 *
 * <p>Thread-safe.
 */
public final class LocalBindingCore {

  private static final System.Logger LOG = System.getLogger("dev.nucleus.rpc.LocalBinding");

  private final Dispatcher dispatcher;
  private final int space;
  private final long defaultTimeout;
  private final int stackBytes;
  /** The stacks of every slot: freed by the GC with the binding, never while a call may use them. */
  private final Arena arena = Arena.ofAuto();
  private final Object growLock = new Object();
  /** The slots; replaced, never changed in place, under {@link #growLock}. */
  private volatile LocalCall[] calls = new LocalCall[0];
  private volatile boolean closed;

  /**
   * The core of a binding to {@code dispatcher}.
   *
   * @param dispatcher the adapter called
   * @param space the space number reported as the caller's
   * @param defaultTimeout the default timeout of a call, a {@link dev.nucleus.kernel.Timeout}
   *     encoding: NEVER or relative
   * @param stackBytes the size of each preallocated request and reply stack
   */
  public LocalBindingCore(Dispatcher dispatcher, int space, long defaultTimeout, int stackBytes) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.space = space;
    this.defaultTimeout = defaultTimeout;
    this.stackBytes = stackBytes;
  }

  /**
   * Claims a free slot (or a new one) and opens it for {@code method}.
   *
   * @param method the method to call
   * @return the open call
   * @throws NotDeliveredException if the binding is closed
   */
  public LocalCall take(MethodDescriptor method) {
    if (closed) {
      throw new NotDeliveredException(method + ": the local binding is closed");
    }
    LocalCall call = claimFree();
    if (call == null) {
      call = addClaimed();
    }
    call.start(method, Deadlines.current(defaultTimeout));
    return call;
  }

  /**
   * How many slots the pool holds.
   *
   * @return the most calls that were in flight at once
   */
  public int slots() {
    return calls.length;
  }

  /** The dispatcher the calls are served by. */
  Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The caller's space number. */
  int space() {
    return space;
  }

  /** Whether calls are refused. */
  boolean isClosed() {
    return closed;
  }

  /** Refuses further calls; calls in flight finish. */
  public void close() {
    closed = true;
  }

  /** A one-way call the server could not serve: no client hears of it, so it is logged. */
  void onewayFailed(MethodDescriptor method, String outcome, Throwable failure) {
    LOG.log(System.Logger.Level.WARNING, "oneway call " + method + " ended with " + outcome + " at the server",
        failure);
  }

  private LocalCall claimFree() {
    for (final LocalCall call : calls) {
      if (call.tryClaim()) {
        return call;
      }
    }
    return null;
  }

  private LocalCall addClaimed() {
    synchronized (growLock) {
      final LocalCall call = LocalCall.create(this, arena, stackBytes);
      if (!call.tryClaim()) {
        throw new AssertionError("a new call slot is claimed by its creator");
      }
      final LocalCall[] old = calls;
      final LocalCall[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = call;
      calls = grown;
      return call;
    }
  }
}
