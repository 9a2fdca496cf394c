package dev.nucleus.examples.kv;

import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.rpc.RpcServer;
import java.util.concurrent.CountDownLatch;

/**
 * The server process: exports a {@link KeyValueStore} on a pool of two threads, publishes the
 * export as "kv", and serves until the root ends the process.
 */
public final class KeyValueServer implements ProcessComponent {

  /** The component; the kernel makes it in the server process. */
  public KeyValueServer() {}

  /** The name the store is published under. */
  public static final String NAME = "kv";

  @Override
  public void run(ProcessContext context) throws InterruptedException {
    final RpcServer export = RpcServer.export(context.space(), KeyValue_Service.INSTANCE, new KeyValueStore(), 2);
    context.publish(NAME, export.id());
    context.publish(export.id());
    new CountDownLatch(1).await();
  }
}
