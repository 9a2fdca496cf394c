package dev.nucleus.examples.kv;

import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.KernelBinding;
import java.time.Duration;
import java.util.List;

/**
 * A key-value store served from a process space, used from the root and from another process:
 *
 * <ol>
 *   <li>the root spawns the server process, which exports the store as "kv";
 *   <li>the root binds to it and writes and reads a few entries;
 *   <li>the root spawns an app process, connects it to the server process and grants it "kv"; the
 *       app uses the store process to process and exits;
 *   <li>the root reads what the app wrote.
 * </ol>
 *
 * Run it with {@code java --enable-native-access=ALL-UNNAMED -cp ... dev.nucleus.examples.kv.KeyValueExample}.
 */
public final class KeyValueExample {

  private static final Duration STARTUP = Duration.ofSeconds(30);

  /**
   * What a run saw.
   *
   * @param keys the store's keys at the end, sorted
   * @param rootValue what the root reads back under "root"
   * @param appExitCode the app process's exit code (0: every value it read back was right)
   * @param appTouches how often the app touched "app-0" (one-way calls)
   * @param refusal the message of the ValueTooLarge the root's oversized put got
   */
  public record Report(List<String> keys, String rootValue, long appExitCode, long appTouches, String refusal) {}

  private KeyValueExample() {}

  /**
   * Runs the example with an app that writes {@code appEntries} entries.
   *
   * @param appEntries how many entries the app process writes
   * @return what the root saw
   * @throws Exception if a process does not start or the store misbehaves
   */
  public static Report run(int appEntries) throws Exception {
    try (Kernel kernel = Kernel.create()) {
      final Space root = kernel.createSpace("root");
      final ProcessSpace server = kernel.spawnProcessSpace("kv-server", KeyValueServer.class, root);
      final long kvId = server.awaitPublished(KeyValueServer.NAME, STARTUP);
      try (KernelBinding binding = KernelBinding.to(root, kvId, KeyValue_Service.INSTANCE)) {
        final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
        kv.put("root", "written by the root".getBytes());
        String refusal = null;
        try {
          kv.put("huge", new byte[300]);
        } catch (ValueTooLarge e) {
          refusal = e.getMessage();
        }

        final ProcessSpace app = kernel.spawnProcessSpace("kv-app", KeyValueApp.class, root,
            Integer.toString(appEntries));
        kernel.connect(app, server);
        app.offer(KeyValueServer.NAME, kvId);
        if (!app.awaitExit(STARTUP)) {
          throw new IllegalStateException("the app process did not finish within " + STARTUP);
        }
        return new Report(kv.keys(), new String(kv.get("root")), app.exitCode(), touches(kv, "app-0"), refusal);
      }
    }
  }

  /**
   * The touches of {@code key}, once at least one has been counted (at most a second): a one-way
   * call returns when a server thread has taken it, and the pool's other thread may answer a
   * later two-way call before that one has counted it. One-way calls are delivered in order, not
   * served in order across a pool.
   */
  private static long touches(KeyValue kv, String key) throws InterruptedException {
    final long deadline = System.nanoTime() + 1_000_000_000L;
    long n = kv.touches(key);
    while (n == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
      n = kv.touches(key);
    }
    return n;
  }

  /**
   * Runs the example and prints what the root saw.
   *
   * @param args ignored
   * @throws Exception if the example fails
   */
  public static void main(String[] args) throws Exception {
    final Report r = run(10);
    System.out.println("keys:            " + r.keys());
    System.out.println("root's value:    " + r.rootValue());
    System.out.println("app exit code:   " + r.appExitCode());
    System.out.println("app-0 touched:   " + r.appTouches() + " time(s)");
    System.out.println("refused:         " + r.refusal());
  }
}
