package dev.nucleus.bench;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;

/**
 * The echo server of {@code nucleus ping} and the {@code nucleus-process-*} benchmarks, run in a
 * process space: one thread that answers every call with the request's own registers
 * (replyWait), publishing its id. Serves until its space ends.
 *
 * <p>One label is not echoed: a call labelled {@link #ALLOCATION_QUERY} is answered with MR1 =
 * the heap bytes the serving thread has allocated so far (-1 where the JVM does not count them),
 * so that a benchmark can show what the server side of its round trips allocated.
 */
public final class EchoComponent implements ProcessComponent {

  /** Label of a call asking the server thread for its allocated bytes (answer in MR1). */
  public static final long ALLOCATION_QUERY = 0xA110C;

  @Override
  public void run(ProcessContext context) {
    final IpcThread self = context.space().attach("echo");
    context.publish(self.id());
    serve(self);
  }

  /**
   * The echo loop: answers every call with the caller's own registers (replyWait) until the
   * thread's space ends, and an {@link #ALLOCATION_QUERY} with the thread's allocated bytes. A
   * reply that finds its caller gone is skipped; serving goes on.
   */
  public static void serve(IpcThread self) {
    int status = self.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      if (status == Status.OK && MessageTag.label(self.tag()) == ALLOCATION_QUERY) {
        self.setTag(MessageTag.of(ALLOCATION_QUERY, 1));
        self.setMr(1, Allocation.currentThreadBytes());
      }
      status = self.replyWait(Timeout.NEVER);
    }
  }
}
