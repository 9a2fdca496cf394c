package dev.nucleus.async;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.Timeout;
import dev.nucleus.kernel.WaitStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The process space of the broker tests: takes one end of a broker-made queue through
 * {@link QueueClient} and runs one role, counting in the stream's {@link StreamCounters}. It
 * exits 0 when its role ends as expected, 1 (the reason on stderr) otherwise; the "hold" roles
 * keep their end open until the process is killed.
 *
 * <pre>
 * args: ROLE QUEUE STRATEGY SEED COUNT COUNTERS
 *   send           sends COUNT messages, then closes its end
 *   send-hold      sends COUNT messages, then holds its end open
 *   send-forever   sends until its receiver goes (PEER_DEAD) or it is killed
 *   receive        takes COUNT messages, checking each, then expects PEER_DEAD
 *   receive-hold   takes COUNT messages, checking each, then holds its end without taking more
 *   bulk-send      sends COUNT blocks of a shared region it makes ({@link BulkBlocks}), then holds
 *                  its end and the region open
 *   bulk-receive   takes COUNT block messages, mapping and checking each block
 * args: probe RESULTS REQUEST...
 *   each REQUEST is sender:NAME or receiver:NAME; one line per request goes to the file RESULTS:
 *   "sender:NAME OK" or "sender:NAME STATUS message"
 * </pre>
 */
public final class QueueComponent implements ProcessComponent {

  /** Public, for the kernel to instantiate. */
  public QueueComponent() {}

  @Override
  public void run(ProcessContext context) throws Exception {
    final List<String> args = context.args();
    final IpcThread self = context.space().attach("main", WaitStrategy.BLOCK);
    final long broker = QueueClient.awaitBroker(context, Duration.ofSeconds(30));
    final String failure = args.getFirst().equals("probe") ? probe(self, broker, args) : stream(self, broker, args);
    if (failure != null) {
      System.err.println("QueueComponent " + args + ": " + failure);
      System.exit(1);
    }
  }

  private static String stream(IpcThread self, long broker, List<String> args) throws Exception {
    final String role = args.get(0);
    final String queue = args.get(1);
    final WaitStrategy strategy = WaitStrategy.valueOf(args.get(2));
    final long seed = Long.parseLong(args.get(3));
    final long count = Long.parseLong(args.get(4));
    if (role.equals("bulk-send")) {
      final SharedRegion region = BulkBlocks.send(QueueClient.openSender(self, broker, queue, strategy), seed,
          (int) count);
      try (region) {
        return hold();
      }
    }
    if (role.equals("bulk-receive")) {
      return BulkBlocks.receive(QueueClient.openReceiver(self, broker, queue, strategy), (int) count);
    }
    try (StreamCounters counters = new StreamCounters(Path.of(args.get(5)))) {
      if (role.startsWith("send")) {
        final QueueSender sender = QueueClient.openSender(self, broker, queue, strategy);
        final Payloads payloads = new Payloads(seed, sender.maxPayload(), Payloads.Lengths.FEW_SLOTS);
        final String failure = Streams.send(sender, payloads, role.equals("send-forever") ? Long.MAX_VALUE : count,
            counters, Timeout.NEVER);
        if (failure == null && role.equals("send")) {
          sender.close();
        }
        return failure != null || !role.equals("send-hold") ? failure : hold();
      }
      final QueueReceiver receiver = QueueClient.openReceiver(self, broker, queue, strategy);
      final Payloads payloads = new Payloads(seed, receiver.maxPayload(), Payloads.Lengths.FEW_SLOTS);
      final String failure = Streams.receive(receiver, payloads, count, counters, Timeout.NEVER, next -> { });
      if (failure != null) {
        return failure;
      }
      return role.equals("receive-hold") ? hold() : Streams.expectEnd(receiver, Timeout.NEVER);
    }
  }

  /** Holds everything open until the process is killed. */
  private static String hold() throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
    return "woke from a hold";
  }

  private static String probe(IpcThread self, long broker, List<String> args) throws Exception {
    final Path results = Path.of(args.get(1));
    final StringBuilder out = new StringBuilder();
    for (String request : args.subList(2, args.size())) {
      final boolean sendingEnd = request.startsWith("sender:");
      final String name = request.substring(request.indexOf(':') + 1);
      String outcome;
      try {
        if (sendingEnd) {
          QueueClient.openSender(self, broker, name, WaitStrategy.SPIN);
        } else {
          QueueClient.openReceiver(self, broker, name, WaitStrategy.SPIN);
        }
        outcome = "OK";
      } catch (QueueHandoutException e) {
        outcome = Status.name(e.status()) + " " + e.getMessage();
      }
      out.append(request).append(' ').append(outcome).append('\n');
    }
    Files.writeString(results, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    return null;
  }
}
