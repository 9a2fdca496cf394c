package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.async.internal.HandoutMessage;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who gets an end: only the space the queue grants it to, and only once. Processes ask the broker
 * over IPC ({@link QueueComponent}'s probe role writes what each request got); thread spaces ask
 * directly; malformed requests are answered INVALID_ARGUMENT; the broker serves on after every
 * refusal.
 */
@Tag("system")
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Handing out queue ends")
class BrokerAuthorizationTest {

  private BrokerFixture system;
  private IpcThread me;

  @BeforeEach
  void start() throws Exception {
    system = new BrokerFixture();
    me = system.root.attach("me", WaitStrategy.BLOCK);
  }

  @AfterEach
  void stop() throws Exception {
    me.close();
    system.stop();
  }

  @Test
  @DisplayName("a process gets the ends granted to its space once each; other ends, second asks and unknown"
      + " names are NOT_PERMITTED, and the broker serves on")
  void shouldHandEachEndOnceToItsSpaceOnly() throws Exception {
    final Path aResults = system.dir.resolve("a.results");
    final Path bResults = system.dir.resolve("b.results");
    final ProcessSpace a = system.spawn("a", system.root, "probe", aResults.toString(), "sender:a-out", "sender:a-out",
        "receiver:a-out", "sender:b-out", "sender:no-such", "receiver:a-in");
    final ProcessSpace b = system.spawn("b", system.root, "probe", bResults.toString(), "sender:a-out",
        "sender:b-out");
    system.broker.create("a-out", QueueSide.of(a), QueueSide.of(system.root), 16);
    system.broker.create("a-in", QueueSide.of(system.root), QueueSide.of(a), 16);
    system.broker.create("b-out", QueueSide.of(b), QueueSide.of(system.root), 16);

    assertThat(BrokerFixture.exitOf(a)).as("a's probe ends").isZero();
    assertThat(BrokerFixture.exitOf(b)).as("b's probe ends").isZero();
    final List<String> aGot = Files.readAllLines(aResults, StandardCharsets.UTF_8);
    assertThat(aGot).hasSize(6);
    assertThat(aGot.get(0)).isEqualTo("sender:a-out OK");
    assertThat(aGot.get(1)).startsWith("sender:a-out NOT_PERMITTED").contains("handed out already");
    assertThat(aGot.get(2)).startsWith("receiver:a-out NOT_PERMITTED").contains("grants this end");
    assertThat(aGot.get(3)).startsWith("sender:b-out NOT_PERMITTED").contains("grants this end");
    assertThat(aGot.get(4)).startsWith("sender:no-such NOT_PERMITTED");
    assertThat(aGot.get(5)).as("the broker serves on after refusals").isEqualTo("receiver:a-in OK");
    final List<String> bGot = Files.readAllLines(bResults, StandardCharsets.UTF_8);
    assertThat(bGot).hasSize(2);
    assertThat(bGot.get(0)).startsWith("sender:a-out NOT_PERMITTED").contains("grants this end");
    assertThat(bGot.get(1)).isEqualTo("sender:b-out OK");

    // a took its sending end and exited without a message: the root's receiver learns it died.
    final QueueReceiver fromA = system.broker.openReceiver(me, "a-out", WaitStrategy.BLOCK);
    assertThat(fromA.receive(m -> { }, Streams.GUARD)).isEqualTo(Status.receive(Status.PEER_DEAD));
    assertThat(fromA.failure()).contains("sender died");
  }

  @Test
  @DisplayName("a thread space gets the ends granted to it once each; another space's thread, and a request over"
      + " IPC, are NOT_PERMITTED")
  void shouldHandAThreadSpaceItsEndOnce() throws Exception {
    final Space other = system.kernel.createSpace("other");
    final IpcThread stranger = other.attach("stranger", WaitStrategy.BLOCK);
    try {
      system.broker.create("local", QueueSide.of(system.root), QueueSide.of(other), 16);

      assertRefused(() -> system.broker.openSender(stranger, "local", WaitStrategy.BLOCK), Status.NOT_PERMITTED,
          "is not for space");
      assertRefused(() -> system.broker.openReceiver(me, "local", WaitStrategy.BLOCK), Status.NOT_PERMITTED,
          "grants this end");
      final QueueSender sender = system.broker.openSender(me, "local", WaitStrategy.BLOCK);
      assertRefused(() -> system.broker.openSender(me, "local", WaitStrategy.BLOCK), Status.NOT_PERMITTED,
          "handed out already");
      final QueueReceiver receiver = system.broker.openReceiver(stranger, "local", WaitStrategy.BLOCK);
      assertThat(sender.send(word(42), 0, 8, Timeout.NEVER)).isEqualTo(Status.OK);
      assertThat(receiver.receive(m -> assertThat(m.getLong(0)).isEqualTo(42L), Timeout.NEVER)).isEqualTo(Status.OK);
    } finally {
      stranger.close();
    }
  }

  @Test
  @DisplayName("malformed requests at the broker's server are answered INVALID_ARGUMENT, a thread space's"
      + " request over IPC NOT_PERMITTED, and the server serves on")
  void shouldRefuseMalformedRequests() throws Exception {
    final Path results = system.dir.resolve("p.results");
    final ProcessSpace p = system.spawn("p", system.root, "probe", results.toString());
    system.broker.create("p-out", QueueSide.of(p), QueueSide.of(system.root), 16);
    system.broker.create("root-out", QueueSide.of(system.root), QueueSide.of(system.root), 16);
    final long server = system.broker.serverOf(system.root);
    assertThat(server).as("the server in the root space").isNotZero();

    final long bytes = 0x74_756F_2D70L; // "p-out", little-endian
    assertThat(call(server, MessageTag.of(0x1234, 2), 5, bytes)).as("an unknown label").isEqualTo(
        HandoutMessage.REASON_MALFORMED);
    assertThat(call(server, MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 2), 0, 0)).as("an empty name")
        .isEqualTo(HandoutMessage.REASON_MALFORMED);
    assertThat(call(server, MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 2), 49, bytes)).as("a name of 49 bytes")
        .isEqualTo(HandoutMessage.REASON_MALFORMED);
    assertThat(call(server, MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 3), 5, bytes)).as("a word too many")
        .isEqualTo(HandoutMessage.REASON_MALFORMED);
    assertThat(call(server, MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 2), 4, bytes)).as("bytes past the length")
        .isEqualTo(HandoutMessage.REASON_MALFORMED);
    assertThat(call(server, MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 2), 2, 0xFFFFL)).as("not UTF-8")
        .isEqualTo(HandoutMessage.REASON_MALFORMED);
    assertThat(call(server, MessageTag.of(HandoutMessage.OPEN_SENDER_LABEL, 2), 2, 0x0061L)).as("a NUL")
        .isEqualTo(HandoutMessage.REASON_MALFORMED);
    assertRefused(() -> QueueClient.openSender(me, server, "root-out", WaitStrategy.BLOCK), Status.NOT_PERMITTED,
        "grants this end");
    assertRefused(() -> QueueClient.openSender(me, server, "p-out", WaitStrategy.BLOCK), Status.NOT_PERMITTED,
        "grants this end");

    assertThat(BrokerFixture.exitOf(p)).isZero();
    final QueueSender sender = system.broker.openSender(me, "root-out", WaitStrategy.BLOCK);
    assertThat(sender.offer(word(7), 0, 8)).as("the root's own queue works").isEqualTo(Status.OK);
  }

  /** Calls the server with a raw request; returns the reason of the refusal it must be. */
  private long call(long server, long tag, long length, long word) {
    me.setTag(tag);
    me.setMr(HandoutMessage.NAME_LENGTH_MR, length);
    me.setMr(HandoutMessage.NAME_MR, word);
    me.setMr(HandoutMessage.NAME_MR + 1, 0);
    assertThat(me.call(server, Timeout.relative(10_000_000_000L), Timeout.relative(10_000_000_000L)))
        .isEqualTo(Status.OK);
    assertThat(MessageTag.untyped(me.tag())).isEqualTo(HandoutMessage.ERROR_WORDS);
    final long reason = me.mr(HandoutMessage.REASON_MR);
    assertThat(MessageTag.label(me.tag())).isEqualTo(HandoutMessage.codeOf(reason));
    return reason;
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable open, int status,
      String why) {
    assertThatThrownBy(open).isInstanceOfSatisfying(QueueHandoutException.class, e -> {
      assertThat(Status.code(e.status())).isEqualTo(status);
      assertThat(e.getMessage()).contains(why);
    });
  }

  /** Eight bytes of native memory holding {@code value}. */
  private static MemorySegment word(long value) {
    final MemorySegment s = Arena.ofAuto().allocate(8, 8);
    s.set(ValueLayout.JAVA_LONG, 0, value);
    return s;
  }
}
