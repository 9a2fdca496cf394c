package dev.nucleus.kernel;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The partner threads of the conformance suite, as named behaviours that take only ids and
 * primitive values: a {@link Behaviour} is a {@link Kind} and its argument words, so a test can
 * run it in a thread space of this JVM or send it to a process space, where
 * {@link PartnerComponent} builds the same body ({@link Behaviour#body}).
 *
 * <p>Partners tell the test what they saw through IPC: a <em>report</em> is a plain send to the
 * test thread labelled {@link #REPORT}, its words in MR1.. (see {@link #report}). A partner that
 * sees something it cannot report throws, which ends its space: the suite checks the failure of
 * every space it created ({@link Site#failure()}). Every body returns quietly when its own IPC
 * answers {@link Status#CLOSED} (its space ended, the kernel closed, or the test closed the
 * thread), so tests can end spaces and threads.
 */
final class Partners {

  /** Label of a report message sent to the test thread. */
  static final long REPORT = 0x5EB0L;
  /** Label of a reply that says a seeded request did not match (MR1 = first bad word). */
  static final long MISMATCH = 0xBAD0L;
  /** Salt of the seed of replies to seeded calls. */
  static final long REPLY_SALT = 0x5A17_5A17L;

  private Partners() {}

  /**
   * What a partner does: one of the bodies below, by name, and its argument words (ids,
   * timeouts, labels; an endpoint by its id, found in the space the body runs in).
   */
  enum Kind {
    ECHO((s, a) -> echoBody()),
    WHO_AM_I((s, a) -> whoAmIBody()),
    REPLY_THEN_RECEIVE((s, a) -> replyThenReceiveBody()),
    SEEDED_CHECKER((s, a) -> seededCheckerBody(a[0])),
    ENDPOINT_SERVER((s, a) -> endpointServerBody(endpoint(s, a[0]))),
    EXIT_AT_ONCE((s, a) -> self -> { }),
    UNTIL_NOTIFIED((s, a) -> untilNotifiedBody()),
    RECEIVE_AND_REPORT((s, a) -> receiveAndReportBody(a[0], a[1], a[2])),
    ENDPOINT_THEN_OWN((s, a) -> endpointThenOwnBody(endpoint(s, a[0]), a[1])),
    ENDPOINT_WAITER_AFTER_CLOSE((s, a) -> endpointWaiterAfterCloseBody(endpoint(s, a[0]), a[1])),
    ENDPOINT_WAIT_AND_REPORT((s, a) -> endpointWaitAndReportBody(endpoint(s, a[0]), a[1])),
    CLOSED_THEN_OPEN((s, a) -> closedThenOpenBody(a[0], a[1])),
    ENDPOINT_CLIENT((s, a) -> endpointClientBody(a[0], a[1], (int) a[2], a[3], Arrays.copyOfRange(a, 4, a.length))),
    RECEIVE_THEN_POLL_AND_REPORT((s, a) -> receiveThenPollAndReportBody(a[0])),
    REPLY_WAIT_AND_REPORT((s, a) -> replyWaitAndReportBody(a[0])),
    ACCEPTING_RECEIVE_AND_REPORT((s, a) -> acceptingReceiveAndReportBody(a[0])),
    NOTIFICATION_WAITER((s, a) -> notificationWaiterBody(a[0], a[1])),
    NOTIFIER((s, a) -> notifierBody(a[0], Arrays.copyOfRange(a, 1, a.length))),
    SEND_ONCE((s, a) -> sendOnceBody(a[0], a[1], a[2], a[3], a[4])),
    CALL_AND_REPORT((s, a) -> callAndReportBody(a[0], a[1], a[2], a[3], a[4], a[5])),
    CALL_THEN_RECEIVE_AND_REPORT((s, a) -> callThenReceiveAndReportBody(a[0], a[1])),
    RECEIVE_AND_HOLD((s, a) -> receiveAndHoldBody()),
    RECEIVE_THEN_THROW((s, a) -> receiveThenThrowBody()),
    SEEDED_SENDER((s, a) -> seededSenderBody(a[0], a[1], (int) a[2])),
    SEEDED_CALLER((s, a) -> seededCallerBody(a[0], a[1], (int) a[2])),
    /** A body that exists only in this JVM (see {@link #receiveAndRecord}): never sent elsewhere. */
    IN_THIS_JVM((s, a) -> {
      throw new IllegalArgumentException("this behaviour runs only in the JVM that made it");
    });

    private final BiFunction<Space, long[], Space.Body> body;

    Kind(BiFunction<Space, long[], Space.Body> body) {
      this.body = body;
    }
  }

  /**
   * A partner's behaviour: {@code kind} with {@code args}. {@code local} is set only for
   * {@link Kind#IN_THIS_JVM}, whose body cannot be described by words.
   */
  record Behaviour(Kind kind, long[] args, Space.Body local) {

    Behaviour(Kind kind, long... args) {
      this(kind, args, null);
    }

    /** Whether the behaviour can run in another process (it is all words). */
    boolean portable() {
      return kind != Kind.IN_THIS_JVM;
    }

    /** The body that runs this behaviour in {@code space} (whose endpoints the arguments may name). */
    Space.Body body(Space space) {
      return local != null ? local : kind.body.apply(space, args);
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase() + Arrays.toString(args);
    }
  }

  private static Endpoint endpoint(Space space, long id) {
    for (Endpoint e : space.endpoints()) {
      if (e.id() == id) {
        return e;
      }
    }
    throw new IllegalArgumentException("no endpoint " + ThreadId.toString(id) + " in " + space);
  }

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
  static Behaviour echo() {
    return new Behaviour(Kind.ECHO);
  }

  private static Space.Body echoBody() {
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
  static Behaviour whoAmI() {
    return new Behaviour(Kind.WHO_AM_I);
  }

  private static Space.Body whoAmIBody() {
    return self -> {
      int status = self.replyWait(Timeout.NEVER);
      while (status == Status.OK || Status.failedInSend(status)) {
        if (status == Status.OK) {
          answerWhoAmI(self);
        }
        status = self.replyWait(Timeout.NEVER);
      }
      ok(status, "whoAmI");
    };
  }

  private static void answerWhoAmI(IpcThread self) {
    final long tag = self.tag();
    final long mr1 = self.mr(1);
    self.setTag(MessageTag.of(MessageTag.label(tag), 4));
    self.setMr(1, self.sender());
    self.setMr(2, self.id());
    self.setMr(3, tag);
    self.setMr(4, mr1);
  }

  /**
   * Serves calls with separate operations: {@code waitAny}, then {@code reply} with the request's
   * label and MR1 + 1. Throws if a reply fails.
   */
  static Behaviour replyThenReceive() {
    return new Behaviour(Kind.REPLY_THEN_RECEIVE);
  }

  private static Space.Body replyThenReceiveBody() {
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
  static Behaviour seededChecker(long seed) {
    return new Behaviour(Kind.SEEDED_CHECKER, seed);
  }

  private static Space.Body seededCheckerBody(long seed) {
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

  /** Serves calls at endpoint {@code endpoint} (of its own space) with {@code replyWait}, like {@link #whoAmI()}. */
  static Behaviour endpointServer(long endpoint) {
    return new Behaviour(Kind.ENDPOINT_SERVER, endpoint);
  }

  private static Space.Body endpointServerBody(Endpoint endpoint) {
    return self -> {
      int status = self.replyWait(endpoint, Timeout.NEVER);
      while (status == Status.OK || Status.failedInSend(status)) {
        if (status == Status.OK) {
          answerWhoAmI(self);
        }
        status = self.replyWait(endpoint, Timeout.NEVER);
      }
      ok(status, "endpointServer");
    };
  }

  // --- one-shot partners --------------------------------------------------------------------

  /** Returns at once: the thread exits. */
  static Behaviour exitAtOnce() {
    return new Behaviour(Kind.EXIT_AT_ONCE);
  }

  /**
   * Waits for a notification (so it is blocked but takes no message: senders to it queue), then
   * exits.
   */
  static Behaviour untilNotified() {
    return new Behaviour(Kind.UNTIL_NOTIFIED);
  }

  private static Space.Body untilNotifiedBody() {
    return self -> ok(self.waitNotifications(Timeout.NEVER), "untilNotified");
  }

  /** Receives once from {@code from} (ANY: open) and reports {@code [status, sender, tag, MR1]}. */
  static Behaviour receiveAndReport(long from, long timeout, long reportTo) {
    return new Behaviour(Kind.RECEIVE_AND_REPORT, from, timeout, reportTo);
  }

  private static Space.Body receiveAndReportBody(long from, long timeout, long reportTo) {
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
  static Behaviour endpointThenOwn(long endpoint, long reportTo) {
    return new Behaviour(Kind.ENDPOINT_THEN_OWN, endpoint, reportTo);
  }

  private static Space.Body endpointThenOwnBody(Endpoint endpoint, long reportTo) {
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
  static Behaviour endpointWaiterAfterClose(long endpoint, long reportTo) {
    return new Behaviour(Kind.ENDPOINT_WAITER_AFTER_CLOSE, endpoint, reportTo);
  }

  private static Space.Body endpointWaiterAfterCloseBody(Endpoint endpoint, long reportTo) {
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
  static Behaviour endpointWaitAndReport(long endpoint, long reportTo) {
    return new Behaviour(Kind.ENDPOINT_WAIT_AND_REPORT, endpoint, reportTo);
  }

  private static Space.Body endpointWaitAndReportBody(Endpoint endpoint, long reportTo) {
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
  static Behaviour closedThenOpen(long from, long reportTo) {
    return new Behaviour(Kind.CLOSED_THEN_OPEN, from, reportTo);
  }

  private static Space.Body closedThenOpenBody(long from, long reportTo) {
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
  static Behaviour endpointClient(long endpoint, long base, int calls, long[] servers, long reportTo) {
    final long[] args = new long[4 + servers.length];
    args[0] = endpoint;
    args[1] = base;
    args[2] = calls;
    args[3] = reportTo;
    System.arraycopy(servers, 0, args, 4, servers.length);
    return new Behaviour(Kind.ENDPOINT_CLIENT, args);
  }

  private static Space.Body endpointClientBody(long endpoint, long base, int calls, long reportTo, long[] servers) {
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
  static Behaviour receiveThenPollAndReport(long reportTo) {
    return new Behaviour(Kind.RECEIVE_THEN_POLL_AND_REPORT, reportTo);
  }

  private static Space.Body receiveThenPollAndReportBody(long reportTo) {
    return self -> {
      final int status = self.waitAny(Timeout.NEVER);
      if (Status.code(status) != Status.CLOSED && ok(reportReceived(self, reportTo, status), "report")) {
        report(self, reportTo, self.pollNotifications());
      }
    };
  }

  /** Starts with {@code replyWait} (nothing to answer) and reports what it received. */
  static Behaviour replyWaitAndReport(long reportTo) {
    return new Behaviour(Kind.REPLY_WAIT_AND_REPORT, reportTo);
  }

  private static Space.Body replyWaitAndReportBody(long reportTo) {
    return self -> {
      final int status = self.replyWait(Timeout.NEVER);
      if (Status.code(status) != Status.CLOSED) {
        reportReceived(self, reportTo, status);
      }
    };
  }

  /** An open receive that accepts notifications; reports {@code [status, sender, tag, MR1]}. */
  static Behaviour acceptingReceiveAndReport(long reportTo) {
    return new Behaviour(Kind.ACCEPTING_RECEIVE_AND_REPORT, reportTo);
  }

  private static Space.Body acceptingReceiveAndReportBody(long reportTo) {
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
  static Behaviour notificationWaiter(long mask, long reportTo) {
    return new Behaviour(Kind.NOTIFICATION_WAITER, mask, reportTo);
  }

  private static Space.Body notificationWaiterBody(long mask, long reportTo) {
    return self -> {
      self.setNotificationMask(mask);
      final int status = self.waitNotifications(Timeout.NEVER);
      if (Status.code(status) != Status.CLOSED && ok(reportReceived(self, reportTo, status), "report")) {
        self.setNotificationMask(-1L);
        report(self, reportTo, self.pollNotifications());
      }
    };
  }

  /** Notifies {@code to} with each of {@code bits} in turn, then exits. */
  static Behaviour notifier(long to, long... bits) {
    final long[] args = new long[1 + bits.length];
    args[0] = to;
    System.arraycopy(bits, 0, args, 1, bits.length);
    return new Behaviour(Kind.NOTIFIER, args);
  }

  private static Space.Body notifierBody(long to, long[] bits) {
    return self -> {
      for (long b : bits) {
        if (!ok(self.notifyBits(to, b), "notify")) {
          return;
        }
      }
    };
  }

  /** Sends {@code [label, MR1 = word]} to {@code to}, then reports {@code [status]}. */
  static Behaviour sendOnce(long to, long label, long word, long timeout, long reportTo) {
    return new Behaviour(Kind.SEND_ONCE, to, label, word, timeout, reportTo);
  }

  private static Space.Body sendOnceBody(long to, long label, long word, long timeout, long reportTo) {
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
  static Behaviour callAndReport(long to, long label, long word, long sendTimeout, long receiveTimeout,
      long reportTo) {
    return new Behaviour(Kind.CALL_AND_REPORT, to, label, word, sendTimeout, receiveTimeout, reportTo);
  }

  private static Space.Body callAndReportBody(long to, long label, long word, long sendTimeout, long receiveTimeout,
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
  static Behaviour callThenReceiveAndReport(long to, long reportTo) {
    return new Behaviour(Kind.CALL_THEN_RECEIVE_AND_REPORT, to, reportTo);
  }

  private static Space.Body callThenReceiveAndReportBody(long to, long reportTo) {
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
  static Behaviour receiveAndHold() {
    return new Behaviour(Kind.RECEIVE_AND_HOLD);
  }

  private static Space.Body receiveAndHoldBody() {
    return self -> {
      if (ok(self.waitAny(Timeout.NEVER), "receiveAndHold: waitAny")) {
        ok(self.waitNotifications(Timeout.NEVER), "receiveAndHold: hold");
      }
    };
  }

  /** Receives one message, then throws: an uncaught exception that ends the space. */
  static Behaviour receiveThenThrow() {
    return new Behaviour(Kind.RECEIVE_THEN_THROW);
  }

  private static Space.Body receiveThenThrowBody() {
    return self -> {
      self.waitAny(Timeout.NEVER);
      throw new IllegalStateException("failure injected by the test");
    };
  }

  /**
   * Waits with an open receive and completes {@code out} with the status. In this JVM only
   * (not {@link Behaviour#portable()}): for a thread whose own space ends, which can report
   * through nothing else.
   */
  static Behaviour receiveAndRecord(CompletableFuture<Integer> out) {
    return new Behaviour(Kind.IN_THIS_JVM, new long[0], self -> out.complete(self.waitAny(Timeout.NEVER)));
  }

  /** Sends seeded messages of every length 0..maxLength in turn to {@code to}. */
  static Behaviour seededSender(long to, long seed, int maxLength) {
    return new Behaviour(Kind.SEEDED_SENDER, to, seed, maxLength);
  }

  private static Space.Body seededSenderBody(long to, long seed, int maxLength) {
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
  static Behaviour seededCaller(long to, long seed, int maxLength) {
    return new Behaviour(Kind.SEEDED_CALLER, to, seed, maxLength);
  }

  private static Space.Body seededCallerBody(long to, long seed, int maxLength) {
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
