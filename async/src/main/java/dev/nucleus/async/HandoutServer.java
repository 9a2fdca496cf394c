package dev.nucleus.async;

import dev.nucleus.async.internal.HandoutMessage;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The broker's server thread in one root thread space (the peer of process spaces that hold queue
 * ends): a Java thread of the broker's own, attached to that space, that answers handout requests
 * (docs/queues.md) one at a time.
 *
 * <pre>
 *   loop:
 *     waitAny(NEVER)                       CLOSED (the broker closed this thread, or the space ended): stop
 *     a call with a reply capability:
 *       decide under the broker's lock     the caller's space is the kernel-stamped sender's
 *       reply                              failed after OK: the end is taken back (the caller never got it)
 * </pre>
 *
 * The thread is attached, not spawned, so nothing it does can end the space it serves in; it
 * catches every exception of a request and answers it as malformed. Thread-safe: {@link #close()}
 * from any thread.
 */
final class HandoutServer {

  /** How long the start waits for the thread to attach. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  /** How long close waits for the thread to finish. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final QueueBroker broker;
  private final Space home;
  private final Thread thread;
  private final CompletableFuture<IpcThread> attached = new CompletableFuture<>();

  private HandoutServer(QueueBroker broker, Space home) {
    this.broker = broker;
    this.home = home;
    this.thread = Thread.ofPlatform().daemon().name("nucleus-queue-broker-" + home.name()).unstarted(this::run);
  }

  /**
   * Starts a server in {@code home} and waits until its thread is attached there.
   *
   * @throws IllegalStateException if the thread cannot attach (the space ended, the thread table is full)
   */
  static HandoutServer start(QueueBroker broker, Space home) {
    final HandoutServer s = new HandoutServer(broker, home);
    s.thread.start();
    try {
      s.attached.get(START_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      return s;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot start the queue broker's server in " + home + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the queue broker's server did not attach to " + home + " within "
          + START_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the queue broker's server in " + home, e);
    }
  }

  /** The server thread's id: what process spaces are offered under {@link QueueClient#BROKER_NAME}. */
  long id() {
    return attached.join().id();
  }

  /** Whether the server still answers: its thread runs and its space has not ended. */
  boolean isRunning() {
    return thread.isAlive() && home.isAlive();
  }

  /** Stops the server: its wait returns CLOSED and the thread ends. Waits for that, bounded. */
  void close() {
    attached.join().close();
    try {
      thread.join(STOP_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    final IpcThread self;
    try {
      self = home.attach("nucleus-queue-broker", WaitStrategy.BLOCK);
    } catch (RuntimeException e) {
      attached.completeExceptionally(e);
      return;
    }
    attached.complete(self);
    try {
      serve(self);
    } finally {
      self.close();
    }
  }

  private void serve(IpcThread self) {
    while (true) {
      final int status = self.waitAny(Timeout.NEVER);
      if (status == Status.OK) {
        if (self.canReply()) {
          answer(self);
        }
      } else if (Status.code(status) == Status.CLOSED || !home.isAlive()) {
        return;
      }
    }
  }

  /** Answers the call in the registers; takes the end back if the reply does not reach the caller. */
  private void answer(IpcThread self) {
    final long label = MessageTag.label(self.tag());
    final boolean sendingEnd = label == HandoutMessage.OPEN_SENDER_LABEL;
    QueueBroker.Decision d;
    try {
      final String name = sendingEnd || label == HandoutMessage.OPEN_RECEIVER_LABEL ? HandoutMessage.takeName(self) : null;
      d = name == null ? QueueBroker.Decision.refused(HandoutMessage.REASON_MALFORMED)
          : broker.handOut(ThreadId.space(self.sender()), sendingEnd, name);
    } catch (RuntimeException e) {
      d = QueueBroker.Decision.refused(HandoutMessage.REASON_MALFORMED);
    }
    final QueueGrant g = d.grant();
    if (g == null) {
      HandoutMessage.putRefused(self, HandoutMessage.codeOf(d.reason()), d.reason());
      self.reply();
      return;
    }
    HandoutMessage.putGranted(self, d.handle(), d.bytes(), g.slots, g.peerSpace(sendingEnd), g.token,
        g.peerPid(sendingEnd));
    if (self.reply() != Status.OK) {
      broker.takeBack(g, sendingEnd);
    }
  }
}
