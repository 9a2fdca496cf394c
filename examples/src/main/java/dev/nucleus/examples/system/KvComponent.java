package dev.nucleus.examples.system;

import dev.nucleus.examples.kv.KeyValueStore;
import dev.nucleus.examples.kv.KeyValue_Service;
import dev.nucleus.system.Component;
import dev.nucleus.system.ComponentContext;
import java.time.Duration;

/**
 * The key-value store as a component: exports a {@link KeyValueStore} as "kv" and serves. With an
 * argument {@code crash-after=<ms>} it crashes that long after it started (to show a restart): its
 * store is lost with it, as a process's memory is.
 */
public final class KvComponent implements Component {

  /** Made by the root task. */
  public KvComponent() {}

  @Override
  public void run(ComponentContext context) throws Exception {
    context.export("kv", KeyValue_Service.INSTANCE, new KeyValueStore());
    final long crashAfter = Args.millis(context.args(), "crash-after", 0);
    if (crashAfter > 0) {
      Thread.sleep(Duration.ofMillis(crashAfter));
      throw new IllegalStateException("kv: simulated crash after " + crashAfter + " ms");
    }
    Thread.sleep(Long.MAX_VALUE); // serve until stopped
  }
}
