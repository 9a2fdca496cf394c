package dev.nucleus.kernel;

import java.time.Duration;

/**
 * A root task for {@link NoOrphansTest}, run in a JVM of its own: starts a kernel, prints
 * {@code spawning} and starts a process space named by its first argument, then serves until it
 * is killed. The test kills it with SIGKILL at a random moment around the spawn.
 */
final class OrphanRootMain {

  private OrphanRootMain() {}

  static void main(String[] args) throws Exception {
    final Kernel kernel = Kernel.create();
    final Space peer = kernel.createSpace("peer");
    System.out.println("spawning");
    System.out.flush();
    final ProcessSpace child = kernel.spawnProcessSpace(args[0], EchoComponent.class, peer);
    System.out.println("spawned " + child.pid());
    System.out.flush();
    child.awaitPublished(Duration.ofSeconds(60));
    Thread.sleep(Long.MAX_VALUE); // until killed
  }
}
