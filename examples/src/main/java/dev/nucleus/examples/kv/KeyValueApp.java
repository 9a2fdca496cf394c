package dev.nucleus.examples.kv;

import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.KernelBinding;

/**
 * A client process: waits for the root to grant it the store as "kv", then uses it, process to
 * process. It writes {@code args[0]} entries "app-0".., reads each back, touches each, and checks
 * that an oversized value is refused; then it returns, and its process exits with 0. Any mismatch or failure ends
 * the process with exit code 1, which the root sees.
 */
public final class KeyValueApp implements ProcessComponent {

  /** The component; the kernel makes it in the app process. */
  public KeyValueApp() {}

  /**
   * Waits (at most 30 s) until the root has granted this process the store: it connects the two
   * processes and offers the name after this one has started.
   */
  private static void awaitGrant(ProcessContext context) throws InterruptedException {
    final long deadline = System.nanoTime() + 30_000_000_000L;
    while (context.lookup(KeyValueServer.NAME) == ThreadId.NIL && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  @Override
  public void run(ProcessContext context) throws Exception {
    final int entries = Integer.parseInt(context.args().getFirst());
    awaitGrant(context);
    try (KernelBinding binding = KernelBinding.granted(context, KeyValueServer.NAME, KeyValue_Service.INSTANCE)) {
      final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
      for (int i = 0; i < entries; i++) {
        kv.put("app-" + i, ("value " + i).getBytes());
      }
      for (int i = 0; i < entries; i++) {
        final String read = new String(kv.get("app-" + i));
        if (!read.equals("value " + i)) {
          throw new IllegalStateException("app-" + i + " reads '" + read + "'");
        }
        kv.touch("app-" + i);
      }
      try {
        kv.put("too-large", new byte[KeyValueStore.MAX_VALUE + 1]);
        throw new IllegalStateException("an oversized value was taken");
      } catch (ValueTooLarge expected) {
        // the declared exception, rethrown here with its message
      }
    }
  }
}
