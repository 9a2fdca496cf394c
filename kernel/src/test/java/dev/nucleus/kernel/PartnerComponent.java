package dev.nucleus.kernel;

/**
 * The far side of the cross-process conformance tests, run in a process space. Its first
 * argument names the behaviour:
 *
 * <ul>
 *   <li>{@code collect N}: receives N messages (open wait) and answers each with a plain send
 *       to its sender: label = the message's label, MR1 = {@link #checksum}, MR2 = word count.
 *   <li>{@code hold-then-echo}: waits for a notification before its first receive (so that the
 *       test can queue a caller first), then echoes every call, MR1 incremented.
 *   <li>{@code sink}: takes one call and never replies; when notified, tries the late reply and
 *       reports its status to the caller with a plain send (label 0x5ead, MR1 = status).
 *   <li>{@code pool N}: N threads replyWait on one endpoint (published); each reply is the
 *       request with MR1 = the request's MR1 + MR2.
 *   <li>{@code notify ID BITS} (hex): notifies thread ID with BITS, then stays until ended.
 * </ul>
 */
public final class PartnerComponent implements ProcessComponent {

  static final long LATE_REPLY_LABEL = 0x5ead;

  /** What {@code collect} answers: a position-weighted sum of the message words. */
  static long checksum(IpcThread t) {
    final int words = MessageTag.words(t.tag());
    long sum = MessageTag.label(t.tag());
    for (int i = 1; i <= words; i++) {
      sum = sum * 31 + t.mr(i);
    }
    return sum;
  }

  @Override
  public void run(ProcessContext context) throws Exception {
    final String mode = context.args().get(0);
    switch (mode) {
      case "collect" -> collect(context, Integer.parseInt(context.args().get(1)));
      case "hold-then-echo" -> holdThenEcho(context);
      case "sink" -> sink(context);
      case "pool" -> pool(context, Integer.parseInt(context.args().get(1)));
      case "notify" -> notify(context, Long.parseUnsignedLong(context.args().get(1), 16),
          Long.parseUnsignedLong(context.args().get(2), 16));
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static void collect(ProcessContext context, int count) {
    final IpcThread self = context.space().attach("collector");
    context.publish(self.id());
    for (int n = 0; n < count; n++) {
      check(self.waitAny(Timeout.NEVER), "collect: receive");
      final long label = MessageTag.label(self.tag());
      final long sum = checksum(self);
      final int words = MessageTag.words(self.tag());
      final long sender = self.sender();
      self.setTag(MessageTag.of(label, 2));
      self.setMr(1, sum);
      self.setMr(2, words);
      check(self.send(sender, Timeout.NEVER), "collect: answer");
    }
    self.waitNotifications(Timeout.NEVER); // stay until the test ends us
  }

  private static void holdThenEcho(ProcessContext context) {
    final IpcThread self = context.space().attach("echo");
    context.publish(self.id());
    check(self.waitNotifications(Timeout.NEVER), "hold: notification");
    int status = self.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      check(status, "echo");
      self.setMr(1, self.mr(1) + 1);
      status = self.replyWait(Timeout.NEVER);
    }
  }

  private static void sink(ProcessContext context) {
    final IpcThread self = context.space().attach("sink");
    context.publish(self.id());
    check(self.waitAny(Timeout.NEVER), "sink: receive");
    final long caller = self.sender();
    check(self.waitNotifications(Timeout.NEVER), "sink: notification");
    self.setTag(MessageTag.of(1, 0));
    final int late = self.reply();
    self.setTag(MessageTag.of(LATE_REPLY_LABEL, 1));
    self.setMr(1, late);
    check(self.send(caller, Timeout.NEVER), "sink: report");
    self.waitNotifications(Timeout.NEVER);
  }

  private static void pool(ProcessContext context, int threads) throws InterruptedException {
    final Endpoint endpoint = context.space().createEndpoint("pool");
    for (int i = 0; i < threads; i++) {
      context.space().spawn("worker-" + i, self -> {
        int status = self.waitAt(endpoint, Timeout.NEVER);
        while (Status.code(status) != Status.CLOSED) {
          if (status == Status.OK) {
            self.setMr(1, self.mr(1) + self.mr(2));
          }
          status = self.replyWait(endpoint, Timeout.NEVER);
        }
      });
    }
    context.publish(endpoint.id());
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void notify(ProcessContext context, long target, long bits) {
    final IpcThread self = context.space().attach("notifier");
    context.publish(self.id());
    check(self.notifyBits(target, bits), "notify");
    self.waitNotifications(Timeout.NEVER); // stay until the test ends us
  }

  private static void check(int status, String what) {
    if (status != Status.OK) {
      throw new IllegalStateException(what + ": " + Status.toString(status));
    }
  }
}
