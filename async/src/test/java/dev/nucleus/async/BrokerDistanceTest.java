package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One semantics at every distance: a broker-made queue from a thread space or a process space to
 * a thread space or a process space (two process spaces connected to each other) carries a
 * checksummed stream, and when either side dies (a thread space ended, a process killed with
 * SIGKILL) the survivor gets PEER_DEAD: a receiver after everything sent, a sender at once. Then
 * the broker frees the queue.
 */
@Tag("system")
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Broker-made queues at every distance")
class BrokerDistanceTest {

  private static final int SLOTS = 64;
  private static final long MESSAGES = 10_000;

  /** Where a side runs. */
  enum Kind { THREAD, PROCESS }

  /** Which side the test kills once the stream has arrived. */
  enum Victim { SENDER, RECEIVER }

  private BrokerFixture system;

  /** One side: a thread space (its thread's outcome in {@code outcome}) or a process space. */
  private record Side(Space space, ProcessSpace process, CompletableFuture<String> outcome) {
    QueueSide side() {
      return process != null ? QueueSide.of(process) : QueueSide.of(space);
    }

    void kill() {
      if (process != null) {
        process.kill();
      } else {
        space.end();
      }
    }

    /** Null if the side's role ended as expected. */
    String awaitOutcome() throws Exception {
      if (process != null) {
        return BrokerFixture.exitOf(process) == 0 ? null : "the process's exit code was " + process.exitCode();
      }
      return outcome.get(60, TimeUnit.SECONDS);
    }
  }

  static Stream<Arguments> distances() {
    final List<Arguments> all = new ArrayList<>();
    for (Kind sender : Kind.values()) {
      for (Kind receiver : Kind.values()) {
        for (Victim victim : Victim.values()) {
          all.add(Arguments.of(sender, receiver, victim));
        }
      }
    }
    return all.stream();
  }

  @BeforeEach
  void start() throws Exception {
    system = new BrokerFixture();
  }

  @AfterEach
  void stop() throws Exception {
    system.stop();
  }

  @ParameterizedTest(name = "from a {0} space to a {1} space; the {2} dies")
  @MethodSource("distances")
  @DisplayName("a stream arrives whole, a side's death reaches the survivor as PEER_DEAD, and the queue is freed")
  void shouldCarryAStreamAndTellADeath(Kind senderKind, Kind receiverKind, Victim victim) throws Exception {
    final String sendRole = victim == Victim.SENDER ? "send-hold" : "send-forever";
    final String receiveRole = victim == Victim.SENDER ? "receive" : "receive-hold";
    final Side sender = side(senderKind, "sender", sendRole);
    final Side receiver = side(receiverKind, "receiver", receiveRole);
    if (sender.process() != null && receiver.process() != null) {
      system.kernel.connect(sender.process(), receiver.process());
    }
    system.broker.create("stream", sender.side(), receiver.side(), SLOTS);
    final StreamCounters counters = system.counters("stream");
    runInThread(sender, sendRole, counters);
    runInThread(receiver, receiveRole, counters);

    BrokerFixture.await("the receiver takes the " + MESSAGES + " messages",
        () -> counters.get(StreamCounters.RECEIVED) == MESSAGES);
    final Side dying = victim == Victim.SENDER ? sender : receiver;
    final Side survivor = victim == Victim.SENDER ? receiver : sender;
    dying.kill();

    assertThat(survivor.awaitOutcome()).as("the survivor's outcome (null: PEER_DEAD after the whole stream)").isNull();
    if (dying.process() == null) {
      assertThat(dying.awaitOutcome()).as("the victim's part before it died").isNull();
    }
    BrokerFixture.await("the broker frees the queue once both ends are done",
        () -> !system.broker.queues().contains("stream"));
  }

  private Side side(Kind kind, String name, String role) {
    if (kind == Kind.THREAD) {
      return new Side(system.kernel.createSpace(name), null, new CompletableFuture<>());
    }
    return new Side(null, system.spawn(name, system.root, role, "stream", "ADAPTIVE", "44", Long.toString(MESSAGES),
        system.countersPath("stream")), null);
  }

  /** For a thread side: runs {@code role} (as {@link QueueComponent} does) on a thread of its space. */
  private void runInThread(Side side, String role, StreamCounters counters) {
    if (side.process() != null) {
      return;
    }
    side.space().spawn(role, WaitStrategy.BLOCK, self -> {
      try {
        if (role.startsWith("send")) {
          final QueueSender sender = system.broker.openSender(self, "stream", WaitStrategy.ADAPTIVE);
          final Payloads payloads = new Payloads(44, sender.maxPayload(), Payloads.Lengths.FEW_SLOTS);
          final boolean hold = role.equals("send-hold");
          side.outcome().complete(Streams.send(sender, payloads, hold ? MESSAGES : Long.MAX_VALUE, counters,
              Timeout.NEVER));
          if (hold) {
            self.waitAny(Timeout.NEVER); // until the space ends: it returns CLOSED
          }
          sender.close();
        } else {
          final QueueReceiver receiver = system.broker.openReceiver(self, "stream", WaitStrategy.ADAPTIVE);
          final Payloads payloads = new Payloads(44, receiver.maxPayload(), Payloads.Lengths.FEW_SLOTS);
          final String failure = Streams.receive(receiver, payloads, MESSAGES, counters, Streams.GUARD, next -> { });
          if (role.equals("receive-hold")) {
            side.outcome().complete(failure);
            self.waitAny(Timeout.NEVER);
          } else {
            side.outcome().complete(failure != null ? failure : Streams.expectEnd(receiver, Streams.GUARD));
          }
          receiver.close();
        }
      } catch (Throwable t) {
        side.outcome().completeExceptionally(t);
      }
    });
  }
}
