package dev.nucleus.system.internal;

import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.rpc.ServerLocator;
import java.util.List;

/** The context of a component in a thread space of the root JVM: exports and imports go straight to the runtime. */
final class LocalContext extends BaseContext {

  private final SystemRuntime runtime;
  private final Instance instance;

  LocalContext(SystemRuntime runtime, Instance instance, Space space, List<String> drivers) {
    super(instance.owner().spec.name(), instance.owner().spec.args(), space, instance.owner().spec.serverThreads(),
        instance.owner().spec.provides(), instance.owner().spec.imports(), drivers);
    this.runtime = runtime;
    this.instance = instance;
  }

  @Override
  void exported(String service, RpcServer server) {
    runtime.exported(instance, service, server.id());
  }

  @Override
  long deaths(String service, long seen, long waitNanos) {
    try {
      return runtime.awaitDeaths(service, seen, dev.nucleus.kernel.Timeout.now() + waitNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  ServerLocator locator(String service) {
    return runtime.locator(instance.owner(), service);
  }
}
