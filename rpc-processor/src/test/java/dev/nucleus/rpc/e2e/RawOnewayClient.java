package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.QueueMemory;
import dev.nucleus.async.QueueSender;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A client of an export's one-way queues written from docs/rpc-wire.md, section 9, alone (its
 * constants are the page's, not the implementation's), as a peer in another language would be:
 * it opens a queue with QUEUE_OPEN and publishes whatever messages a test gives it, well-formed
 * or not. Used on the thread that owns {@code thread}.
 */
final class RawOnewayClient implements AutoCloseable {

  static final int QUEUE_OPEN = 0x4C54;
  static final int REPLY = 0x4C53;
  static final int HEADER = 24;
  static final long ENDED = -1L;
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  final SharedRegion region;
  final QueueSender sender;
  final int slots;
  /** The server's one-way thread, from the reply. */
  final long receiverThread;
  private final long lane;

  private RawOnewayClient(SharedRegion region, QueueSender sender, int slots, long receiverThread) {
    this.region = region;
    this.sender = sender;
    this.slots = slots;
    this.receiverThread = receiverThread;
    this.lane = QueueMemory.bytesFor(slots);
  }

  /** A region for a queue of {@code slots} slots and the two lane lines, formatted. */
  static SharedRegion region(int slots) {
    final SharedRegion region = SharedRegion.create(QueueMemory.bytesFor(slots) + 128);
    QueueMemory.format(region.segment().asSlice(0, QueueMemory.bytesFor(slots)), slots);
    return region;
  }

  /** Asks {@code server} to take a queue of {@code region}: the outcome and MR2 of the reply (or the IPC status, negated). */
  static long[] queueOpen(IpcThread thread, long server, int serviceId, int slots, long handle) {
    thread.setTag(MessageTag.of(QUEUE_OPEN, 2));
    thread.setMr(1, (serviceId & 0xFFFF_FFFFL) | ((long) slots << 32));
    thread.setMr(2, handle);
    final int status = thread.call(server, Timeout.relative(10_000_000_000L), Timeout.relative(10_000_000_000L));
    if (status != Status.OK) {
      return new long[] {-status, 0};
    }
    assertThat(MessageTag.label(thread.tag())).as("a reply").isEqualTo(REPLY);
    return new long[] {(int) thread.mr(1), thread.mr(2)};
  }

  /** Opens a queue of {@code slots} slots from {@code thread} (the caller's own) to {@code server}. */
  static RawOnewayClient open(IpcThread thread, long server, int serviceId, int slots) {
    final SharedRegion region = region(slots);
    final QueueSender sender = QueueSender.attach(region.segment().asSlice(0, QueueMemory.bytesFor(slots)),
        Doorbell.futex(), WaitStrategy.SPIN, thread, ThreadId.space(server));
    final long[] reply = queueOpen(thread, server, serviceId, slots, region.handle());
    assertThat(reply[0]).as("outcome OK").isZero();
    assertThat(thread.mr(1) >>> 32).as("a frame of one i64").isEqualTo(8);
    return new RawOnewayClient(region, sender, slots, reply[1]);
  }

  /** A message: the header of docs/rpc-wire.md section 9 with these fields, then {@code frame}. */
  static MemorySegment message(int methodId, int serviceId, long nanosLeft, int frameLength, int flags, byte[] frame) {
    final MemorySegment m = MemorySegment.ofArray(new byte[HEADER + frame.length]);
    m.set(INT, 0, methodId);
    m.set(INT, 4, serviceId);
    m.set(LONG_LE, 8, nanosLeft);
    m.set(INT, 16, frameLength);
    m.set(INT, 20, flags);
    MemorySegment.copy(MemorySegment.ofArray(frame), 0, m, HEADER, frame.length);
    return m;
  }

  /** The frame of {@code note(stream, seq)}: an int, 4 bytes of padding, a long. */
  static byte[] noteFrame(int stream, long seq) {
    final MemorySegment f = MemorySegment.ofArray(new byte[16]);
    f.set(INT, 0, stream);
    f.set(LONG_LE, 8, seq);
    return f.toArray(ValueLayout.JAVA_BYTE);
  }

  /** Publishes {@code payload} as one message, waiting for room up to 10 s. */
  void send(MemorySegment payload) {
    assertThat(sender.send(payload, 0, (int) payload.byteSize(), Timeout.relative(10_000_000_000L)))
        .as("sent").isEqualTo(Status.OK);
  }

  /** HANDLED as the server published it. */
  long handled() {
    return (long) LONG.getAcquire(region.segment(), lane);
  }

  /** Slot {@code i} of the ring, for a hostile test to scribble on. */
  MemorySegment slot(int i) {
    return region.segment().asSlice(256 + 64L * i, 64);
  }

  @Override
  public void close() {
    sender.close();
    region.close();
  }
}
