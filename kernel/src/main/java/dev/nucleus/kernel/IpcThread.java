package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.ThreadEngine;

/**
 * An IPC-capable thread of a {@link Space}: its id, its UTCB (message registers MR0..MRn, MR0
 * being the {@linkplain MessageTag tag}) and the IPC operations of L4.
 *
 * <h2>Operations</h2>
 *
 * <ul>
 *   <li>{@link #send}: deliver the message in the registers; blocks until a receiver takes it.
 *   <li>{@link #receive}: closed receive, only from one thread.
 *   <li>{@link #waitAny(long)}: open receive, from any thread, at this thread's own id;
 *       {@link #waitAt(Endpoint, long)} at an endpoint of this thread's space.
 *   <li>{@link #call}: send, then receive the reply, as one operation: the partner's reply
 *       capability is created by the delivery, so the reply can only come from the thread that
 *       took the request.
 *   <li>{@link #reply}: answer the last call received (one-shot, never blocks).
 *   <li>{@link #replyWait}: reply and wait for the next message, as one operation: the server is
 *       receiving again before its caller runs.
 *   <li>{@link #notifyBits}, {@link #pollNotifications}, {@link #waitNotifications}: notification
 *       bits, ORed into the receiver without blocking the sender.
 * </ul>
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Results</b>: every IPC operation returns a {@link Status}: OK, or an error code with
 *       the phase that failed. Nothing on the IPC path throws or allocates. Misuse (calling from
 *       a thread other than the owner, register index out of range) throws.
 *   <li><b>Timeouts</b>: one {@link Timeout} per phase: NEVER, ZERO (fail with NO_PARTNER unless
 *       the partner is already waiting), relative, absolute. The receive timeout of a call starts
 *       when its send phase ends.
 *   <li><b>Identity</b>: after a receive, {@link #sender()} is the kernel-stamped id of the
 *       sender ({@link ThreadId#NIL} for a notification), never a value the sender chose.
 *   <li><b>Thread-safety</b>: all operations except {@link #abort()}, {@link #id()},
 *       {@link #name()} and {@link #ipcState()} must be called by the thread that owns this
 *       IpcThread (the one running its body, or the one that attached it).
 *   <li><b>Memory consistency</b>: actions of a sender before a send or call happen-before the
 *       receiver's return from the matching receive, and the server's actions before its reply
 *       happen-before the caller's return from the call.
 * </ul>
 */
public final class IpcThread implements AutoCloseable {

  private final ThreadRegistry registry;
  private final Space space;
  private final String name;
  private final long id;
  /** The engine: registers, IPC state and operations. */
  final ThreadEngine engine;
  private volatile Thread owner;
  /** Set once the owner can no longer use this IpcThread: its slot may then be reused. */
  private volatile boolean released;
  /** Set by the owner's close(): the registers may belong to another thread from then on. */
  private boolean closedByOwner;

  IpcThread(ThreadRegistry registry, Space space, ThreadEngine engine, String name) {
    this.registry = registry;
    this.space = space;
    this.engine = engine;
    this.id = engine.id;
    this.name = name;
  }

  void bindOwner(Thread t) {
    this.owner = t;
  }

  /** This thread's id. Thread-safe. */
  public long id() {
    return id;
  }

  /** The name given at creation. Thread-safe. */
  public String name() {
    return name;
  }

  /** The space this thread belongs to. Thread-safe. */
  public Space space() {
    return space;
  }

  /** How this thread waits for its partners. */
  public WaitStrategy waitStrategy() {
    return engine.waitStrategy();
  }

  /** Number of message registers, MR0 (the tag) included. */
  public int messageRegisters() {
    return engine.messageRegisters();
  }

  /** MR0, the message tag. */
  public long tag() {
    checkOpen();
    return engine.tag();
  }

  /** Sets MR0, the message tag (see {@link MessageTag}). */
  public void setTag(long tag) {
    checkOpen();
    engine.setTag(tag);
  }

  /** Message register {@code i} (0 is the tag). */
  public long mr(int i) {
    checkOpen();
    return engine.mr(i);
  }

  /** Sets message register {@code i} (0 is the tag). */
  public void setMr(int i, long value) {
    checkOpen();
    engine.setMr(i, value);
  }

  /** The kernel-stamped id of the sender of the last message received (NIL for a notification). */
  public long sender() {
    return engine.sender();
  }

  /** Whether the last message received was a call that has not been replied to yet. */
  public boolean canReply() {
    return engine.canReply();
  }

  /**
   * Sends the message in the registers to thread or endpoint {@code to}. Blocks until a receiver
   * takes it or {@code timeout} expires. Errors (send phase): TIMEOUT, NO_PARTNER (zero timeout,
   * nobody waiting: the message is dropped and the drop reported), INVALID_ID, STALE_ID,
   * NOT_PERMITTED (no channel), MSG_TOO_LONG, PEER_DEAD, ABORTED, INVALID_ARGUMENT, CLOSED.
   */
  public int send(long to, long timeout) {
    checkOwner();
    return engine.send(to, timeout);
  }

  /**
   * Calls {@code to}: sends the request in the registers, then waits for the reply, which
   * replaces the registers. A failure says its phase: SEND (the request was not delivered) or
   * RECEIVE (delivered, but no reply: PEER_DEAD, TIMEOUT, ABORTED, CLOSED).
   */
  public int call(long to, long sendTimeout, long receiveTimeout) {
    checkOwner();
    return engine.call(to, sendTimeout, receiveTimeout);
  }

  /** {@link #call(long, long, long)} with both timeouts NEVER. */
  public int call(long to) {
    checkOwner();
    return engine.call(to, Timeout.NEVER, Timeout.NEVER);
  }

  /**
   * Closed receive: waits for a message from thread {@code from} only ({@link ThreadId#ANY}:
   * open). Errors (receive phase): TIMEOUT, NO_PARTNER (zero timeout), INVALID_ID, STALE_ID (from
   * has gone), PEER_DEAD (it died while we waited), NOT_PERMITTED, ABORTED, INVALID_ARGUMENT,
   * CLOSED. A handler may receive from its interrupt's id (the kernel space reaches every space).
   */
  public int receive(long from, long timeout) {
    checkOwner();
    return engine.receive(from, timeout);
  }

  /**
   * Open receive at this thread's own id: waits for a message from any thread (L4's
   * {@code L4_Wait}; named so because {@code Object.wait(long)} is final). Same as
   * {@code receive(ThreadId.ANY, timeout)}.
   */
  public int waitAny(long timeout) {
    checkOwner();
    return engine.waitAny(timeout);
  }

  /**
   * Open receive at {@code endpoint}, which must belong to this thread's space (else
   * NOT_PERMITTED) and be open (else STALE_ID). Up to 64 threads may wait on one endpoint; a
   * message goes to one of them.
   */
  public int waitAt(Endpoint endpoint, long timeout) {
    checkOwner();
    return engine.receiveAt(endpoint.port, timeout);
  }

  /**
   * Replies to the last call received, with the message in the registers. Never blocks: if the
   * caller is no longer waiting (it timed out, was aborted, or was answered) the reply fails
   * with NO_PARTNER, or STALE_ID if the caller's thread has gone. Without a call to answer:
   * NO_PARTNER. The reply capability is used up by any attempt that gets as far as the caller;
   * a reply rejected for MSG_TOO_LONG keeps it, so that a corrected reply can follow.
   */
  public int reply() {
    checkOwner();
    return engine.reply();
  }

  /** Replies to the last call (if any) and waits at this thread's own id. */
  public int replyWait(long timeout) {
    checkOwner();
    return engine.replyWait(timeout);
  }

  /**
   * Replies to the last call and waits at {@code endpoint}, as one operation: the server is
   * receiving again before the caller resumes. If there is no call to answer, only waits. If the
   * reply fails, returns that send-phase status at once without waiting, so the server is never
   * stuck on a dead or impatient client.
   */
  public int replyWait(Endpoint endpoint, long timeout) {
    checkOwner();
    return engine.replyWaitAt(endpoint.port, timeout);
  }

  /**
   * ORs {@code bits} into thread {@code to}'s notification word. Never blocks. If {@code to} is
   * waiting for notifications (or receiving with notifications accepted) and a bit it accepts is
   * set, it wakes. Errors (send phase): INVALID_ID (also for endpoints), STALE_ID, NOT_PERMITTED,
   * CLOSED. Thread-safe with respect to the receiver; must be called by this thread's owner.
   */
  public int notifyBits(long to, long bits) {
    checkOwner();
    return engine.notify(to, bits);
  }

  /** Takes and returns the pending notification bits this thread accepts (0 if none). Never blocks. */
  public long pollNotifications() {
    checkOwner();
    return engine.pollNotifications();
  }

  /**
   * Waits until a notification this thread accepts is pending, takes it, and returns OK with the
   * bits in MR1 and the tag labelled {@link MessageTag#NOTIFICATION_LABEL}. Errors (receive
   * phase): TIMEOUT, NO_PARTNER (zero timeout, none pending), ABORTED, CLOSED.
   */
  public int waitNotifications(long timeout) {
    checkOwner();
    return engine.waitNotifications(timeout);
  }

  /**
   * Sets which notification bits this thread accepts (all by default). Masked bits stay pending,
   * do not wake the thread, and are delivered once unmasked.
   */
  public void setNotificationMask(long mask) {
    checkOwner();
    engine.setNotificationMask(mask);
  }

  /** The accepted notification bits. */
  public long notificationMask() {
    return engine.notificationMask();
  }

  /**
   * Whether {@link #waitAny}, {@link #waitAt(Endpoint, long)}, {@link #receive} and {@link #replyWait} also complete with a pending
   * accepted notification (seL4's bound notification). When both a notification and a sender
   * are pending, the notification is delivered first; the sender stays queued.
   */
  public void acceptNotifications(boolean accept) {
    checkOwner();
    engine.acceptNotifications(accept);
  }

  /**
   * Aborts this thread's IPC in progress, if any: it returns ABORTED, in the phase it was in.
   * No effect, and nothing remembered, if the thread is not in an IPC. Thread-safe; callable
   * from any thread.
   */
  public void abort() {
    engine.abort();
  }

  /** What this thread is doing in IPC right now. Thread-safe. */
  public IpcState ipcState() {
    return registry.ipcState(id);
  }

  @Override
  public String toString() {
    return name + "[" + ThreadId.toString(id) + "]";
  }

  /**
   * Ends this thread: its id becomes stale, partners blocked on it get PEER_DEAD. For attached
   * threads; a spawned thread ends when its body returns. Idempotent. May be called from any
   * thread; once the owner has closed it, the owner may no longer touch its registers.
   */
  @Override
  public void close() {
    registry.exitThread(this);
    if (Thread.currentThread() == owner) {
      closedByOwner = true;
      released = true;
    }
  }

  /** Called by the owner thread as it stops using this IpcThread for good. */
  void release() {
    released = true;
  }

  /** Whether the slot of this (dead) thread may be given to a new thread. */
  boolean isReleased() {
    final Thread t = owner;
    return released || t == null || !t.isAlive();
  }

  private void checkOpen() {
    if (closedByOwner) {
      throw new IllegalStateException(this + " is closed; its registers may belong to another thread now");
    }
  }

  private void checkOwner() {
    if (Thread.currentThread() != owner) {
      throw new WrongThreadException(
          this + " is owned by " + (owner == null ? "no thread" : owner.getName())
              + "; IPC operations must run on the owning thread");
    }
  }
}
