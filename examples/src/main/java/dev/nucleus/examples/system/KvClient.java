package dev.nucleus.examples.system;

import dev.nucleus.examples.kv.KeyValue;
import dev.nucleus.examples.kv.KeyValue_Service;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.system.Component;
import dev.nucleus.system.ComponentContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A client of "kv": writes and reads back its own keys in a loop, each call with a 1 s deadline,
 * and checks every value it reads. While the store restarts its calls wait for the new instance
 * ({@link ComponentContext.Rebind#WAIT}) or fail with a typed {@link RpcException}; a value that
 * reads back wrong (other than lost with a crashed store) ends the component with an exception.
 * Its figures are in the store: key {@code <name>.ok} counts its good rounds.
 */
public final class KvClient implements Component {

  /** Made by the root task. */
  public KvClient() {}

  @Override
  public void run(ComponentContext context) throws Exception {
    final KeyValue kv = context.bind("kv", KeyValue_Service.INSTANCE, ComponentContext.Rebind.WAIT);
    final long pause = Args.millis(context.args(), "pause", 1);
    final String me = context.name();
    long round = 0;
    while (!Thread.currentThread().isInterrupted()) {
      round++;
      final byte[] value = (me + " " + round).getBytes(StandardCharsets.UTF_8);
      try {
        Deadlines.within(Duration.ofSeconds(1), () -> {
          kv.put(me, value);
          final byte[] back = kv.get(me);
          if (back != null && !Arrays.equals(back, value)) {
            throw new IllegalStateException(me + " read back '" + new String(back, StandardCharsets.UTF_8) + "'");
          }
          kv.touch(me + ".ok");
        });
      } catch (RpcException e) {
        // the store is restarting: a typed error, and the next round goes on
      }
      if (pause > 0) {
        Thread.sleep(pause);
      }
    }
  }
}
