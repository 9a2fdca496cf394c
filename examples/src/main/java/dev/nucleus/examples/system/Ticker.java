package dev.nucleus.examples.system;

import dev.nucleus.examples.kv.KeyValue;
import dev.nucleus.examples.kv.KeyValue_Service;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.system.Component;
import dev.nucleus.system.ComponentContext;
import dev.nucleus.system.DriverEvent;
import java.time.Duration;

/**
 * Owns a timer driver: each tick arrives as an interrupt message, and the ticker counts it in the
 * store (key {@code ticks}, a one-way touch per firing).
 */
public final class Ticker implements Component {

  /** Made by the root task. */
  public Ticker() {}

  @Override
  public void run(ComponentContext context) throws Exception {
    final KeyValue kv = context.bind("kv", KeyValue_Service.INSTANCE);
    while (!Thread.currentThread().isInterrupted()) {
      final DriverEvent e = context.awaitDriver(Duration.ofSeconds(1));
      if (e == null) {
        continue;
      }
      for (long i = 0; i < e.firings(); i++) {
        try {
          kv.touch("ticks");
        } catch (RpcException down) {
          // the store is restarting: this tick is not counted
        }
      }
    }
  }
}
