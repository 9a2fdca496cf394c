package dev.nucleus.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.async.internal.HandoutMessage;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a process checks in the broker's reply before it uses it: the client asks a fake broker
 * (a thread of this JVM that answers with what the test gives it) and must refuse, with
 * PROTOCOL_ERROR and a sentence naming the field, every reply no broker sends; a refusal becomes
 * its status; a failed call its IPC status.
 */
@Tag("unit")
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("A queue client, given the broker's reply")
class QueueClientReplyTest {

  private static final long TOKEN = 0x5EED_0F_7E57L;
  /** The pid the fake broker names for the other end: some process, here the init process. */
  private static final long PEER = 1;

  private Kernel kernel;
  private Space space;
  private IpcThread me;
  private long fake;
  /** The next reply the fake broker writes into its registers. */
  private final SynchronousQueue<Consumer<IpcThread>> replies = new SynchronousQueue<>();

  @BeforeEach
  void start() throws Exception {
    kernel = Kernel.create();
    space = kernel.createSpace("process-like");
    me = space.attach("client", WaitStrategy.BLOCK);
    final CompletableFuture<Long> id = new CompletableFuture<>();
    space.spawn("fake-broker", WaitStrategy.BLOCK, self -> {
      id.complete(self.id());
      while (self.waitAny(Timeout.NEVER) == Status.OK) {
        replies.take().accept(self);
        self.reply();
      }
    });
    fake = id.get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    me.close();
    kernel.close();
  }

  @Test
  @DisplayName("attaches the end a well-formed grant names")
  void shouldAttachAGrantedEnd() throws Exception {
    try (SharedRegion region = queueRegion(16, 16, TOKEN)) {
      answer(t -> HandoutMessage.putGranted(t, region.handle(), HandoutMessage.regionBytes(16), 16, 7, TOKEN, PEER));
      final QueueSender sender = QueueClient.openSender(me, fake, "q", WaitStrategy.SPIN);
      assertThat(sender.maxPayload()).isEqualTo(QueueMemory.maxPayload(16));
      assertThat(sender.peerPid()).as("the process the grant names for the other end").isEqualTo(PEER);
      assertThat(sender.offer(QueueBrokerTest.word(1), 0, 8)).isEqualTo(Status.OK);
    }
  }

  @Test
  @DisplayName("takes a grant whose other end has no process yet, and names no process for it")
  void shouldAttachAnEndWhosePeerHasNoProcessYet() {
    try (SharedRegion region = queueRegion(16, 16, TOKEN)) {
      answer(t -> HandoutMessage.putGranted(t, region.handle(), HandoutMessage.regionBytes(16), 16, 7, TOKEN, -1));
      final QueueReceiver receiver = QueueClient.openReceiver(me, fake, "q", WaitStrategy.SPIN);
      assertThat(receiver.peerPid()).isEqualTo(-1);
    }
  }

  @Test
  @DisplayName("turns a refusal into its status and reason")
  void shouldReportARefusal() {
    answer(t -> HandoutMessage.putRefused(t, Status.NOT_PERMITTED, HandoutMessage.REASON_ALREADY_OPEN));
    assertThatThrownBy(() -> QueueClient.openReceiver(me, fake, "q", WaitStrategy.SPIN))
        .isInstanceOfSatisfying(QueueHandoutException.class, e -> {
          assertThat(e.status()).isEqualTo(Status.NOT_PERMITTED);
          assertThat(e.getMessage()).contains("receiving end of queue 'q'", "handed out already");
        });
  }

  @Test
  @DisplayName("reports a failed call with its IPC status")
  void shouldReportAFailedCall() {
    final IpcThread gone = space.attach("gone", WaitStrategy.BLOCK);
    final long nobody = gone.id();
    gone.close();
    assertThatThrownBy(() -> QueueClient.openSender(me, nobody, "q", WaitStrategy.SPIN))
        .isInstanceOfSatisfying(QueueHandoutException.class, e -> {
          assertThat(e.status()).isEqualTo(Status.send(Status.STALE_ID));
          assertThat(e.getMessage()).contains("the call to the queue broker");
        });
  }

  @Test
  @DisplayName("refuses replies no broker sends, naming what is wrong")
  void shouldRefuseMalformedReplies() throws Exception {
    try (SharedRegion region = queueRegion(16, 16, TOKEN); SharedRegion blank = queueRegion(16, 0, TOKEN);
        SharedRegion smaller = queueRegion(32, 16, TOKEN)) {
      final long bytes = HandoutMessage.regionBytes(16);
      final long pid = ProcessHandle.current().pid();
      refused(t -> t.setTag(MessageTag.of(Status.OK, 5)), "not 6 words");
      refused(t -> HandoutMessage.putRefused(t, 99, HandoutMessage.REASON_NOT_GRANTED), "a refusal");
      refused(t -> HandoutMessage.putRefused(t, Status.NOT_PERMITTED, 17), "with reason 17");
      refused(t -> HandoutMessage.putRefused(t, Status.CLOSED, HandoutMessage.REASON_NOT_GRANTED), "a refusal");
      refused(t -> HandoutMessage.putGranted(t, region.handle(), bytes, 12, 7, TOKEN, PEER), "12 slots");
      refused(t -> HandoutMessage.putGranted(t, region.handle(), bytes - 64, 16, 7, TOKEN, PEER),
          "bytes for 16 slots");
      refused(t -> HandoutMessage.putGranted(t, region.handle(), bytes, 16, 0, TOKEN, PEER), "in space 0");
      refused(t -> HandoutMessage.putGranted(t, region.handle(), bytes, 16, 7, TOKEN, 0), "in process 0");
      refused(t -> HandoutMessage.putGranted(t, region.handle(), bytes, 16, 7, TOKEN, 1L << 31),
          "in process " + (1L << 31));
      refused(t -> {
        HandoutMessage.putGranted(t, region.handle(), bytes, 16, 7, TOKEN, PEER);
        t.setMr(HandoutMessage.PEER_SPACE_MR, 1L << 40);
      }, "in space " + (1L << 40));
      refused(t -> HandoutMessage.putGranted(t, (pid + 1) << 32 | (region.handle() & 0xFFFF_FFFFL), bytes, 16, 7,
          TOKEN, PEER), "cannot map");
      refused(t -> HandoutMessage.putGranted(t, pid << 32 | 0x7FFF_FFF0L, bytes, 16, 7, TOKEN, PEER), "cannot map");
      refused(t -> HandoutMessage.putGranted(t, blank.handle(), bytes, 16, 7, TOKEN, PEER), "holds no queue");
      refused(t -> HandoutMessage.putGranted(t, smaller.handle(), HandoutMessage.regionBytes(32), 32, 7, TOKEN, PEER),
          "16 slots, where the grant says 32");
      refused(t -> HandoutMessage.putGranted(t, region.handle(), HandoutMessage.regionBytes(32), 32, 7, TOKEN, PEER),
          "cannot map");
    }
  }

  @Test
  @DisplayName("refuses a region whose token is not the grant's: the descriptor names another region now")
  void shouldRefuseARegionOfAnotherToken() {
    try (SharedRegion region = queueRegion(16, 16, TOKEN)) {
      answer(t -> HandoutMessage.putGranted(t, region.handle(), HandoutMessage.regionBytes(16), 16, 7, TOKEN + 1,
          PEER));
      assertThatThrownBy(() -> QueueClient.openReceiver(me, fake, "q", WaitStrategy.SPIN))
          .isInstanceOfSatisfying(QueueHandoutException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.STALE_ID);
            assertThat(e.getMessage()).contains("has gone", "freed before this process mapped it");
          });
    }
  }

  private void refused(Consumer<IpcThread> reply, String what) {
    answer(reply);
    assertThatThrownBy(() -> QueueClient.openSender(me, fake, "q", WaitStrategy.SPIN))
        .as(what)
        .isInstanceOfSatisfying(QueueHandoutException.class, e -> {
          assertThat(e.status()).isEqualTo(Status.PROTOCOL_ERROR);
          assertThat(e.getMessage()).contains("not one a broker sends", what);
        });
  }

  /** Hands the fake broker its next reply (it waits for the client's call to take it). */
  private void answer(Consumer<IpcThread> reply) {
    Thread.ofVirtual().start(() -> {
      try {
        replies.put(reply);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * A region laid out for a queue of {@code size} slots (the queue, then the token line) holding
   * a queue of {@code slots} slots (0: none) and {@code token}.
   */
  private static SharedRegion queueRegion(int size, int slots, long token) {
    final SharedRegion r = SharedRegion.create(HandoutMessage.regionBytes(size));
    if (slots > 0) {
      QueueMemory.format(r.segment(), slots);
    }
    r.segment().set(ValueLayout.JAVA_LONG, HandoutMessage.tokenOffset(size), token);
    return r;
  }
}
