package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Channels between two process spaces ({@link Kernel#connect}): each reaches the other's ids
 * directly, process to process, both ways; each sees the other's death; a third process
 * reaches neither; nothing is left in the link directory. Each process space runs
 * {@link RelayComponent}: the root asks one process to call the other and report the outcome.
 */
@org.junit.jupiter.api.Timeout(120)
@Tag("system")
class PeerLinkTest {

  private static final Duration STARTUP = Duration.ofSeconds(30);

  private Kernel kernel;
  private Space client;
  private IpcThread me;

  @BeforeEach
  void start() {
    kernel = new Kernel(Kernel.Config.defaults().withMaxThreads(320).withMaxSpaces(16));
    client = kernel.createSpace("client");
    me = client.attach("me", WaitStrategy.BLOCK);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (me != null) {
      me.close();
    }
    ProcessTests.closeAndCheckNothingLeft(kernel);
  }

  /** Spawns a relay process and waits for its echo and relay threads. */
  private ProcessSpace relay(String name) throws Exception {
    final ProcessSpace ps = kernel.spawnProcessSpace(name, RelayComponent.class, client);
    ps.awaitPublished("echo", STARTUP);
    ps.awaitPublished("relay", STARTUP);
    return ps;
  }

  /** Asks {@code via}'s relay to call its "next" with {@code x}: {MR1, the relayed call's status}. */
  private long[] relayCall(ProcessSpace via, long x) throws Exception {
    me.setTag(MessageTag.of(1, 1));
    me.setMr(1, x);
    assertThat(me.call(via.awaitPublished("relay", STARTUP))).as("the root's call to %s", via).isEqualTo(Status.OK);
    return new long[] {me.mr(1), me.mr(2)};
  }

  /** Asks {@code via}'s relay to call {@code target} with {@code x}: {MR1, the relayed call's status}. */
  private long[] relayCallTo(ProcessSpace via, long x, long target) throws Exception {
    me.setTag(MessageTag.of(1, 2));
    me.setMr(1, x);
    me.setMr(2, target);
    assertThat(me.call(via.awaitPublished("relay", STARTUP))).as("the root's call to %s", via).isEqualTo(Status.OK);
    return new long[] {me.mr(1), me.mr(2)};
  }

  /** Offers each of {@code a} and {@code b} the other's echo thread as "next". */
  private static void introduce(ProcessSpace a, ProcessSpace b) throws Exception {
    a.offer("next", b.awaitPublished("echo", STARTUP));
    b.offer("next", a.awaitPublished("echo", STARTUP));
  }

  @Test
  @DisplayName("two connected process spaces call each other directly, both ways, every call answered")
  void connectedProcessesCallEachOtherBothWays() throws Exception {
    final ProcessSpace p = relay("p");
    final ProcessSpace q = relay("q");
    kernel.connect(p, q);
    introduce(p, q);
    for (int i = 0; i < 500; i++) {
      assertThat(relayCall(p, i)).as("p calls q's echo").containsExactly(i + 1, Status.OK);
      assertThat(relayCall(q, -i)).as("q calls p's echo").containsExactly(-i + 1, Status.OK);
    }
    assertThat(kernel.processSpaces()).containsExactlyInAnyOrder(p, q);
  }

  @ParameterizedTest(name = "the {0} side dies")
  @ValueSource(strings = {"first", "second"})
  @DisplayName("when one process dies the other's IPC to it fails (PEER_DEAD or STALE_ID), and it goes on serving")
  void eachSideSeesTheOthersDeath(String which) throws Exception {
    final ProcessSpace p = relay("p");
    final ProcessSpace q = relay("q");
    kernel.connect(p, q);
    introduce(p, q);
    final ProcessSpace dying = which.equals("first") ? p : q;
    final ProcessSpace survivor = dying == p ? q : p;
    assertThat(relayCall(survivor, 7)).containsExactly(8, Status.OK);

    ProcessHandle.of(dying.pid()).orElseThrow().destroyForcibly();
    assertThat(dying.awaitExit(Duration.ofSeconds(10))).isTrue();
    for (int i = 0; i < 3; i++) {
      final long[] r = relayCall(survivor, 7);
      assertThat(Status.code((int) r[1])).as("the survivor's call to the dead space, try %d", i)
          .isIn(Status.PEER_DEAD, Status.STALE_ID);
      assertThat(r[0]).isEqualTo(7);
    }
  }

  @Test
  @DisplayName("a third process space reaches neither side of a peer link, and neither reaches it")
  void aThirdProcessReachesNeither() throws Exception {
    final ProcessSpace p = relay("p");
    final ProcessSpace q = relay("q");
    final ProcessSpace r = relay("r");
    kernel.connect(p, q);
    introduce(p, q);
    assertThatThrownBy(() -> r.offer("next", p.awaitPublished("echo", STARTUP)))
        .as("the root offers r no id of a space it is not connected to").isInstanceOf(IllegalArgumentException.class);
    for (ProcessSpace target : new ProcessSpace[] {p, q}) { // r learned an id by other means
      final long[] fromR = relayCallTo(r, 1, target.awaitPublished("echo", STARTUP));
      assertThat(Status.code((int) fromR[1])).as("r's call to %s", target).isIn(Status.STALE_ID, Status.NOT_PERMITTED);
    }
    assertThat(relayCallTo(r, 1, r.awaitPublished("echo", STARTUP))).as("r still works").containsExactly(2, Status.OK);
    assertThat(relayCall(p, 1)).as("p still reaches q").containsExactly(2, Status.OK);
  }

  @Test
  @DisplayName("connect refuses a space with itself, a second link, and an ended space, each with a clear message")
  void connectRefusesWhatItCannotDo() throws Exception {
    final ProcessSpace p = relay("p");
    final ProcessSpace q = relay("q");
    assertThatThrownBy(() -> kernel.connect(p, p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be connected to itself");
    kernel.connect(p, q);
    assertThatThrownBy(() -> kernel.connect(q, p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("are connected already");
    q.close();
    final ProcessSpace r = relay("r");
    assertThatThrownBy(() -> kernel.connect(q, r)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has ended");
  }
}
