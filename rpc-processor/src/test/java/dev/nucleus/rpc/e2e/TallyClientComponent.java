package dev.nucleus.rpc.e2e;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.KernelBinding;

/**
 * A process space whose "agent" thread calls the {@link Tally} the root granted it ("tally")
 * through a binding with one-way queues, on the root's behalf. The root calls the agent with MR1 =
 * an operation, MR2 = its argument; the agent replies MR1..MR3 = the results, MR4 = how the RPC
 * ended ({@link ClientAgentComponent#code}).
 *
 * <pre>
 *   1  notes 0 .. arg - 1 on stream 30, then count(30)   MR1 = the count
 *   2  remember(), then me()                            MR1 = space, MR2 = thread, MR3 = pid of me()
 * </pre>
 */
public final class TallyClientComponent implements ProcessComponent {

  /** The stream the agent's notes go to. */
  static final int STREAM = 30;

  private Tally tally;

  private Tally tally(ProcessContext context) {
    if (tally == null) {
      tally = KernelBinding.builder(context, "tally", Tally_Service.INSTANCE).onewayQueue(256)
          .callLanes(false) // the tests count the regions the root maps for this process: its queue alone
          .build()
          .proxy(Tally_Service.INSTANCE);
    }
    return tally;
  }

  @Override
  public void run(ProcessContext context) {
    final IpcThread agent = context.space().attach("agent");
    context.publish(agent.id());
    int status = agent.waitAny(Timeout.NEVER);
    while (Status.code(status) != Status.CLOSED) {
      if (status == Status.OK) {
        final long op = agent.mr(1);
        final long arg = agent.mr(2);
        final long[] out = new long[4];
        try {
          switch ((int) op) {
            case 1 -> {
              for (long seq = 0; seq < arg; seq++) {
                tally(context).note(STREAM, seq);
              }
              out[0] = tally(context).count(STREAM);
            }
            case 2 -> {
              tally(context).remember();
              final CallInfo me = tally(context).me();
              out[0] = me.space();
              out[1] = me.thread();
              out[2] = me.pid();
            }
            default -> out[3] = 8;
          }
        } catch (Exception e) {
          out[3] = ClientAgentComponent.code(e);
        }
        agent.setTag(MessageTag.of(1, 4));
        for (int i = 0; i < 4; i++) {
          agent.setMr(i + 1, out[i]);
        }
      }
      status = agent.replyWait(Timeout.NEVER);
    }
  }
}
