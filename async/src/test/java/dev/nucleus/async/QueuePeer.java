package dev.nucleus.async;

import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The other process of the cross-process tests: maps the queue file its parent made and formatted,
 * attaches one end, and runs one role. It exits when its role ends (0: all as expected; 1: a
 * wrong message or status, said on stderr) or when its stdin reaches EOF (its parent has gone),
 * so it never outlives the test.
 *
 * <pre>
 * usage: QueuePeer ROLE FILE COUNT SEED LENGTHS STRATEGY
 *   send          sends COUNT checksummed messages, then closes its end
 *   send-forever  sends checksummed messages until its receiver goes (or it is killed)
 *   receive       takes COUNT messages, checking each, then expects PEER_DEAD
 *   receive-forever takes and checks messages until it is killed
 * </pre>
 *
 * Both ends wait through {@link Doorbell#polling()}: it reaches across processes without a futex.
 */
public final class QueuePeer {

  private QueuePeer() {}

  public static void main(String[] args) throws IOException {
    final String role = args[0];
    final Path file = Path.of(args[1]);
    final long count = Long.parseLong(args[2]);
    final long seed = Long.parseLong(args[3]);
    final Payloads.Lengths lengths = Payloads.Lengths.valueOf(args[4]);
    final WaitStrategy strategy = WaitStrategy.valueOf(args[5]);
    exitWhenTheParentGoes();
    try (Arena arena = Arena.ofShared();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      final MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
      final String failure = switch (role) {
        case "send", "send-forever" -> send(QueueSender.attach(memory, Doorbell.polling(), strategy), seed, lengths,
            role.equals("send") ? count : Long.MAX_VALUE);
        case "receive", "receive-forever" -> receive(QueueReceiver.attach(memory, Doorbell.polling(), strategy), seed,
            lengths, role.equals("receive") ? count : Long.MAX_VALUE);
        default -> "unknown role " + role;
      };
      if (failure != null) {
        System.err.println("QueuePeer " + role + ": " + failure);
        System.exit(1);
      }
    }
    System.exit(0);
  }

  /** Sends {@code count} messages; null when done (or when the receiver went, for an endless sender). */
  static String send(QueueSender sender, long seed, Payloads.Lengths lengths, long count) {
    final Payloads payloads = new Payloads(seed, sender.maxPayload(), lengths);
    System.out.println("READY");
    System.out.flush();
    for (long seq = 0; seq < count; seq++) {
      final int status = sender.claim(payloads.length(seq), Timeout.NEVER);
      if (status != Status.OK) {
        return count == Long.MAX_VALUE && status == Status.send(Status.PEER_DEAD) ? null
            : "message " + seq + ": " + QueueStatus.toString(status) + " " + sender.failure();
      }
      payloads.write(sender.claimed(), seq);
      sender.commit();
    }
    sender.close();
    return null;
  }

  /** Takes {@code count} messages, checking each; null when all were right and the sender's close came. */
  static String receive(QueueReceiver receiver, long seed, Payloads.Lengths lengths, long count) {
    final Payloads payloads = new Payloads(seed, receiver.maxPayload(), lengths);
    final long[] next = {0};
    final String[] wrong = {null};
    final MessageHandler check = m -> {
      if (wrong[0] == null) {
        wrong[0] = payloads.mismatch(m, next[0]);
      }
      next[0]++;
    };
    System.out.println("READY");
    System.out.flush();
    while (next[0] < count) {
      final int status = receiver.receive(check, Timeout.NEVER);
      if (status != Status.OK) {
        return "message " + next[0] + ": " + QueueStatus.toString(status) + " " + receiver.failure();
      }
      if (wrong[0] != null) {
        return wrong[0];
      }
    }
    final int end = receiver.receive(check, Timeout.NEVER);
    return end == Status.receive(Status.PEER_DEAD) ? null : "after the last message: " + QueueStatus.toString(end);
  }

  private static void exitWhenTheParentGoes() {
    Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent writes nothing; EOF means it has gone
        }
      } catch (IOException e) {
        // as EOF
      }
      Runtime.getRuntime().halt(3);
    });
  }
}
