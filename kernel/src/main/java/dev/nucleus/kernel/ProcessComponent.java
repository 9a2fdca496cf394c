package dev.nucleus.kernel;

/**
 * The code of a process space: what runs in the child JVM that {@link Kernel#spawnProcessSpace}
 * starts. An implementation needs a public no-argument constructor. Its {@link #run} spawns or
 * attaches IPC threads in the process space, typically publishes one id (its bootstrap service,
 * e.g. a server thread or an endpoint) and serves until its space ends. When {@code run} returns
 * the process exits; if it throws, the process exits with status 1 and its partners see
 * PEER_DEAD.
 */
public interface ProcessComponent {

  /** Runs the component in its process space; see {@link ProcessContext}. */
  void run(ProcessContext context) throws Exception;
}
