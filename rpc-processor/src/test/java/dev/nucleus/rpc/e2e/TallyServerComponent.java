package dev.nucleus.rpc.e2e;

import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.rpc.RpcServer;
import java.util.concurrent.CountDownLatch;

/** A process space that exports a {@link TallyServer} ("tally", one pool thread) and serves until its process ends. */
public final class TallyServerComponent implements ProcessComponent {

  @Override
  public void run(ProcessContext context) throws Exception {
    final RpcServer tally = RpcServer.export(context.space(), Tally_Service.INSTANCE, new TallyServer(), 1);
    context.publish("tally", tally.id());
    new CountDownLatch(1).await();
  }
}
