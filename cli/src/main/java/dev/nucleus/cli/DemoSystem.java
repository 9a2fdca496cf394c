package dev.nucleus.cli;

import dev.nucleus.kernel.Endpoint;
import dev.nucleus.kernel.Interrupt;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.InterruptSource;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.kernel.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The demo system: thread spaces of one kernel showing every mechanism at work.
 *
 * <pre>
 *   client-1..n ──call──▶ [kv endpoint] ◀─replyWait── kv-server: worker-1..3   (thread pool)
 *   kv-server: metrics ──notify──▶ logger: sink                                (notification bits)
 *   timer interrupt ──IPC, label 0xfff0──▶ driver: tick-driver, acks by reply  (interrupt as message)
 *   monitor: watcher ──call──▶ crasher: audit, which throws mid-request       (fault containment)
 *           → the crasher space ends, the watcher's call fails with PEER_DEAD,
 *             and the kv-server keeps serving everyone else
 * </pre>
 *
 * The kv protocol: label PUT (MR1 key, MR2 value) answers the previous value; label GET (MR1 key)
 * answers the value (0 if absent). Every client checks every answer.
 */
final class DemoSystem {

  static final long PUT = 1;
  static final long GET = 2;
  private static final long AUDIT = 3;
  private static final int WORKERS = 3;
  private static final Duration JOIN = Duration.ofSeconds(10);

  /** What one client did. */
  record ClientResult(String name, long calls, long errors, Histogram latencyNs) {}

  /** What the whole demo observed. */
  record Report(List<ClientResult> clients, Map<String, Long> servedPerWorker, long notifications,
      long notificationBits, long interruptDeliveries, long interruptOccurrences,
      String crashStatus, boolean crasherEnded, String crasherFailure, long callsAfterCrash,
      double seconds) {}

  private final int clientCount;
  private final int callsPerClient;
  private final Consumer<String> progress;

  DemoSystem(int clientCount, int callsPerClient, Consumer<String> progress) {
    if (clientCount < 1 || callsPerClient < 1) {
      throw new IllegalArgumentException("need at least one client and one call");
    }
    this.clientCount = clientCount;
    this.callsPerClient = callsPerClient;
    this.progress = progress;
  }

  Report run() throws Exception {
    final long start = System.nanoTime();
    try (Kernel kernel = Kernel.create()) {
      progress.accept("boot: kernel with " + kernel.messageRegisters() + " message registers, "
          + kernel.config().waitStrategy().name().toLowerCase() + " waiting");

      // The key-value server: a pool of workers on one endpoint.
      final Space server = kernel.createSpace("kv-server");
      final Endpoint kv = server.createEndpoint("kv");
      final Map<Long, Long> store = new ConcurrentHashMap<>();
      final Map<String, Long> served = new ConcurrentHashMap<>();
      final AtomicLong servedTotal = new AtomicLong();
      for (int w = 1; w <= WORKERS; w++) {
        final String name = "worker-" + w;
        server.spawn(name, self -> served.put(name, serveKv(self, kv, store, servedTotal)));
      }
      progress.accept("boot: " + server.name() + " serves endpoint " + ThreadId.toString(kv.id())
          + " with " + WORKERS + " worker threads");

      // Notifications: metrics (in the server space) -> logger.
      final Space logger = kernel.createSpace("logger");
      kernel.createChannel(server, logger);
      final AtomicLong notifications = new AtomicLong();
      final AtomicLong bitsSeen = new AtomicLong();
      final IpcThread sink = logger.spawn("sink", self -> {
        while (self.waitNotifications(Timeout.NEVER) == Status.OK) {
          notifications.incrementAndGet();
          bitsSeen.accumulateAndGet(self.mr(1), (a, b) -> a | b);
        }
      });
      final CountDownLatch clientsDone = new CountDownLatch(clientCount);
      server.spawn("metrics", self -> {
        int round = 0;
        while (!clientsDone.await(20, TimeUnit.MILLISECONDS)) {
          if (self.notifyBits(sink.id(), 1L << (round++ % 8)) != Status.OK) {
            return;
          }
        }
      });
      progress.accept("boot: logger/sink takes notification bits from kv-server/metrics");

      // Interrupts: a periodic timer delivered as IPC to a user-level driver.
      final Space driver = kernel.createSpace("driver");
      final AtomicLong ticks = new AtomicLong();
      final IpcThread tickDriver = driver.spawn("tick-driver", self -> {
        while (self.waitAny(Timeout.NEVER) == Status.OK) {
          if (MessageTag.label(self.tag()) == MessageTag.INTERRUPT_LABEL) {
            ticks.addAndGet(self.mr(1));
            self.setTag(MessageTag.of(0, 0));
            self.reply(); // the acknowledgement: the next tick may come
          }
        }
      });
      final Interrupt timer = kernel.attachInterrupt("timer", InterruptSource.periodic(Duration.ofMillis(5)), tickDriver.id());
      progress.accept("boot: " + timer);

      // Fault containment: a space that fails mid-request.
      final Space crasher = kernel.createSpace("crasher");
      final Space monitor = kernel.createSpace("monitor");
      kernel.createChannel(crasher, monitor);
      final IpcThread audit = crasher.spawn("audit", self -> {
        self.waitAny(Timeout.NEVER);
        throw new IllegalStateException("audit: simulated bug while serving " + ThreadId.toString(self.sender()));
      });

      // The clients.
      final List<ClientResult> results = new ArrayList<>();
      final List<Space> clientSpaces = new ArrayList<>();
      final AtomicInteger finished = new AtomicInteger();
      for (int c = 1; c <= clientCount; c++) {
        final Space space = kernel.createSpace("client-" + c);
        kernel.createChannel(space, server);
        clientSpaces.add(space);
        final int id = c;
        space.spawn("main", self -> {
          final ClientResult r = runClient(self, kv.id(), id);
          synchronized (results) {
            results.add(r);
          }
          finished.incrementAndGet();
          clientsDone.countDown();
        });
      }
      progress.accept("run: " + clientCount + " clients x " + callsPerClient + " calls");

      // The crash, halfway through the clients' calls.
      final long half = (long) clientCount * callsPerClient / 2;
      while (servedTotal.get() < half && !clientsDone.await(1, TimeUnit.MILLISECONDS)) {
        Thread.onSpinWait();
      }
      final String crashStatus;
      try (IpcThread watcher = monitor.attach("watcher")) {
        watcher.setTag(MessageTag.of(AUDIT, 0));
        final int status = watcher.call(audit.id(), Timeout.NEVER, Timeout.relative(JOIN));
        crashStatus = Status.toString(status);
      }
      crasher.awaitTermination(JOIN);
      final long servedAtCrash = servedTotal.get();
      progress.accept("crash: " + crasher.name() + " ended (" + crasher.failure().getMessage()
          + "); monitor/watcher's call returned " + crashStatus);

      while (!clientsDone.await(1, TimeUnit.SECONDS)) {
        progress.accept("run: " + finished.get() + "/" + clientCount + " clients done, "
            + ticks.get() + " timer ticks, " + notifications.get() + " notifications");
      }
      final long afterCrash = servedTotal.get() - servedAtCrash;

      timer.close();
      for (Space s : List.of(server, logger, driver, monitor)) {
        s.end();
      }
      for (Space s : clientSpaces) {
        s.awaitTermination(JOIN);
      }
      for (Space s : List.of(server, logger, driver)) {
        s.awaitTermination(JOIN);
      }
      results.sort((a, b) -> a.name().compareTo(b.name()));
      return new Report(results, Map.copyOf(served), notifications.get(), bitsSeen.get(),
          timer.deliveries(), timer.occurrences(), crashStatus, !crasher.isAlive(),
          String.valueOf(crasher.failure()), afterCrash, (System.nanoTime() - start) / 1e9);
    }
  }

  /** A kv worker: replyWait on the endpoint until its space ends; returns calls served. */
  private static long serveKv(IpcThread self, Endpoint kv, Map<Long, Long> store, AtomicLong total) {
    long served = 0;
    int status = self.waitAt(kv, Timeout.NEVER);
    while (true) {
      if (status == Status.OK) {
        final long label = MessageTag.label(self.tag());
        final long key = self.mr(1);
        final Long previous = label == PUT ? store.put(key, self.mr(2)) : store.get(key);
        self.setTag(MessageTag.of(label, 1));
        self.setMr(1, previous == null ? 0 : previous);
        served++;
        total.incrementAndGet();
      } else if (Status.failedInSend(status)) {
        // The reply found no caller (it died or gave up): keep serving the others.
      } else {
        return served; // CLOSED: our space ended
      }
      status = self.replyWait(kv, Timeout.NEVER);
    }
  }

  private ClientResult runClient(IpcThread self, long kv, int client) {
    final Histogram h = new Histogram(3_600_000_000_000L, 3);
    long errors = 0;
    final long base = (long) client << 32;
    for (int i = 0; i < callsPerClient; i++) {
      final long key = base | ((i / 2) % 64); // a GET reads the key the PUT before it wrote
      final boolean put = i % 2 == 0;
      self.setTag(MessageTag.of(put ? PUT : GET, put ? 2 : 1));
      self.setMr(1, key);
      self.setMr(2, i);
      final long t0 = System.nanoTime();
      final int status = self.call(kv, Timeout.NEVER, Timeout.relative(JOIN));
      h.recordValue(Math.max(1, System.nanoTime() - t0));
      // A GET right after the PUT of value i must answer i: every answer is checked.
      if (status != Status.OK || (!put && self.mr(1) != i - 1)) {
        errors++;
      }
    }
    return new ClientResult("client-" + client, callsPerClient, errors, h);
  }
}
