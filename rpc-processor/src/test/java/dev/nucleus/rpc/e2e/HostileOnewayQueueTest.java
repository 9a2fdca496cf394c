package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.Outcome;
import dev.nucleus.rpc.RpcServer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A client that does not follow docs/rpc-wire.md, section 9 (a broken or hostile peer, written
 * here from the page alone): what it writes into its queue, or asks for in QUEUE_OPEN, is an
 * error for that message or that queue only. The export drops the bad message and serves the next,
 * ends a queue whose ring breaks the protocol, lets go of a queue whose client thread ended, and
 * serves everyone else all along.
 */
@org.junit.jupiter.api.Timeout(60)
@DisplayName("hostile clients of the one-way queues")
class HostileOnewayQueueTest {

  private static final int SLOTS = 64;

  private final Kernel kernel = Kernel.create();
  private final Space server = kernel.createSpace("server");
  private final Space client = kernel.createSpace("client");
  private final TallyServer tally = new TallyServer();
  private final int serviceId = Tally_Service.INSTANCE.id();

  @AfterEach
  void close() {
    tally.release();
    kernel.close();
  }

  /** A well-behaved client beside the hostile one: its calls go on being served. */
  private void assertOthersAreServed(RpcServer rpc, int stream) {
    try (KernelBinding binding = KernelBinding.builder(client, rpc.id(), Tally_Service.INSTANCE).onewayQueue(SLOTS)
        .build()) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      for (long seq = 0; seq < 100; seq++) {
        proxy.note(stream, seq);
      }
      assertThat(proxy.count(stream)).as("another client's queue").isEqualTo(100);
    }
  }

  @Test
  @DisplayName("malformed messages in a queue (short, a length that disagrees, another service, flags, an unknown method, a bad frame, random bytes) are each dropped, and the next one is served")
  void malformedMessagesAreDropped() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
        IpcThread raw = client.attach("raw");
        RawOnewayClient queue = RawOnewayClient.open(raw, rpc.id(), serviceId, SLOTS)) {
      final int note = Tally_Service.NOTE_ID;
      final byte[] good = RawOnewayClient.noteFrame(20, 0);
      queue.send(MemorySegment.ofArray(new byte[10]));
      queue.send(RawOnewayClient.message(note, serviceId, -1, 100, 0, good));
      queue.send(RawOnewayClient.message(note, serviceId, -1, -1, 0, good));
      queue.send(RawOnewayClient.message(note, serviceId ^ 1, -1, good.length, 0, good));
      queue.send(RawOnewayClient.message(note, serviceId, -1, good.length, 1, good));
      queue.send(RawOnewayClient.message(0x1234_5678, serviceId, -1, good.length, 0, good));
      queue.send(RawOnewayClient.message(note, serviceId, -1, 8, 0, new byte[] {20, 0, 0, 0, 0, 0, 0, 0}));
      queue.send(RawOnewayClient.message(note, serviceId, Long.MIN_VALUE, good.length, 0, good));
      final SplittableRandom random = new SplittableRandom(13);
      int sent = 8;
      for (int i = 0; i < 50; i++, sent++) {
        final byte[] junk = new byte[random.nextInt(0, 400)];
        random.nextBytes(junk);
        queue.send(MemorySegment.ofArray(junk));
      }
      queue.send(RawOnewayClient.message(note, serviceId, -1, good.length, 0, RawOnewayClient.noteFrame(20, 1)));
      queue.send(RawOnewayClient.message(note, serviceId, 5_000_000_000L, good.length, 0, RawOnewayClient.noteFrame(20, 2)));
      final int total = sent + 2;
      assertThat(OnewayQueueTest.waitFor(() -> queue.handled() == total)).as("every message taken").isTrue();
      assertThat(tally.count(20)).as("the well-formed notes 0 (a negative NANOS_LEFT: no deadline), 1 and 2, in order")
          .isEqualTo(3);
      assertOthersAreServed(rpc, 21);
    }
  }

  @Test
  @DisplayName("a ring that breaks the protocol (a stamp no sender writes) ends that queue only: HANDLED says ENDED, everyone else is served")
  void brokenRingEndsOnlyItsQueue() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
        IpcThread raw = client.attach("raw");
        RawOnewayClient queue = RawOnewayClient.open(raw, rpc.id(), serviceId, SLOTS)) {
      queue.send(RawOnewayClient.message(Tally_Service.NOTE_ID, serviceId, -1, 16, 0, RawOnewayClient.noteFrame(22, 0)));
      assertThat(OnewayQueueTest.waitFor(() -> queue.handled() == 1)).isTrue();
      final MemorySegment slot = queue.slot(1);
      final SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < 56; i += 8) {
        slot.set(ValueLayout.JAVA_LONG, i, random.nextLong());
      }
      // position 1, the first slot of a message of 2^31 - 1 bytes: more than any queue carries
      slot.set(ValueLayout.JAVA_LONG, 56, 1L << 32 | 1L << 31 | 0x7FFF_FFFFL);
      raw.notifyBits(queue.receiverThread, 1L << 63); // what a sender does to wake the waitset
      assertThat(OnewayQueueTest.waitFor(() -> queue.handled() == RawOnewayClient.ENDED)).as("the queue ended").isTrue();
      assertThat(tally.count(22)).isEqualTo(1);
      assertOthersAreServed(rpc, 23);
    }
  }

  @Test
  @DisplayName("a client thread that ends without closing its queue: the server takes what it published, then lets the queue go")
  void endedClientThreadsQueueIsLetGo() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1)) {
      final IpcThread raw = client.attach("raw");
      final RawOnewayClient queue = RawOnewayClient.open(raw, rpc.id(), serviceId, SLOTS);
      for (long seq = 0; seq < 3; seq++) {
        queue.send(RawOnewayClient.message(Tally_Service.NOTE_ID, serviceId, -1, 16, 0, RawOnewayClient.noteFrame(24, seq)));
      }
      raw.close(); // the thread ends; its queue stays OPEN in memory
      assertThat(OnewayQueueTest.waitFor(() -> queue.handled() == RawOnewayClient.ENDED)).as("let go").isTrue();
      assertThat(tally.count(24)).as("everything it published").isEqualTo(3);
      queue.region.close();
      assertOthersAreServed(rpc, 25);
    }
  }

  @Test
  @DisplayName("QUEUE_OPEN with a bad slot count, a region of another process or too small, another service, or the wrong words is refused; sent without a call it is ignored")
  void badQueueOpensAreRefused() {
    kernel.createChannel(client, server);
    try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, tally, 1);
        IpcThread raw = client.attach("raw");
        SharedRegion small = RawOnewayClient.region(16);
        SharedRegion fine = RawOnewayClient.region(16)) {
      final long id = rpc.id();
      assertThat(RawOnewayClient.queueOpen(raw, id, serviceId, 3, fine.handle())[0]).as("3 slots")
          .isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(RawOnewayClient.queueOpen(raw, id, serviceId, 1 << 20, fine.handle())[0]).as("2^20 slots")
          .isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(RawOnewayClient.queueOpen(raw, id, serviceId, 64, small.handle())[0]).as("a region of 16 slots")
          .isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(RawOnewayClient.queueOpen(raw, id, serviceId, 16, 1L << 32 | 3)[0]).as("pid 1's descriptor")
          .isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(RawOnewayClient.queueOpen(raw, id, serviceId, 8, fine.handle())[0]).as("a queue of 16 slots said to have 8")
          .isEqualTo(Outcome.MALFORMED_REQUEST);
      assertThat(RawOnewayClient.queueOpen(raw, id, serviceId ^ 1, 16, fine.handle())[0]).as("another service")
          .isEqualTo(Outcome.UNKNOWN_METHOD);
      raw.setTag(MessageTag.of(RawOnewayClient.QUEUE_OPEN, 3));
      assertThat(raw.call(id, Timeout.relative(10_000_000_000L), Timeout.relative(10_000_000_000L))).isEqualTo(Status.OK);
      assertThat((int) raw.mr(1)).as("three words").isEqualTo(Outcome.MALFORMED_REQUEST);
      raw.setTag(MessageTag.of(RawOnewayClient.QUEUE_OPEN, 2));
      raw.setMr(1, (serviceId & 0xFFFF_FFFFL) | 16L << 32);
      raw.setMr(2, fine.handle());
      assertThat(raw.send(id, Timeout.relative(10_000_000_000L))).as("sent, not called").isEqualTo(Status.OK);
      assertOthersAreServed(rpc, 26);
    }
  }
}
