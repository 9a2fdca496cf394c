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
 *       the phase that failed (SEND: nothing was delivered; RECEIVE: for a call, the request was
 *       delivered but no reply came). Nothing on the IPC path throws or allocates. Misuse throws:
 *       an IPC operation called from a thread other than the owner (WrongThreadException), a
 *       register index out of range (IndexOutOfBoundsException), the registers touched after the
 *       owner closed this thread (IllegalStateException).
 *   <li><b>Blocking</b>: send, call, receive, waitAny, waitAt, replyWait and waitNotifications
 *       block until they complete, fail, time out or are {@linkplain #abort() aborted}; reply,
 *       notifyBits and pollNotifications never block. A thread blocked in IPC is woken with an
 *       error when its partner dies (PEER_DEAD) or it is itself ended (CLOSED); no IPC hangs on
 *       a dead partner.
 *   <li><b>Registers</b>: an operation sends MR0 (the tag) and the words it names; after OK, a
 *       receive or call leaves the message received in the registers. After a SEND-phase failure
 *       the registers hold the message unchanged, ready to be sent again; after a RECEIVE-phase
 *       failure they hold no message to rely on (docs/protocol.md, section 6, rule 15).
 *   <li><b>Timeouts</b>: one {@link Timeout} per phase: NEVER, ZERO (fail with NO_PARTNER unless
 *       the partner is already waiting), relative, absolute. The receive timeout of a call starts
 *       when its send phase ends.
 *   <li><b>Identity</b>: after a receive, {@link #sender()} is the kernel-stamped id of the
 *       sender ({@link ThreadId#NIL} for a notification), never a value the sender chose.
 *   <li><b>Thread-safety</b>: all operations except {@link #abort()}, {@link #close()},
 *       {@link #ipcState()}, {@link #notificationMask()} and the fixed properties ({@link #id()},
 *       {@link #name()}, {@link #space()}, {@link #waitStrategy()},
 *       {@link #messageRegisters()}) must be called by the thread that owns this IpcThread (the
 *       one running its body, or the one that attached it). The IPC and notification operations
 *       check it; the register accessors ({@link #tag()}, {@link #mr(int)}, {@link #sender()},
 *       {@link #canReply()} and the setters) do not, for speed.
 *   <li><b>Memory consistency</b>: actions of a sender before a send or call happen-before the
 *       receiver's return from the matching receive, and the server's actions before its reply
 *       happen-before the caller's return from the call. Actions of a thread before
 *       {@link #notifyBits} happen-before the return of the receiver's operation that takes those
 *       bits.
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

  /**
   * This thread's id. Thread-safe.
   *
   * @return the id partners address; stale once this thread has ended
   */
  public long id() {
    return id;
  }

  /**
   * The name given at creation. Thread-safe.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The space this thread belongs to. Thread-safe.
   *
   * @return its space
   */
  public Space space() {
    return space;
  }

  /**
   * How this thread waits for its partners. Fixed at creation; thread-safe.
   *
   * @return its wait strategy
   */
  public WaitStrategy waitStrategy() {
    return engine.waitStrategy();
  }

  /**
   * Number of message registers, MR0 (the tag) included. Fixed by the kernel; thread-safe.
   *
   * @return the kernel's {@link Kernel.Config#messageRegisters()}
   */
  public int messageRegisters() {
    return engine.messageRegisters();
  }

  /**
   * MR0, the message tag. Owner thread only (not checked); never blocks.
   *
   * @return the tag of the message last received or about to be sent
   * @throws IllegalStateException if the owner has closed this thread
   */
  public long tag() {
    checkOpen();
    return engine.tag();
  }

  /**
   * Sets MR0, the message tag (see {@link MessageTag}). Owner thread only (not checked); never
   * blocks. A tag naming more words than the registers hold is accepted here and fails the next
   * send with MSG_TOO_LONG.
   *
   * @param tag the tag of the next message
   * @throws IllegalStateException if the owner has closed this thread
   */
  public void setTag(long tag) {
    checkOpen();
    engine.setTag(tag);
  }

  /**
   * Message register {@code i} (0 is the tag). Owner thread only (not checked); never blocks.
   *
   * @param i the register, 0..{@link #messageRegisters()}-1
   * @return its value
   * @throws IndexOutOfBoundsException if {@code i} is out of range
   * @throws IllegalStateException if the owner has closed this thread
   */
  public long mr(int i) {
    checkOpen();
    return engine.mr(i);
  }

  /**
   * Sets message register {@code i} (0 is the tag). Owner thread only (not checked); never
   * blocks.
   *
   * @param i the register, 0..{@link #messageRegisters()}-1
   * @param value the word to store
   * @throws IndexOutOfBoundsException if {@code i} is out of range
   * @throws IllegalStateException if the owner has closed this thread
   */
  public void setMr(int i, long value) {
    checkOpen();
    engine.setMr(i, value);
  }

  /**
   * The kernel-stamped id of the sender of the last message received. Owner thread only (not
   * checked); never blocks.
   *
   * @return the sender's id, never a value the sender chose; {@link ThreadId#NIL} for a
   *     notification; an interrupt's {@link Interrupt#id()} for an interrupt delivery
   */
  public long sender() {
    return engine.sender();
  }

  /**
   * The OS process the last message received came from, as the kernel knows it: for binder-style
   * caller checks ({@code getCallingPid}). Owner thread only (not checked); never blocks.
   *
   * @return the pid of the sender's process space, or 0 if the sender runs in this process (a
   *     thread space, the kernel's own space for interrupts) or nothing was received yet
   */
  public long senderPid() {
    return engine.senderPid();
  }

  /**
   * Whether this thread holds a reply capability: the last message received was a call, and no
   * reply has used it up yet (see {@link #reply()}). Owner thread only (not checked); never
   * blocks.
   *
   * @return true if {@link #reply()} has a caller to answer
   */
  public boolean canReply() {
    return engine.canReply();
  }

  /**
   * Sends the message in the registers to thread or endpoint {@code to}. Blocks until a receiver
   * takes it or {@code timeout} expires; senders blocked at one thread or endpoint are taken in
   * FIFO order. A send to a thread is taken only by that thread's own receives ({@link #receive},
   * {@link #waitAny}, {@link #replyWait(long)}), never while it waits for a reply, for
   * notifications or at an endpoint. Owner thread only.
   *
   * @param to the id of a thread or endpoint; of another space only with a channel
   * @param timeout how long to wait for a receiver ({@link Timeout})
   * @return {@link Status#OK} once delivered; else, in the send phase: TIMEOUT, NO_PARTNER (zero
   *     timeout and no receiver waiting: the message is dropped and the drop reported),
   *     INVALID_ID (malformed, space or index out of range), STALE_ID (the thread or endpoint has
   *     gone), NOT_PERMITTED (no channel, or it was closed while queued; an interrupt's id),
   *     MSG_TOO_LONG, PEER_DEAD (the receiver died, or the endpoint closed, while this send was
   *     queued), ABORTED,
   *     INVALID_ARGUMENT (bad timeout), CLOSED (this thread has ended), PROTOCOL_ERROR (a broken
   *     process space)
   * @throws WrongThreadException if not called by the owner thread
   */
  public int send(long to, long timeout) {
    checkOwner();
    return engine.send(to, timeout);
  }

  /**
   * Calls {@code to}: sends the request in the registers, then waits for the reply, which
   * replaces the registers, as one operation. The delivery gives the receiver a one-shot reply
   * capability, so the reply can only come from the thread that took the request (for an
   * endpoint: whichever member took it); a plain send to this thread does not end the wait.
   * Blocks until the reply arrives or a phase fails. Owner thread only.
   *
   * @param to the id of a thread or endpoint; of another space only with a channel
   * @param sendTimeout how long to wait for a receiver to take the request
   * @param receiveTimeout how long to wait for the reply, counted from the delivery
   * @return {@link Status#OK} with the reply in the registers and {@link #sender()} the replier;
   *     else a status that says its phase: SEND (the request was not delivered: the errors of
   *     {@link #send}, INVALID_ARGUMENT also for a bad {@code receiveTimeout}) or RECEIVE (it was
   *     delivered but no reply came: PEER_DEAD, TIMEOUT, ABORTED, CLOSED, PROTOCOL_ERROR)
   * @throws WrongThreadException if not called by the owner thread
   */
  public int call(long to, long sendTimeout, long receiveTimeout) {
    checkOwner();
    return engine.call(to, sendTimeout, receiveTimeout);
  }

  /**
   * {@link #call(long, long, long)} with both timeouts NEVER: blocks until the reply arrives or
   * the call fails (partner death, abort, end of this thread). Owner thread only.
   *
   * @param to the id of a thread or endpoint; of another space only with a channel
   * @return {@link Status#OK} with the reply in the registers, else an error with its phase, as
   *     for {@link #call(long, long, long)}
   * @throws WrongThreadException if not called by the owner thread
   */
  public int call(long to) {
    checkOwner();
    return engine.call(to, Timeout.NEVER, Timeout.NEVER);
  }

  /**
   * Closed receive: waits for a message from thread {@code from} only ({@link ThreadId#ANY}:
   * open, as {@link #waitAny}). Other senders stay queued. A handler may receive from its
   * interrupt's id (the kernel space reaches every space). Blocks until a message arrives or
   * {@code timeout} expires. Owner thread only.
   *
   * @param from the id of the thread to receive from (not an endpoint), or {@link ThreadId#ANY}
   * @param timeout how long to wait for the message ({@link Timeout})
   * @return {@link Status#OK} with the message in the registers ({@link #sender()},
   *     {@link #canReply()} set); else, in the receive phase: TIMEOUT, NO_PARTNER (zero timeout,
   *     no sender waiting), INVALID_ID (malformed or out of range, or an endpoint id), STALE_ID
   *     ({@code from} has gone), PEER_DEAD ({@code from} died while this receive waited),
   *     NOT_PERMITTED (no channel), ABORTED, INVALID_ARGUMENT (bad timeout), CLOSED (this thread
   *     has ended), PROTOCOL_ERROR (a broken process space)
   * @throws WrongThreadException if not called by the owner thread
   */
  public int receive(long from, long timeout) {
    checkOwner();
    return engine.receive(from, timeout);
  }

  /**
   * Open receive at this thread's own id: waits for a message from any thread (L4's
   * {@code L4_Wait}; named so because {@code Object.wait(long)} is final). Same as
   * {@code receive(ThreadId.ANY, timeout)}. Takes a message from any thread permitted to send
   * here, in this space, in a space with a channel to it, or in a process space it is the peer of;
   * blocked senders are taken in FIFO order (for a space that is the peer of process spaces:
   * among the root's senders, and among each process space's). Blocks until a message arrives or
   * {@code timeout} expires. Owner thread only.
   *
   * @param timeout how long to wait for a message ({@link Timeout})
   * @return {@link Status#OK} with the message in the registers; else, in the receive phase:
   *     TIMEOUT, NO_PARTNER (zero timeout, no sender waiting), ABORTED, INVALID_ARGUMENT, CLOSED,
   *     PROTOCOL_ERROR
   * @throws WrongThreadException if not called by the owner thread
   */
  public int waitAny(long timeout) {
    checkOwner();
    return engine.waitAny(timeout);
  }

  /**
   * Open receive at {@code endpoint}, which must belong to this thread's space and be open. Up to
   * 64 threads may wait on one endpoint; a message goes to one of them, and senders queued there
   * are taken in FIFO order. Messages sent to this thread's own id are not taken here. Blocks
   * until a message arrives or {@code timeout} expires. Owner thread only.
   *
   * @param endpoint an endpoint of this thread's space
   * @param timeout how long to wait for a message ({@link Timeout})
   * @return {@link Status#OK} with the message in the registers; else, in the receive phase:
   *     TIMEOUT, NO_PARTNER (zero timeout, no sender waiting), NOT_PERMITTED (an endpoint of
   *     another space, or 64 other member threads already), STALE_ID (closed before this wait),
   *     PEER_DEAD (closed during it; see {@link Endpoint#close()}), ABORTED, INVALID_ARGUMENT,
   *     CLOSED, PROTOCOL_ERROR
   * @throws WrongThreadException if not called by the owner thread
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
   * a reply rejected for MSG_TOO_LONG keeps it, so that a corrected reply can follow. A reply
   * needs no channel (the call was permitted). Owner thread only.
   *
   * @return {@link Status#OK} once the reply is in the caller's registers; else, in the send
   *     phase: NO_PARTNER (no call to answer, or the caller no longer waits), STALE_ID (the
   *     caller's thread has gone), MSG_TOO_LONG, INVALID_ID (a caller id forged by a broken
   *     process space), CLOSED (this thread has ended)
   * @throws WrongThreadException if not called by the owner thread
   */
  public int reply() {
    checkOwner();
    return engine.reply();
  }

  /**
   * Replies to the last call (if any) and waits at this thread's own id, as one operation: the
   * server is receiving again before its caller resumes, so a caller that calls again at once
   * finds it waiting. The timeout is checked first: if it is invalid, nothing is replied and the
   * capability is kept. If there is no call to answer, only waits (as {@link #waitAny}). If the
   * reply fails, returns that send-phase status at once without waiting, so the server is never
   * stuck on a dead or impatient client. Blocks in the receive phase as {@link #waitAny} does.
   * Owner thread only.
   *
   * @param timeout how long to wait for the next message, from the end of the reply
   * @return {@link Status#OK} with the next message in the registers; a send-phase status if the
   *     reply failed (as {@link #reply()}); else a receive-phase status as {@link #waitAny}'s
   * @throws WrongThreadException if not called by the owner thread
   */
  public int replyWait(long timeout) {
    checkOwner();
    return engine.replyWait(timeout);
  }

  /**
   * Replies to the last call and waits at {@code endpoint}, as one operation: the server is
   * receiving again before the caller resumes. The timeout and the endpoint are checked first: if
   * either is refused, nothing is replied and the capability is kept. If there is no call to
   * answer, only waits (as {@link #waitAt}). If the reply fails, returns that send-phase status
   * at once without waiting, so the server is never stuck on a dead or impatient client. Owner
   * thread only.
   *
   * @param endpoint an endpoint of this thread's space
   * @param timeout how long to wait for the next message, from the end of the reply
   * @return {@link Status#OK} with the next message in the registers; a send-phase status if the
   *     reply failed (as {@link #reply()}); else a receive-phase status as {@link #waitAt}'s
   * @throws WrongThreadException if not called by the owner thread
   */
  public int replyWait(Endpoint endpoint, long timeout) {
    checkOwner();
    return engine.replyWaitAt(endpoint.port, timeout);
  }

  /**
   * ORs {@code bits} into thread {@code to}'s notification word. Never blocks. If {@code to} is
   * waiting for notifications (or receiving with notifications accepted) and a bit it accepts is
   * set, it wakes. Bits are ORed, not counted: two notifications of one bit before the receiver
   * takes them are seen as one. A thread may notify itself. Needs a channel, as a send does.
   * Thread-safe with respect to the receiver; must be called by this thread's owner.
   *
   * @param to the id of a thread (not an endpoint)
   * @param bits the bits to set; 0 sets none but still checks {@code to}
   * @return {@link Status#OK} once the bits are set; else, in the send phase: INVALID_ID
   *     (malformed, out of range, or an endpoint id), STALE_ID, NOT_PERMITTED (no channel; an
   *     interrupt's id), CLOSED (this thread has ended)
   * @throws WrongThreadException if not called by the owner thread
   */
  public int notifyBits(long to, long bits) {
    checkOwner();
    return engine.notify(to, bits);
  }

  /**
   * Takes and returns the pending notification bits this thread accepts; masked bits stay
   * pending. Leaves the registers alone. Never blocks. Owner thread only.
   *
   * @return the bits taken, 0 if none
   * @throws WrongThreadException if not called by the owner thread
   */
  public long pollNotifications() {
    checkOwner();
    return engine.pollNotifications();
  }

  /**
   * Waits until a notification this thread accepts is pending, takes it, and returns OK with the
   * bits in MR1 and the tag labelled {@link MessageTag#NOTIFICATION_LABEL}. Messages are not
   * taken: senders stay queued. Blocks until a notification arrives or {@code timeout} expires.
   * Owner thread only.
   *
   * @param timeout how long to wait ({@link Timeout})
   * @return {@link Status#OK} with MR0 = {@code MessageTag.of(NOTIFICATION_LABEL, 1)}, MR1 = the
   *     bits taken, {@link #sender()} = {@link ThreadId#NIL}; else, in the receive phase:
   *     TIMEOUT, NO_PARTNER (zero timeout, none pending), ABORTED, INVALID_ARGUMENT, CLOSED
   * @throws WrongThreadException if not called by the owner thread
   */
  public int waitNotifications(long timeout) {
    checkOwner();
    return engine.waitNotifications(timeout);
  }

  /**
   * Sets which notification bits this thread accepts (all by default). Masked bits stay pending,
   * do not wake the thread, and are delivered once unmasked. Takes the kernel's management lock
   * briefly; never blocks on IPC. Owner thread only.
   *
   * @param mask the accepted bits
   * @throws WrongThreadException if not called by the owner thread
   */
  public void setNotificationMask(long mask) {
    checkOwner();
    engine.setNotificationMask(mask);
  }

  /**
   * The accepted notification bits. Thread-safe; never blocks.
   *
   * @return the mask last set by {@link #setNotificationMask}, all ones by default
   */
  public long notificationMask() {
    return engine.notificationMask();
  }

  /**
   * Whether {@link #waitAny}, {@link #waitAt(Endpoint, long)}, {@link #receive} and {@link #replyWait} also complete with a pending
   * accepted notification (seL4's bound notification). When both a notification and a sender
   * are pending, the notification is delivered first; the sender stays queued. A notification
   * completes such a receive as {@link #waitNotifications} does (OK, tag labelled
   * {@link MessageTag#NOTIFICATION_LABEL}, MR1 = the bits, sender NIL, no reply capability).
   * Off by default. Never blocks. Owner thread only.
   *
   * @param accept whether this thread's receives also take notifications
   * @throws WrongThreadException if not called by the owner thread
   */
  public void acceptNotifications(boolean accept) {
    checkOwner();
    engine.acceptNotifications(accept);
  }

  /**
   * Aborts this thread's IPC in progress, if any: it returns ABORTED, in the phase it was in.
   * No effect, and nothing remembered, if the thread is not in an IPC. A copy already under way
   * completes first, and the IPC may then succeed. Never blocks. Thread-safe; callable from any
   * thread.
   */
  public void abort() {
    engine.abort();
  }

  /**
   * What this thread is doing in IPC right now, as {@link Kernel#ipcState(long)} reads it.
   * Thread-safe; never blocks on IPC.
   *
   * @return a snapshot; DEAD once this thread has ended
   */
  public IpcState ipcState() {
    return registry.ipcState(id);
  }

  @Override
  public String toString() {
    return name + "[" + ThreadId.toString(id) + "]";
  }

  /**
   * Ends this thread: its id becomes stale, partners blocked on it get PEER_DEAD. For attached
   * threads; a spawned thread ends when its body returns. If another thread closes it, its IPC
   * in progress returns CLOSED. Does not block on IPC: takes the kernel's management lock
   * briefly and waits only for a message copy already under way to finish. Idempotent. May be
   * called from any thread; once the owner has closed it, the owner may no longer touch its
   * registers (IllegalStateException).
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
