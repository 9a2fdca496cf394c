package dev.nucleus.bench.oneway;

import dev.nucleus.async.Doorbell;
import dev.nucleus.async.MessageHandler;
import dev.nucleus.async.QueueMemory;
import dev.nucleus.async.QueueReceiver;
import dev.nucleus.async.QueueSender;
import dev.nucleus.async.QueueStatus;
import dev.nucleus.async.ReceivedMessage;
import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.ParentWatch;
import dev.nucleus.bench.peers.PeerArgs;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The echo of {@link QueuePingPong}, in its own JVM: {@code QueueEchoMain region=HANDLE
 * parent=PID slots=N warmup=W iterations=I out=FILE}. Maps the parent's region (two queues: ping
 * at 0, pong right after), prints READY, sends every ping's word back on the pong queue, busy
 * spinning, until the parent closes the ping queue; then writes its thread's allocation counter at
 * the start and the end of the measured round trips ({@code "before after"}) to FILE and exits 0.
 * A wrong status or a stall exits 1 with the reason on stderr; EOF on stdin halts it at once.
 */
public final class QueueEchoMain {

  private QueueEchoMain() {}

  /**
   * Runs the echo.
   *
   * @param args the {@code key=value} arguments above
   */
  public static void main(String[] args) {
    ParentWatch.start(); // halts this JVM when the bench that started it is gone
    ChildFailure.runOrHalt(args, QueueEchoMain::run);
    Runtime.getRuntime().halt(0);
  }

  private static void run(PeerArgs a) throws IOException {
    final int slots = Integer.parseInt(a.get("slots"));
    final long warmup = Long.parseLong(a.get("warmup"));
    final long measuredEnd = warmup + Long.parseLong(a.get("iterations"));
    final long bytes = QueueMemory.bytesFor(slots);
    try (Arena arena = Arena.ofShared()) {
      final MemorySegment region = SharedRegion.map(Long.parseLong(a.get("region")), Long.parseLong(a.get("parent")),
          2 * bytes, arena);
      final QueueReceiver ping = QueueReceiver.attach(region.asSlice(0, bytes), Doorbell.polling(), WaitStrategy.SPIN);
      final QueueSender pong = QueueSender.attach(region.asSlice(bytes, bytes), Doorbell.polling(), WaitStrategy.SPIN);
      final Word word = new Word();
      System.out.println(ChildJvm.READY);
      System.out.flush();
      long echoed = 0;
      long before = warmup == 0 ? Allocation.currentThreadBytes() : 0;
      long after = -1;
      while (true) {
        if (ping.poll(word, 1) == 0) {
          if (ping.status() != Status.OK) {
            break;
          }
          Thread.onSpinWait();
          continue;
        }
        int status;
        while ((status = pong.claim(Long.BYTES, Timeout.ZERO)) != Status.OK) {
          if (status != QueueStatus.FULL) {
            throw new IllegalStateException("pong " + echoed + ": " + QueueStatus.toString(status) + " " + pong.failure());
          }
        }
        pong.claimed().putLong(0, word.value);
        pong.commit();
        echoed++;
        if (echoed == warmup) {
          before = Allocation.currentThreadBytes();
        } else if (echoed == measuredEnd) {
          after = Allocation.currentThreadBytes();
        }
      }
      if (ping.status() != Status.receive(Status.PEER_DEAD) || echoed != measuredEnd) {
        throw new IllegalStateException("the ping queue ended with " + QueueStatus.toString(ping.status()) + " after "
            + echoed + " of " + measuredEnd + " round trips" + (ping.failure() == null ? "" : ": " + ping.failure()));
      }
      Files.writeString(Path.of(a.get("out")), before + " " + after, StandardCharsets.US_ASCII);
    }
  }

  /** The word of the last ping; one instance, so that polling allocates nothing. */
  private static final class Word implements MessageHandler {
    long value;

    @Override
    public void onMessage(ReceivedMessage message) {
      value = message.getLong(0);
    }
  }


}
