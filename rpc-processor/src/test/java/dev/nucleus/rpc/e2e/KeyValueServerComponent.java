package dev.nucleus.rpc.e2e;

import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.rpc.RpcServer;
import java.util.concurrent.CountDownLatch;

/**
 * A process space that exports a {@link KeyValueStore} ("kv", two server threads) and an
 * {@link IntrospectServer} ("introspect") and a {@link BulkServer} ("bulk"), and serves until its
 * process ends.
 */
public final class KeyValueServerComponent implements ProcessComponent {

  @Override
  public void run(ProcessContext context) throws Exception {
    final RpcServer kv = RpcServer.export(context.space(), KeyValue_Service.INSTANCE, new KeyValueStore(), 2);
    final RpcServer who = RpcServer.export(context.space(), Introspect_Service.INSTANCE, new IntrospectServer(), 1);
    final RpcServer bulk = RpcServer.export(context.space(), Bulk_Service.INSTANCE, new BulkServer(), 1);
    context.publish("kv", kv.id());
    context.publish("introspect", who.id());
    context.publish("bulk", bulk.id());
    context.publish(kv.id());
    new CountDownLatch(1).await();
  }
}
