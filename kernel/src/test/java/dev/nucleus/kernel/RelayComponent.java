package dev.nucleus.kernel;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A process-space component for peer-link tests: an echo thread (published as "echo", MR1 + 1
 * as {@link EchoComponent}) and a relay thread (published as "relay", and as the bootstrap id).
 * A call to the relay with MR1 = x calls the id the root offered as "next" (or, if the call
 * carries a second word, the id in MR2) with MR1 = x, from another thread of this space, and replies MR1 = what came back, MR2 = the status of that call:
 * how a test drives IPC from one process space to another.
 */
public final class RelayComponent implements ProcessComponent {

  /** How long the relayed call may take, each phase. */
  private static final long RELAY_TIMEOUT = Timeout.relative(Duration.ofSeconds(10));

  @Override
  public void run(ProcessContext context) throws Exception {
    Thread.ofPlatform().daemon().name("echo").start(() -> {
      final IpcThread echo = context.space().attach("echo");
      context.publish("echo", echo.id());
      EchoComponent.serve(echo, Long.MAX_VALUE);
    });
    final ExecutorService outbound = Executors.newSingleThreadExecutor();
    final IpcThread out = outbound.submit(() -> context.space().attach("out")).get();
    final IpcThread relay = context.space().attach("relay");
    context.publish("relay", relay.id());
    context.publish(relay.id());
    int status = relay.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      if (status == Status.OK) {
        final long x = relay.mr(1);
        final long target = MessageTag.words(relay.tag()) >= 2 ? relay.mr(2) : context.lookup("next");
        final long[] result = outbound.submit(() -> {
          out.setTag(MessageTag.of(1, 1));
          out.setMr(1, x);
          final int st = out.call(target, RELAY_TIMEOUT, RELAY_TIMEOUT);
          return new long[] {st, st == Status.OK ? out.mr(1) : x};
        }).get();
        relay.setTag(MessageTag.of(1, 2));
        relay.setMr(1, result[1]);
        relay.setMr(2, result[0]);
      }
      status = relay.replyWait(Timeout.NEVER);
    }
  }
}
