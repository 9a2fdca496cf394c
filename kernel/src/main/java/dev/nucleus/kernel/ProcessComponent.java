package dev.nucleus.kernel;

/**
 * The code of a process space: what runs in the child JVM that {@link Kernel#spawnProcessSpace}
 * starts (or that {@link ProcessSpace#attachCommand} runs). An implementation needs a public
 * no-argument constructor. Its {@link #run} spawns or attaches IPC threads in the process space,
 * typically publishes one id (its bootstrap service, e.g. a server thread or an endpoint) and
 * serves until its space ends. When {@code run} returns the process exits with status 0, ending
 * the threads it spawned (they are daemon threads), so {@code run} must not return while its
 * service is meant to run; if it throws, the process exits with status 1. Either way the root's
 * partners blocked on its threads see PEER_DEAD, and its ids become stale.
 */
public interface ProcessComponent {

  /**
   * Runs the component in its process space, on the process's main thread, which may attach
   * itself as an IPC thread ({@link Space#attach(String)}).
   *
   * @param context the process space, the arguments and the way to publish ids to the root
   * @throws Exception any failure: the process exits with status 1, and a
   *     {@link ProcessSpace#awaitPublished} in the root that has not returned yet throws
   *     IllegalStateException
   */
  void run(ProcessContext context) throws Exception;
}
