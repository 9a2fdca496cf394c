package dev.nucleus.rpc.e2e;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.DeadlineExceededException;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.NotPermittedException;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RemoteFailureException;
import dev.nucleus.rpc.RpcException;

/**
 * A process space whose "agent" thread makes RPC calls on the root's behalf, through bindings to
 * the services the root granted it ("kv", "introspect"), and reports what came back. The root
 * calls the agent with MR1 = an operation, MR2 = its argument; the agent replies MR1..MR3 = the
 * results, MR4 = {@link #code} of how the RPC ended.
 *
 * <pre>
 *   1  kv.get(arg)                 MR1 = the result
 *   2  introspect.whoIsCalling(0)  MR1 = caller space, MR2 = caller thread, MR3 = caller pid
 *   3  kv.put(a 20-char key, {})   (KeyTooLong)
 *   4  get(1) on the KeyValue export whose id is the argument, however the agent learned it
 *      (a binding made from the bare id, closed after the call)   MR1 = the result
 *   5  the same export, through a binding with a one-way queue: log("agent") (one-way), then
 *      get(1)                                                      MR1 = the result
 *   6  kv.get(i) for i in 0 .. arg - 1, each result checked        MR1 = the calls answered right
 * </pre>
 */
public final class ClientAgentComponent implements ProcessComponent {

  /** How an RPC ended: 0 normally; else the exception's code. */
  static int code(Throwable e) {
    return switch (e) {
      case KeyTooLong k -> 1;
      case RemoteFailureException r -> 2;
      case PeerDeadException p -> 3;
      case NotPermittedException n -> 4;
      case DeadlineExceededException d -> 5;
      case RpcException r -> 6;
      default -> 7;
    };
  }

  /** The bindings, made on first use and kept: each holds the agent's IPC thread for its calls. */
  private KeyValue keyValue;
  private Introspect introspect;

  private KeyValue keyValue(ProcessContext context) {
    if (keyValue == null) {
      keyValue = KernelBinding.granted(context, "kv", KeyValue_Service.INSTANCE).proxy(KeyValue_Service.INSTANCE);
    }
    return keyValue;
  }

  private Introspect introspect(ProcessContext context) {
    if (introspect == null) {
      introspect = KernelBinding.granted(context, "introspect", Introspect_Service.INSTANCE)
          .proxy(Introspect_Service.INSTANCE);
    }
    return introspect;
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
            case 1 -> out[0] = keyValue(context).get(arg);
            case 2 -> {
              final CallInfo info = introspect(context).whoIsCalling(0);
              out[0] = info.space();
              out[1] = info.thread();
              out[2] = info.pid();
            }
            case 3 -> keyValue(context).put("a key of twenty char", new byte[0]);
            case 4 -> {
              try (KernelBinding bare = KernelBinding.to(context.space(), arg, KeyValue_Service.INSTANCE)) {
                out[0] = bare.proxy(KeyValue_Service.INSTANCE).get(1);
              }
            }
            case 5 -> {
              try (KernelBinding queued = KernelBinding.builder(context.space(), arg, KeyValue_Service.INSTANCE)
                  .onewayQueue(64).build()) {
                final KeyValue kv = queued.proxy(KeyValue_Service.INSTANCE);
                kv.log("agent");
                out[0] = kv.get(1);
              }
            }
            case 6 -> {
              final KeyValue kv = keyValue(context);
              for (long i = 0; i < arg; i++) {
                if (kv.get(i) == i + 1) {
                  out[0]++;
                }
              }
            }
            default -> out[3] = 8;
          }
        } catch (Exception e) {
          out[3] = code(e);
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
