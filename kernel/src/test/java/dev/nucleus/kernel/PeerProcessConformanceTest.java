package dev.nucleus.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The IPC conformance suite between two process spaces: the test thread in one process, every
 * partner in another, the two joined by a peer link ({@link Kernel#connect}) that the root made
 * and neither shares with anyone: process-to-process IPC, with no root thread on the path.
 *
 * <p>One kernel and pair of processes serve the tests of each configuration in turn
 * ({@link PartnerWorlds}); every test is cleared after it, a broken one discarded, and the class
 * checks at the end that every process has exited and nothing is left in /dev/shm.
 */
@DisplayName("IPC conformance: two process spaces")
class PeerProcessConformanceTest extends IpcConformanceSuite {

  private static final PartnerWorlds WORLDS = new PartnerWorlds(PartnerWorlds.Placement.PEER_PROCESSES);

  @AfterAll
  static void closeWorlds() throws Exception {
    WORLDS.close();
  }

  /** Two process spaces are always connected here: {@code connected} cannot be false. */
  @Override
  protected World newWorld(Kernel.Config config, boolean connected) {
    return WORLDS.newWorld(config);
  }

  @Override
  protected void endWorld(World f, boolean discard) throws Exception {
    WORLDS.endWorld(f, discard);
  }
}
