package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.IpcState.Kind;
import dev.nucleus.kernel.internal.os.Sleeper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When replyWait answers a caller that is asleep, the caller is woken only after the server has
 * published RECEIVING (protocol.md 5.4). Woken earlier, a caller that calls again at once finds
 * the server still ANSWERING; where the two share one CPU it then spins on the CPU the server
 * needs to go on, and gives up and queues.
 *
 * <p>Staging without luck: whether a caller is asleep when its reply comes depends on the
 * scheduler, so the first test makes it so. Its server waits, before each reply, until the
 * caller is inside the sleeper waiting for that reply, and the sleeper keeps the caller there
 * until it is woken (a real sleeper may return early, for instance at the end of a futex slice,
 * and the caller would then be awake when the reply comes). Every reply then wakes the caller,
 * and each wake-up is checked. The second test lets the two run freely and checks the same
 * property over whichever wake-ups happen, none included.
 */
@org.junit.jupiter.api.Timeout(60)
class ReplyWaitWakeTest {

  private static final int STAGED_CALLS = 200;
  private static final int FREE_CALLS = 1000;

  /**
   * The real sleeper, with a window on one caller: the server's IPC state at each wake-up of the
   * caller by a reply (the caller's own state then reads IDLE: the reply is DELIVERED). A caller
   * that found the server busy and queued is woken when the server takes its call, too (it then
   * reads WAITING_FOR_REPLY); those wake-ups are not the subject here.
   */
  private static final class CallerWatch implements Sleeper {
    final Sleeper real;
    final List<Kind> serverAtReplyWake = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger callerWakes = new AtomicInteger();
    volatile Kernel kernel;
    volatile long caller = ThreadId.NIL;
    volatile long server = ThreadId.NIL;
    /** Staging: a caller asleep for its reply stays asleep until it is woken. */
    volatile boolean holdUntilWoken;
    /** Staging: the caller is inside {@link #park} waiting for its reply, and stays there until woken. */
    volatile boolean callerAsleepForReply;
    /** Set when the test ends, so that a server waiting for the caller to sleep gives up. */
    volatile boolean stopped;

    CallerWatch(Sleeper real) {
      this.real = real;
    }

    @Override
    public void park(int tcbIndex, long deadline) {
      if (holdUntilWoken && isCaller(tcbIndex) && kernel.ipcState(caller).kind() == Kind.WAITING_FOR_REPLY) {
        final int before = callerWakes.get();
        callerAsleepForReply = true;
        do {
          real.park(tcbIndex, deadline);
        } while (callerWakes.get() == before && Timeout.now() < deadline && !stopped);
        callerAsleepForReply = false;
      } else {
        real.park(tcbIndex, deadline);
      }
    }

    @Override
    public void wake(int tcbIndex) {
      if (isCaller(tcbIndex) && server != ThreadId.NIL) {
        final Kind serverKind = kernel.ipcState(server).kind(); // first: the caller cannot move it
        if (kernel.ipcState(caller).kind() == Kind.IDLE) {
          serverAtReplyWake.add(serverKind);
        }
        callerWakes.incrementAndGet();
      }
      real.wake(tcbIndex);
    }

    @Override
    public void bind(int tcbIndex, Thread thread) {
      real.bind(tcbIndex, thread);
    }

    private boolean isCaller(int tcbIndex) {
      final long c = caller;
      return c != ThreadId.NIL && ThreadId.index(c) == tcbIndex;
    }

    /** Run by the server before each staged reply: returns once the caller sleeps for it. */
    void awaitCallerAsleep() {
      while (!callerAsleepForReply && !stopped) {
        Thread.onSpinWait();
        Thread.yield(); // two CPUs: let the caller get to its sleep
      }
    }
  }

  @Test
  @DisplayName("a caller asleep for its reply is woken by replyWait once, with the server RECEIVING again")
  void aSleepingCallerIsWokenOnlyOnceTheServerIsReceivingAgain() throws InterruptedException {
    final List<Kind> wakes = run(STAGED_CALLS, true);
    assertThat(wakes).as("one wake-up per reply: the caller slept for every one").hasSize(STAGED_CALLS);
    assertThat(wakes).as("server state when it woke the caller").containsOnly(Kind.RECEIVING);
  }

  @Test
  @DisplayName("left to the scheduler, every wake-up of a caller by replyWait finds the server RECEIVING")
  void everyWakeUpThatHappensFindsTheServerReceiving() throws InterruptedException {
    final List<Kind> wakes = run(FREE_CALLS, false);
    assertThat(wakes).as("server state when it woke the caller (any number of wake-ups, none included)")
        .filteredOn(k -> k != Kind.RECEIVING).isEmpty();
  }

  /**
   * {@code calls} calls from a BLOCK caller to a BLOCK echo server that answers with replyWait;
   * {@code staged}: each reply waits until the caller sleeps. Returns the server's state at each
   * wake-up of the caller by a reply.
   */
  private static List<Kind> run(int calls, boolean staged) throws InterruptedException {
    final List<CallerWatch> watches = new ArrayList<>();
    final Kernel.Config config = Kernel.Config.defaults().withWaitStrategy(WaitStrategy.BLOCK);
    try (Kernel kernel = new Kernel(config, real -> {
      final CallerWatch w = new CallerWatch(real);
      watches.add(w);
      return w;
    })) {
      final CallerWatch watch = watches.getFirst();
      watch.kernel = kernel;
      watch.holdUntilWoken = staged;
      try {
        final Space serverSpace = kernel.createSpace("server");
        final Space clientSpace = kernel.createSpace("client");
        kernel.createChannel(serverSpace, clientSpace);
        final IpcThread server = serverSpace.spawn("echo", WaitStrategy.BLOCK, self -> {
          int status = self.waitAny(Timeout.NEVER);
          while (status == Status.OK) {
            if (staged) {
              watch.awaitCallerAsleep();
            }
            self.setMr(1, self.mr(1) + 1);
            status = self.replyWait(Timeout.NEVER);
          }
        });
        try (IpcThread client = clientSpace.attach("caller", WaitStrategy.BLOCK)) {
          watch.server = server.id();
          watch.caller = client.id();
          // The server receives before the first call, so no call ever queues: the caller sleeps
          // only for replies, and is woken only by them.
          ProcessTests.awaitState(kernel, server.id(), Kind.RECEIVING);
          for (int i = 0; i < calls; i++) {
            client.setTag(MessageTag.of(1, 1));
            client.setMr(1, i);
            assertThat(client.call(server.id())).isEqualTo(Status.OK);
            assertThat(client.mr(1)).isEqualTo(i + 1);
          }
          watch.caller = ThreadId.NIL;
        }
        return List.copyOf(watch.serverAtReplyWake);
      } finally {
        watch.stopped = true;
      }
    }
  }
}
