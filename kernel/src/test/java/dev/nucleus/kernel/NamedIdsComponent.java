package dev.nucleus.kernel;

/**
 * A process component with two services published under names, which also calls a root server
 * it learns by name: "adder" answers MR1 + MR2; "caller" calls the root's "root-echo" (once the
 * root has offered it) with each request's MR1 and answers with the root's answer.
 */
public final class NamedIdsComponent implements ProcessComponent {

  @Override
  public void run(ProcessContext context) throws InterruptedException {
    final Space space = context.space();
    final IpcThread adder = space.spawn("adder", self -> {
      int status = self.waitAny(Timeout.NEVER);
      while (Status.code(status) != Status.CLOSED) {
        self.setTag(MessageTag.of(0, 1));
        self.setMr(1, self.mr(1) + self.mr(2));
        status = self.replyWait(Timeout.NEVER);
      }
    });
    final IpcThread caller = space.attach("caller");
    context.publish("adder", adder.id());
    context.publish("caller", caller.id());
    long rootEcho = context.lookup("root-echo");
    while (rootEcho == ThreadId.NIL) {
      Thread.sleep(1);
      rootEcho = context.lookup("root-echo");
    }
    int status = caller.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      final long value = caller.mr(1);
      final long client = caller.sender();
      // Call the root's server first, then answer our own caller with what it said.
      caller.setTag(MessageTag.of(1, 1));
      caller.setMr(1, value);
      final int inner = caller.call(rootEcho);
      final long answer = inner == Status.OK ? caller.mr(1) : -inner;
      caller.setTag(MessageTag.of(0, 1));
      caller.setMr(1, answer);
      caller.send(client, Timeout.relative(java.time.Duration.ofSeconds(30))); // the client waits in a closed receive
      status = caller.waitAny(Timeout.NEVER);
    }
  }
}
