package dev.nucleus.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The IPC conformance suite with the roles turned round: the test thread in a process space (an
 * agent of a {@link PartnerProcess}, which runs each operation the test asks for) and every
 * partner, the servers among them, in the root space it is linked to. That root space waits in
 * two tables, its home and the link: a root server serving a process.
 *
 * <p>One kernel and process serve the tests of each configuration in turn ({@link PartnerWorlds});
 * every test is cleared after it, a broken one discarded, and the class checks at the end that
 * every process has exited and nothing is left in /dev/shm.
 */
@DisplayName("IPC conformance: a process served by the root")
class RootServerConformanceTest extends IpcConformanceSuite {

  private static final PartnerWorlds WORLDS = new PartnerWorlds(PartnerWorlds.Placement.TEST_IN_PROCESS);

  @AfterAll
  static void closeWorlds() throws Exception {
    WORLDS.close();
  }

  /** A process space is always linked to its root peer: {@code connected} cannot be false here. */
  @Override
  protected World newWorld(Kernel.Config config, boolean connected) {
    return WORLDS.newWorld(config);
  }

  @Override
  protected void endWorld(World f, boolean discard) throws Exception {
    WORLDS.endWorld(f, discard);
  }
}
