package dev.nucleus.kernel;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The partner threads of the conformance suite, as small named bodies that take only ids and
 * primitive values, so that another transport (process spaces) can run the same bodies elsewhere.
 *
 * <p>Partners tell the test what they saw through IPC: a <em>report</em> is a plain send to the
 * test thread labelled {@link #REPORT}, its words in MR1.. (see {@link #report}). A partner that
 * sees something it cannot report throws, which ends its space: the suite checks
 * {@link Space#failure()} of every space it created. Every body returns quietly when its own IPC
 * answers {@link Status#CLOSED} (its space ended or the kernel closed), so tests can end spaces.
 */
final class Partners {

  /** Label of a report message sent to the test thread. */
  static final long REPORT = 0x5EB0L;
  /** Label of a reply that says a seeded request did not match (MR1 = first bad word). */
  static final long MISMATCH = 0xBAD0L;
  /** Salt of the seed of replies to seeded calls. */
  static final long REPLY_SALT = 0x5A17_5A17L;

  private Partners() {}

  // --- reporting ----------------------------------------------------------------------------

  /** Sends {@code words} to {@code to} as a report; its status (nothing is sent to NIL). */
  static int report(IpcThread self, long to, long... words) {
    if (to == ThreadId.NIL) {
      return Status.OK;
    }
    self.setTag(MessageTag.of(REPORT, words.length));
    for (int i = 0; i < words.length; i++) {
      self.setMr(i + 1, words[i]);
    }
    return self.send(to, Timeout.NEVER);
  }

  /** Reports {@code [status, sender, tag, MR1]} of the IPC that just returned {@code status}. */
  static int reportReceived(IpcThread self, long to, int status) {
    return report(self, to, status, self.sender(), self.tag(), self.mr(1));
  }

  /** Throws unless {@code status} is OK; false (stop quietly) for CLOSED. */
  private static boolean ok(int status, String what) {
    if (status == Status.OK) {
      return true;
    }
    if (Status.code(status) == Status.CLOSED) {
      return false;
    }
    throw new AssertionError(what + ": " + Status.toString(status));
  }

  // --- servers ------------------------------------------------------------------------------

  /**
   * Serves calls with {@code replyWait} at its own id, answering each with the request unchanged
   * (tag and words). Starts with a replyWait that has nothing to answer. A reply that fails (the
   * caller has gone) is skipped: the server keeps serving.
   */
  static Space.Body echo() {
    return self -> {
      int status = self.replyWait(Timeout.NEVER);
      while (status == Status.OK || Status.failedInSend(status)) {
        status = self.replyWait(Timeout.NEVER);
      }
      ok(status, "echo");
    };
  }

  /**
   * Serves calls with {@code replyWait}, answering each with the request's label and
   * {@code [sender(), own id, request tag, request MR1]}.
   */
  static Space.Body whoAmI() {
    return self -> {
      int status = self.replyWait(Timeout.NEVER);
      while (status == Status.OK || Status.failedInSend(status)) {
        if (status == Status.OK) {
          final long tag = self.tag();
          final long mr1 = self.mr(1);
          self.setTag(MessageTag.of(MessageTag.label(tag), 4));
          self.setMr(1, self.sender());
          self.setMr(2, self.id());
          self.setMr(3, tag);
          self.setMr(4, mr1);
        }
        status = self.replyWait(Timeout.NEVER);
      }
      ok(status, "whoAmI");
    };
  }

  /**
   * Serves calls with separate operations: {@code waitAny}, then {@code reply} with the request's
   * label and MR1 + 1. Throws if a reply fails.
   */
  static Space.Body replyThenReceive() {
    return self -> {
      while (ok(self.waitAny(Timeout.NEVER), "replyThenReceive: waitAny")) {
        final long tag = self.tag();
        final long mr1 = self.mr(1);
        self.setTag(MessageTag.of(MessageTag.label(tag), 1));
        self.setMr(1, mr1 + 1);
        if (!ok(self.reply(), "replyThenReceive: reply")) {
          return;
        }
      }
    };
  }

  /**
   * Serves seeded calls: checks the request against {@link Seeded} (length = untyped count) and
   * replies with it unchanged, or with {@link #MISMATCH} and the first bad word's index.
   */
  static Space.Body seededChecker(long seed) {
    return self -> {
      int status = self.replyWait(Timeout.NEVER);
      while (ok(status, "seededChecker")) {
        final int length = MessageTag.untyped(self.tag());
        final int bad = Seeded.firstMismatch(self, seed, length);
        if (bad >= 0) {
          self.setTag(MessageTag.of(MISMATCH, 1));
          self.setMr(1, bad);
        }
        status = self.replyWait(Timeout.NEVER);
      }
    };
  }

  /** Serves calls at {@code endpoint} with {@code replyWait}, like {@link #whoAmI()}. */
  static Space.Body endpointServer(Endpoint endpoint) {
    return self -> {
      int status = self.replyWait(endpoint, Timeout.NEVER);
      while (status == Status.OK || Status.failedInSend(status)) {
        if (status == Status.OK) {
          final long tag = self.tag();
          final long mr1 = self.mr(1);
          self.setTag(MessageTag.of(MessageTag.label(tag), 4));
          self.setMr(1, self.sender());
          self.setMr(2, self.id());
          self.setMr(3, tag);
          self.setMr(4, mr1);
        }
        status = self.replyWait(endpoint, Timeout.NEVER);
      }
      ok(status, "endpointServer");
    };
  }

  // --- one-shot partners --------------------------------------------------------------------

  /** Returns at once: the thread exits. */
  static Space.Body exitAtOnce() {
    return self -> { };
  }

  /**
   * Waits for a notification (so it is blocked but takes no message: senders to it queue), then
   * exits.
   */
  static Space.Body untilNotified() {
    return self -> ok(self.waitNotifications(Timeout.NEVER), "untilNotified");
  }

  /** Receives once from {@code from} (ANY: open) and reports {@code [status, sender, tag, MR1]}. */
  static Space.Body receiveAndReport(long from, long timeout, long reportTo) {
    return self -> {
      final int status = from == ThreadId.ANY ? self.waitAny(timeout) : self.receive(from, timeout);
      if (Status.code(status) != Status.CLOSED) {
        reportReceived(self, reportTo, status);
      }
    };
  }

  /**
   * Waits on {@code endpoint} and reports {@code [status, sender, tag, MR1]}, then receives at its
   * own id and reports the same.
   */
  static Space.Body endpointThenOwn(Endpoint endpoint, long reportTo) {
    return self -> {
      final int first = self.waitAt(endpoint, Timeout.NEVER);
      if (Status.code(first) != Status.CLOSED && reportReceived(self, reportTo, first) == Status.OK) {
        final int second = self.waitAny(Timeout.NEVER);
        if (Status.code(second) != Status.CLOSED) {
          reportReceived(self, reportTo, second);
        }
      }
    };
  }

  /**
   * Waits on {@code endpoint} twice, reporting {@code [status, sender, tag, MR1]} after each; then
   * waits for a notification, and waits on {@code endpoint} once more with a zero timeout and
   * reports that too (for an endpoint that was closed meanwhile).
   */
  static Space.Body endpointWaiterAfterClose(Endpoint endpoint, long reportTo) {
    return self -> {
      for (int i = 0; i < 2; i++) {
        final int status = self.waitAt(endpoint, Timeout.NEVER);
        if (Status.code(status) == Status.CLOSED || reportReceived(self, reportTo, status) != Status.OK) {
          return;
        }
      }
      if (ok(self.waitNotifications(Timeout.NEVER), "endpointWaiterAfterClose: hold")) {
        final int status = self.waitAt(endpoint, Timeout.ZERO);
        if (Status.code(status) != Status.CLOSED) {
          reportReceived(self, reportTo, status);
        }
      }
    };
  }

  /** Waits once on {@code endpoint} and reports {@code [status, sender, tag, MR1]}. */
  static Space.Body endpointWaitAndReport(Endpoint endpoint, long reportTo) {
    return self -> {
      final int status = self.waitAt(endpoint, Timeout.NEVER);
      if (Status.code(status) != Status.CLOSED) {
        reportReceived(self, reportTo, status);
      }
    };
  }

  /**
   * A closed receive from {@code from}, then an open one; reports {@code [status, sender, tag,
   * MR1]} after each.
   */
  static Space.Body closedThenOpen(long from, long reportTo) {
    return self -> {
      final int first = self.receive(from, Timeout.NEVER);
      if (Status.code(first) != Status.CLOSED && reportReceived(self, reportTo, first) == Status.OK) {
        final int second = self.waitAny(Timeout.NEVER);
        if (Status.code(second) != Status.CLOSED) {
          reportReceived(self, reportTo, second);
        }
      }
    };
  }

  /**
   * Calls {@code endpoint} {@code calls} times with MR1 = {@code base + i}, served by
   * {@link #endpointServer}: checks that each reply names this caller as the request's sender,
   * comes from one of {@code servers} (the thread that says it served it) and echoes MR1; throws
   * otherwise. Then reports {@code [calls]}.
   */
  static Space.Body endpointClient(long endpoint, long base, int calls, long[] servers, long reportTo) {
    return self -> {
      for (int i = 0; i < calls; i++) {
        self.setTag(MessageTag.of(0x601, 1));
        self.setMr(1, base + i);
        final int status = self.call(endpoint);
        if (!ok(status, "endpointClient: call " + i)) {
          return;
        }
        final long replier = self.sender();
        if (self.mr(1) != self.id() || self.mr(2) != replier || self.mr(4) != base + i
            || Arrays.stream(servers).noneMatch(s -> s == replier)) {
          throw new AssertionError("call " + i + ": server saw " + ThreadId.toString(self.mr(1)) + ", replier "
              + ThreadId.toString(replier) + " says " + ThreadId.toString(self.mr(2)) + ", MR4 " + self.mr(4));
        }
      }
      report(self, reportTo, calls);
    };
  }

  /** Like {@link #receiveAndReport} with an open receive, then reports its polled notifications. */
  static Space.Body receiveThenPollAndReport(long reportTo) {
    return self -> {
      final int status = self.waitAny(Timeout.NEVER);
      if (ok(reportReceived(self, reportTo, status), "report")) {
        report(self, reportTo, self.pollNotifications());
      }
    };
  }

  /** Starts with {@code replyWait} (nothing to answer) and reports what it received. */
  static Space.Body replyWaitAndReport(long reportTo) {
    return self -> {
      final int status = self.replyWait(Timeout.NEVER);
      if (Status.code(status) != Status.CLOSED) {
        reportReceived(self, reportTo, status);
      }
    };
  }

  /** An open receive that accepts notifications; reports {@code [status, sender, tag, MR1]}. */
  static Space.Body acceptingReceiveAndReport(long reportTo) {
    return self -> {
      self.acceptNotifications(true);
      final int status = self.waitAny(Timeout.NEVER);
      if (Status.code(status) != Status.CLOSED) {
        reportReceived(self, reportTo, status);
      }
    };
  }

  /**
   * Sets notification mask {@code mask}, waits for a notification and reports
   * {@code [status, sender, tag, MR1]}; then unmasks everything and reports {@code [polled bits]}.
   */
  static Space.Body notificationWaiter(long mask, long reportTo) {
    return self -> {
      self.setNotificationMask(mask);
      final int status = self.waitNotifications(Timeout.NEVER);
      if (ok(reportReceived(self, reportTo, status), "report")) {
        self.setNotificationMask(-1L);
        report(self, reportTo, self.pollNotifications());
      }
    };
  }

  /** Notifies {@code to} with each of {@code bits} in turn, then exits. */
  static Space.Body notifier(long to, long... bits) {
    return self -> {
      for (long b : bits) {
        if (!ok(self.notifyBits(to, b), "notify")) {
          return;
        }
      }
    };
  }

  /** Sends {@code [label, MR1 = word]} to {@code to}, then reports {@code [status]}. */
  static Space.Body sendOnce(long to, long label, long word, long timeout, long reportTo) {
    return self -> {
      self.setTag(MessageTag.of(label, 1));
      self.setMr(1, word);
      final int status = self.send(to, timeout);
      if (Status.code(status) != Status.CLOSED) {
        report(self, reportTo, status);
      }
    };
  }

  /** Calls {@code to} with {@code [label, MR1 = word]}, then reports {@code [status, sender, tag, MR1]}. */
  static Space.Body callAndReport(long to, long label, long word, long sendTimeout, long receiveTimeout,
      long reportTo) {
    return self -> {
      self.setTag(MessageTag.of(label, 1));
      self.setMr(1, word);
      final int status = self.call(to, sendTimeout, receiveTimeout);
      if (Status.code(status) != Status.CLOSED) {
        reportReceived(self, reportTo, status);
      }
    };
  }

  /**
   * Calls {@code to}, then waits with an open receive, and reports
   * {@code [call status, receive status, sender, tag, MR1]} of the receive.
   */
  static Space.Body callThenReceiveAndReport(long to, long reportTo) {
    return self -> {
      self.setTag(MessageTag.of(1, 0));
      final int call = self.call(to, Timeout.NEVER, Timeout.NEVER);
      if (Status.code(call) == Status.CLOSED) {
        return;
      }
      final int receive = self.waitAny(Timeout.NEVER);
      if (Status.code(receive) != Status.CLOSED) {
        report(self, reportTo, call, receive, self.sender(), self.tag(), self.mr(1));
      }
    };
  }

  /** Receives one message (e.g. a call) and holds it without replying until notified. */
  static Space.Body receiveAndHold() {
    return self -> {
      if (ok(self.waitAny(Timeout.NEVER), "receiveAndHold: waitAny")) {
        ok(self.waitNotifications(Timeout.NEVER), "receiveAndHold: hold");
      }
    };
  }

  /** Receives one message, then throws: an uncaught exception that ends the space. */
  static Space.Body receiveThenThrow() {
    return self -> {
      self.waitAny(Timeout.NEVER);
      throw new IllegalStateException("failure injected by the test");
    };
  }

  /**
   * Waits with an open receive and completes {@code out} with the status. In-process only: for
   * a thread whose own space ends, which can report through nothing else.
   */
  static Space.Body receiveAndRecord(CompletableFuture<Integer> out) {
    return self -> out.complete(self.waitAny(Timeout.NEVER));
  }

  /** Sends seeded messages of every length 0..maxLength in turn to {@code to}. */
  static Space.Body seededSender(long to, long seed, int maxLength) {
    return self -> {
      for (int length = 0; length <= maxLength; length++) {
        Seeded.fill(self, seed, length);
        if (!ok(self.send(to, Timeout.NEVER), "seededSender")) {
          return;
        }
      }
    };
  }

  /**
   * Calls {@code to} with seeded requests of every length 0..maxLength in turn; expects each
   * reply to be the seeded message of the same length under seed {@code seed ^ REPLY_SALT}.
   */
  static Space.Body seededCaller(long to, long seed, int maxLength) {
    return self -> {
      for (int length = 0; length <= maxLength; length++) {
        Seeded.fill(self, seed, length);
        if (!ok(self.call(to), "seededCaller")) {
          return;
        }
        final int bad = Seeded.firstMismatch(self, seed ^ REPLY_SALT, length);
        if (bad >= 0) {
          throw new AssertionError("reply of length " + length + ": word " + bad + " differs");
        }
      }
    };
  }

  /** Seeded message contents: both sides compute the same words from (seed, length). */
  static final class Seeded {

    private Seeded() {}

    static RandomGenerator generator(long seed, int length) {
      return RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 1_000_003L + length);
    }

    /** The expected tag and words: {@code [tag, MR1..MR(length)]}. */
    static long[] message(long seed, int length) {
      final RandomGenerator g = generator(seed, length);
      final long[] m = new long[length + 1];
      m[0] = MessageTag.of(g.nextLong(MessageTag.MAX_LABEL + 1), length);
      for (int i = 1; i <= length; i++) {
        m[i] = g.nextLong();
      }
      return m;
    }

    static void fill(IpcThread self, long seed, int length) {
      final long[] m = message(seed, length);
      self.setTag(m[0]);
      for (int i = 1; i <= length; i++) {
        self.setMr(i, m[i]);
      }
    }

    /** Index of the first register (0 = tag) that differs from the seeded message, or -1. */
    static int firstMismatch(IpcThread self, long seed, int length) {
      final long[] m = message(seed, length);
      for (int i = 0; i <= length; i++) {
        if (self.mr(i) != m[i]) {
          return i;
        }
      }
      return -1;
    }
  }
}
