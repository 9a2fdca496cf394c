package dev.nucleus.bench;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;

/**
 * The echo server of {@code nucleus ping} and the {@code nucleus-process-*} benchmarks, run in a
 * process space: one thread that answers every call with the request's own registers
 * (replyWait), publishing its id. Serves until its space ends.
 */
public final class EchoComponent implements ProcessComponent {

  @Override
  public void run(ProcessContext context) {
    final IpcThread self = context.space().attach("echo");
    context.publish(self.id());
    serve(self);
  }

  /**
   * The echo loop: answers every call with the caller's own registers (replyWait) until the
   * thread's space ends. A reply that finds its caller gone is skipped; serving goes on.
   */
  public static void serve(IpcThread self) {
    int status = self.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      status = self.replyWait(Timeout.NEVER);
    }
  }
}
