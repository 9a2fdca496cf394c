package dev.nucleus.bench.lrpc;

import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.rpc.RpcServer;
import java.util.concurrent.CountDownLatch;

/**
 * The server side of {@code lrpc-process-null}, run in a process space: exports a
 * {@link BenchServer} on a pool of one server thread, publishes the pool's endpoint id (the one id
 * {@code ProcessSpace.awaitPublished} returns), and serves until the root ends the process. The
 * pool's thread waits as the process space's kernel says (the root's default wait strategy,
 * handed to the process when it was spawned).
 */
public final class BenchServerComponent implements ProcessComponent {

  @Override
  public void run(ProcessContext context) throws InterruptedException {
    final RpcServer server = RpcServer.export(context.space(), Bench_Service.INSTANCE, new BenchServer(), 1);
    context.publish(server.id());
    // The pool's thread serves; this one only keeps the process alive until the root ends it
    // (ProcessSpace.close), since a component that returns ends its process.
    new CountDownLatch(1).await();
  }
}
