package dev.nucleus.kernel;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A server thread that is a sequential object, a counter, behind the rendezvous: with it, the
 * calls and sends of several clients are linearizable exactly when the IPC delivers each message
 * once, to this server, and each reply to the thread whose call it answers.
 *
 * <p>Requests: {@link #ADD} (MR1 = the amount, MR2 = a token) returns the value before the
 * addition in MR1 and echoes the token in MR2; {@link #GET} returns the value. A send (not a call)
 * of ADD adds without an answer. Every request's token is recorded as the server takes it, in the
 * order taken, so a test can compare what was delivered with what its clients were told.
 */
final class CounterServer {

  /** Label of an addition: MR1 the amount, MR2 the caller's token. */
  static final long ADD = 1;
  /** Label of a read: MR2 the caller's token. */
  static final long GET = 2;

  /** Tokens of the requests taken, in order; written by the server thread only. */
  final Queue<Long> taken = new ConcurrentLinkedQueue<>();
  private final long id;

  /** Spawns the server thread in {@code space}; it runs until the space ends. */
  CounterServer(Space space) {
    this.id = space.spawn("counter", WaitStrategy.ADAPTIVE, this::serve).id();
  }

  /** The server thread's id. */
  long id() {
    return id;
  }

  private void serve(IpcThread self) {
    long value = 0;
    int status = self.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      if (!Status.isOk(status)) {
        // the reply failed (its caller stopped waiting): nothing was received, wait again
        status = self.waitAny(Timeout.NEVER);
        continue;
      }
      final long label = MessageTag.label(self.tag());
      final long token = self.mr(2);
      taken.add(token);
      final long before = value;
      if (label == ADD) {
        value += self.mr(1);
      }
      self.setTag(MessageTag.of(label, 2));
      self.setMr(1, before);
      self.setMr(2, token);
      status = self.replyWait(Timeout.NEVER); // after a send there is no call to answer: it only waits
    }
  }
}
