package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.Rendezvous;
import dev.nucleus.kernel.internal.layout.TcbDescriptor;
import dev.nucleus.kernel.internal.os.Sleeper;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When replyWait answers a caller that is asleep, the caller is woken only after the server has
 * published RECEIVING (protocol.md 5.4). Woken earlier, a caller that calls again at once finds
 * the server still ANSWERING; where the two share one CPU it then spins on the CPU the server
 * needs to go on, and gives up and queues.
 */
@org.junit.jupiter.api.Timeout(60)
class ReplyWaitWakeTest {

  private static final int CALLS = 1000;

  /**
   * The real sleeper, and the server's state code at each wake-up of the caller by a reply (the
   * caller DELIVERED). A caller that found the server busy and queued is woken when the server
   * takes its call, too (the caller WAIT_REPLY); those wake-ups are not the subject here.
   */
  private static final class WakeRecorder implements Sleeper {
    final Sleeper real;
    final List<Integer> serverCodeAtReplyWake = Collections.synchronizedList(new ArrayList<>());
    volatile Rendezvous table;
    volatile int caller = -1;
    volatile int server = -1;

    WakeRecorder(Sleeper real) {
      this.real = real;
    }

    @Override
    public void park(int tcbIndex, long deadline) {
      real.park(tcbIndex, deadline);
    }

    @Override
    public void wake(int tcbIndex) {
      if (tcbIndex == caller && server >= 0) {
        final int serverCode = code(server);
        if (code(tcbIndex) == TcbDescriptor.DELIVERED) {
          serverCodeAtReplyWake.add(serverCode);
        }
      }
      real.wake(tcbIndex);
    }

    private int code(int tcbIndex) {
      return TcbDescriptor.code(TcbDescriptor.stateAcquire(table.tcbs(), table.tcbOffset(tcbIndex)));
    }

    @Override
    public void bind(int tcbIndex, Thread thread) {
      real.bind(tcbIndex, thread);
    }
  }

  @Test
  void aSleepingCallerIsWokenOnlyOnceTheServerIsReceivingAgain() {
    List<WakeRecorder> recorders = new ArrayList<>();
    Kernel.Config config = Kernel.Config.defaults().withWaitStrategy(WaitStrategy.BLOCK);
    try (Kernel kernel = new Kernel(config, real -> {
      WakeRecorder r = new WakeRecorder(real);
      recorders.add(r);
      return r;
    })) {
      WakeRecorder recorder = recorders.getFirst();
      recorder.table = kernel.home();
      Space serverSpace = kernel.createSpace("server");
      Space clientSpace = kernel.createSpace("client");
      kernel.createChannel(serverSpace, clientSpace);
      IpcThread server = serverSpace.spawn("echo", WaitStrategy.BLOCK, self -> {
        int status = self.waitAny(Timeout.NEVER);
        while (status == Status.OK) {
          self.setMr(1, self.mr(1) + 1);
          status = self.replyWait(Timeout.NEVER);
        }
      });
      IpcThread client = clientSpace.attach("caller", WaitStrategy.BLOCK);
      recorder.server = server.engine.index;
      recorder.caller = client.engine.index;

      for (int i = 0; i < CALLS; i++) {
        client.setTag(MessageTag.of(1, 1));
        client.setMr(1, i);
        assertThat(client.call(server.id())).isEqualTo(Status.OK);
        assertThat(client.mr(1)).isEqualTo(i + 1);
      }
      recorder.caller = -1;

      // A blocking caller is asleep before a blocking server gets to the reply, nearly always.
      assertThat(recorder.serverCodeAtReplyWake).isNotEmpty();
      assertThat(recorder.serverCodeAtReplyWake)
          .as("server state when it woke the caller (%d = RECEIVING)", TcbDescriptor.RECEIVING)
          .containsOnly(TcbDescriptor.RECEIVING);
      client.close();
    }
  }
}
