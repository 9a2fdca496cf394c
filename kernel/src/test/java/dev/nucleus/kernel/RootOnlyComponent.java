package dev.nucleus.kernel;

/**
 * A process component that tries to reach the root kernel: it publishes its thread's id only if
 * {@link Space#kernel()} refused with IllegalStateException, and then answers each call with
 * the ordinal of the caller's {@link IpcState.Kind} as {@link Space#ipcState} reads it from this
 * process (through the link): WAITING_FOR_REPLY, while it waits for this very reply.
 */
public final class RootOnlyComponent implements ProcessComponent {

  @Override
  public void run(ProcessContext context) {
    try {
      context.space().kernel();
      throw new AssertionError("a process space reached the root kernel");
    } catch (IllegalStateException expected) {
      // the only acceptable outcome
    }
    final IpcThread self = context.space().attach("probe");
    context.publish(self.id());
    int status = self.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      if (status == Status.OK) {
        self.setTag(MessageTag.of(0, 1));
        self.setMr(1, context.space().ipcState(self.sender()).kind().ordinal());
      }
      status = self.replyWait(Timeout.NEVER);
    }
  }
}
