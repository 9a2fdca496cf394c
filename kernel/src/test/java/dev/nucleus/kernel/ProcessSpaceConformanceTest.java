package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.Site.Actor;
import dev.nucleus.kernel.Site.EndpointRef;
import dev.nucleus.kernel.Site.Peer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The IPC conformance suite with the partners in a process space: the test thread in a root
 * thread space, every partner in a {@link PartnerProcess} linked to it (sel4test's
 * inter-address-space twins of its IPC tests). The root space also has its link's table, so the
 * test thread's receives wait in two tables.
 *
 * <p>One kernel and process serve the tests of each configuration in turn ({@link PartnerWorlds});
 * every test is cleared after it, a broken one discarded, and the class checks at the end that
 * every process has exited and nothing is left in /dev/shm.
 *
 * <p>Also the scenarios that only a process space has (IPC16xx). The earlier cross-process
 * scenarios are now the suite's: every length both ways, word by word (IPC0201, IPC0202), a
 * sender queued first (IPC0003, IPC0004, IPC0202), timeouts and late replies (IPC0105, IPC0106,
 * IPC0401-IPC0406).
 */
@DisplayName("IPC conformance: partners in a process space")
class ProcessSpaceConformanceTest extends IpcConformanceSuite {

  private static final PartnerWorlds WORLDS = new PartnerWorlds(PartnerWorlds.Placement.PARTNERS_IN_PROCESS);

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

  // ============================================================================================
  // IPC16xx process spaces only
  // ============================================================================================

  @Test
  @DisplayName("IPC1601 stress: client threads call a thread pool in another process; every reply checked")
  void poolInAnotherProcess() {
    final World f = world(WaitStrategy.BLOCK);
    final EndpointRef pool = f.remote().createEndpoint("pool");
    final long[] servers = new long[3];
    for (int i = 0; i < servers.length; i++) {
      servers[i] = spawn(f.remote(), "server" + i, WaitStrategy.BLOCK, Partners.endpointServer(pool.id())).id();
    }
    final int calls = 1000;
    final List<Peer> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(spawn(f.local(), "client" + c, WaitStrategy.BLOCK,
          Partners.endpointClient(pool.id(), c * 1_000_000L, calls, servers, f.id())));
    }
    for (Peer c : clients) {
      assertThat(awaitReport(f, c)[0]).as("calls answered right to %s", c).isEqualTo(calls);
    }
  }

  /** A system test (it stops a real process): it runs in the system tier, with failsafe. */
  @Test
  @Tag("system")
  @DisplayName("IPC1602 a stopped (SIGSTOP) process is not dead: its partner waits, and resumes with it")
  void stoppedProcessIsNotDead() throws Exception {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer echo = spawn(f.remote(), "echo", WaitStrategy.ADAPTIVE, Partners.echo());
    message(me, 0x1602, 1);
    assertOk(me.call(echo.id()), "a call before the stop");
    final long pid = ((PartnerProcess) f.remote()).pid();
    ProcessTests.signal("STOP", pid);
    try {
      ProcessTests.awaitStopped(pid);
      message(me, 0x1602, 2);
      final long brief = Timeout.relative(Duration.ofMillis(300));
      assertStatusIn(me.call(echo.id(), brief, brief), "a call to a stopped partner: it times out, it is not PEER_DEAD",
          Status.send(Status.TIMEOUT), Status.receive(Status.TIMEOUT));
    } finally {
      ProcessTests.signal("CONT", pid);
    }
    message(me, 0x1602, 3);
    assertOk(me.call(echo.id(), PATIENT, PATIENT), "a call once it runs again");
    assertMessage(me, echo.id(), 0x1602, 3);
  }
}
