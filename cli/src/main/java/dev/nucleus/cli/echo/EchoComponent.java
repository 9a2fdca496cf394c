package dev.nucleus.cli.echo;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;

/**
 * The echo server of {@code nucleus ping}: one thread that answers every call with the request's
 * own registers (replyWait) until its space ends.
 *
 * <p>As a {@link ProcessComponent} it runs in a process space: the kernel instantiates it
 * reflectively in the child JVM, which is why this package is exported to the kernel module.
 * {@link #serve} is the same loop for a thread space.
 */
public final class EchoComponent implements ProcessComponent {

  /** Creates the component; the kernel calls this in the child JVM. */
  public EchoComponent() {}

  /** Attaches the echo thread, publishes its id to the root, and serves until the space ends. */
  @Override
  public void run(ProcessContext context) {
    final IpcThread self = context.space().attach("echo");
    context.publish(self.id());
    serve(self);
  }

  /**
   * The echo loop: answers every call with the caller's own registers (replyWait) until the
   * thread's space ends (CLOSED). A reply that finds its caller gone is skipped; serving goes on.
   * Blocks the calling thread, which must be {@code self}'s own.
   *
   * @param self the serving thread, attached in its space
   */
  public static void serve(IpcThread self) {
    int status = self.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      status = self.replyWait(Timeout.NEVER);
    }
  }
}
