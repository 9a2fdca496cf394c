package dev.nucleus.kernel;

/**
 * A process-space component for tests and tools: one echo server thread that answers every call
 * with the request's registers, MR1 incremented by one; publishes the server's id. Serves until
 * its space ends. Argument {@code crash-after N}: throws after N calls (a simulated bug).
 */
public final class EchoComponent implements ProcessComponent {

  @Override
  public void run(ProcessContext context) {
    final long crashAfter = context.args().size() == 2 && context.args().get(0).equals("crash-after")
        ? Long.parseLong(context.args().get(1)) : Long.MAX_VALUE;
    final IpcThread self = context.space().attach("echo");
    context.publish(self.id());
    serve(self, crashAfter);
  }

  /** The echo loop, in any space: MR1 + 1 for every call, until the space ends; throws after {@code crashAfter} calls. */
  static void serve(IpcThread self, long crashAfter) {
    long served = 0;
    int status = self.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      if (status == Status.OK) {
        if (++served > crashAfter) {
          throw new IllegalStateException("echo: simulated crash after " + crashAfter + " calls");
        }
        self.setMr(1, self.mr(1) + 1);
      }
      status = self.replyWait(Timeout.NEVER);
    }
  }
}
