package dev.nucleus.kernel;

import dev.nucleus.kernel.internal.ipc.PortSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A thread space with channels to several process spaces and to other thread spaces at once: its
 * threads reach each partner through that partner's channel, and its open receives take messages
 * from all of them. Every test checks that the processes have gone and nothing is left in
 * /dev/shm afterwards, also when it fails.
 */
@DisplayName("Several channels per space")
@org.junit.jupiter.api.Timeout(value = 180, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SeveralChannelsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final long PATIENT = Timeout.relative(PATIENCE);

  private Kernel kernel;

  @AfterEach
  void cleanUp() throws Exception {
    ProcessTests.closeAndCheckNothingLeft(kernel);
  }

  /**
   * An echo pool on an endpoint: each call is answered as {@link EchoComponent} does (MR1 + 1),
   * and its (sender, MR1) recorded; a pair seen twice is a duplicate delivery.
   */
  private static Endpoint echoPool(Space space, int threads, Set<String> seen, AtomicLong duplicates) {
    return echoPool(space, threads, seen, duplicates, ConcurrentHashMap.newKeySet());
  }

  /** {@link #echoPool(Space, int, Set, AtomicLong)} that also collects the failed receives' statuses. */
  private static Endpoint echoPool(Space space, int threads, Set<String> seen, AtomicLong duplicates,
      Set<String> failures) {
    final Endpoint endpoint = space.createEndpoint("echo");
    for (int i = 0; i < threads; i++) {
      space.spawn("echo-" + i, self -> {
        int status = self.waitAt(endpoint, Timeout.NEVER);
        while (Status.code(status) != Status.CLOSED) {
          if (status == Status.OK) {
            if (!seen.add(ThreadId.toString(self.sender()) + "/" + self.mr(1))) {
              duplicates.incrementAndGet();
            }
            self.setMr(1, self.mr(1) + 1);
          } else {
            failures.add(Status.toString(status));
          }
          status = self.replyWait(endpoint, Timeout.NEVER);
        }
      });
    }
    return endpoint;
  }

  private static String hex(long id) {
    return Long.toHexString(id);
  }

  @ParameterizedTest
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1101 stress: one endpoint pool serves three client processes and a thread space at once, every reply checked")
  void poolServesSeveralProcesses(WaitStrategy wait) throws Exception {
    kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(wait));
    final Space server = kernel.createSpace("server");
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicLong duplicates = new AtomicLong();
    // The pool waits before any process exists: its receives must take the new channels in.
    final Endpoint endpoint = echoPool(server, 3, seen, duplicates);
    final Space local = kernel.createSpace("local");
    kernel.createChannel(local, server);
    final int processes = 3;
    final int threadsEach = 2;
    final int calls = 1500;
    final List<ProcessSpace> clients = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      clients.add(kernel.spawnProcessSpace("client-" + p, CallerComponent.class, server,
          hex(endpoint.id()), Integer.toString(threadsEach), Integer.toString(calls)));
    }
    final List<CompletableFuture<String>> locals = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      final long thread = t;
      final CompletableFuture<String> done = new CompletableFuture<>();
      locals.add(done);
      local.spawn("local-" + t, self -> {
        for (long n = 0; n < calls; n++) {
          self.setTag(MessageTag.of(CallerComponent.LABEL, 2));
          self.setMr(1, thread << 32 | n);
          self.setMr(2, ~n);
          final int status = self.call(endpoint.id(), PATIENT, PATIENT);
          if (status != Status.OK || self.mr(1) != (thread << 32 | n) + 1 || self.mr(2) != ~n) {
            done.complete("call " + n + ": " + Status.toString(status) + " MR1 " + self.mr(1));
            return;
          }
        }
        done.complete("ok");
      });
    }
    for (CompletableFuture<String> done : locals) {
      assertThat(done.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("local client").isEqualTo("ok");
    }
    for (ProcessSpace p : clients) {
      assertThat(p.awaitExit(PATIENCE)).as("%s finished", p).isTrue();
      assertThat(p.exitCode()).as("%s checked every reply (exit code)", p).isZero();
    }
    assertThat(duplicates.get()).as("requests delivered twice").isZero();
    assertThat(seen).as("distinct requests served").hasSize((processes * threadsEach + 2) * calls);
  }

  @Test
  @DisplayName("IPC1102 of two server processes, the one killed fails only its own calls; the other serves on")
  void killingOneServerFailsOnlyItsCalls() throws Exception {
    kernel = Kernel.create();
    final Space client = kernel.createSpace("client");
    final ProcessSpace doomed = kernel.spawnProcessSpace("doomed", EchoComponent.class, client);
    final ProcessSpace survivor = kernel.spawnProcessSpace("survivor", EchoComponent.class, client);
    final long doomedId = doomed.awaitPublished(PATIENCE);
    final long survivorId = survivor.awaitPublished(PATIENCE);
    final AtomicLong survivorCalls = new AtomicLong();
    final CompletableFuture<Integer> doomedFailure = new CompletableFuture<>();
    final CompletableFuture<String> survivorResult = new CompletableFuture<>();
    client.spawn("to-doomed", self -> {
      for (long n = 0; ; n++) {
        self.setTag(MessageTag.of(1, 1));
        self.setMr(1, n);
        final int status = self.call(doomedId);
        if (status != Status.OK) {
          doomedFailure.complete(status);
          return;
        }
      }
    });
    client.spawn("to-survivor", self -> {
      // Calls on until it has made 2000 calls after the doomed server's death.
      long after = -1;
      for (long n = 0; after < 0 || n < after + 2000; n++) {
        self.setTag(MessageTag.of(1, 1));
        self.setMr(1, n);
        final int status = self.call(survivorId, PATIENT, PATIENT);
        if (status != Status.OK || self.mr(1) != n + 1) {
          survivorResult.complete("call " + n + ": " + Status.toString(status));
          return;
        }
        survivorCalls.incrementAndGet();
        if (after < 0 && doomedFailure.isDone()) {
          after = n;
        }
      }
      survivorResult.complete("ok");
    });
    while (survivorCalls.get() < 500) {
      Thread.sleep(1);
    }
    doomed.kill();
    assertThat(doomedFailure.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("the call to the killed server")
        .isIn(Status.receive(Status.PEER_DEAD), Status.send(Status.PEER_DEAD), Status.send(Status.STALE_ID));
    assertThat(survivorResult.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the other server's calls").isEqualTo("ok");
    assertThat(survivor.isAlive()).isTrue();
    try (IpcThread me = client.attach("me")) {
      me.setTag(MessageTag.of(1, 0));
      assertThat(me.call(doomedId, Timeout.ZERO, Timeout.ZERO)).as("a later call to the dead server")
          .isEqualTo(Status.send(Status.STALE_ID));
    }
  }

  @Test
  @DisplayName("IPC1103 a zero-timeout send or call reaches a server that waits in several tables; where it only"
      + " polls the sender's table, each is taken or reported NO_PARTNER, never delivered then")
  void zeroTimeoutSendReachesPollingServer() throws Exception {
    kernel = Kernel.create();
    final Space server = kernel.createSpace("server");
    final long echo = kernel.spawnProcessSpace("other", EchoComponent.class, server).awaitPublished(PATIENCE);
    final Space local = kernel.createSpace("local");
    kernel.createChannel(local, server);
    final int rounds = 100;
    // In odd rounds the server calls the echo process before each receive: it is then claimable
    // only in that link's table and polls the home table, where the test's messages arrive. In
    // even rounds its last IPC was the test's, in the home table, where it is then claimable.
    final CompletableFuture<List<Long>> received = new CompletableFuture<>();
    final IpcThread receiver = server.spawn("receiver", WaitStrategy.BLOCK, self -> {
      final List<Long> words = new ArrayList<>();
      for (int k = 0; k < 2 * rounds; k++) {
        if ((k / 2) % 2 == 0) {
          self.setTag(MessageTag.of(1, 1));
          self.setMr(1, k);
          final int status = self.call(echo);
          if (status != Status.OK || self.mr(1) != k + 1) {
            received.completeExceptionally(new AssertionError("call " + k + " to the echo process: " + Status.toString(status)));
            return;
          }
        }
        final int status = self.waitAny(Timeout.NEVER);
        if (status != Status.OK) {
          received.completeExceptionally(new AssertionError("receive " + k + ": " + Status.toString(status)));
          return;
        }
        words.add(self.mr(1));
        if (self.canReply()) {
          self.setMr(1, self.mr(1) + 1);
          self.reply();
        }
      }
      received.complete(words);
    });
    try (IpcThread me = local.attach("me")) {
      final List<Long> taken = new ArrayList<>();
      long word = 0;
      for (int round = 1; round <= rounds; round++) {
        final boolean polls = round % 2 == 1;
        for (boolean call : new boolean[] {false, true}) {
          ProcessTests.awaitState(kernel, receiver.id(), IpcState.Kind.RECEIVING);
          // Where the server polls, a zero-timeout send waits a bounded time for it to take the
          // message, and says NO_PARTNER if it was late (docs/protocol.md 5.2): then it is sent
          // again. Each attempt has its own word: the server must have received exactly the taken ones.
          int status;
          do {
            me.setTag(MessageTag.of(call ? 3 : 2, 1));
            me.setMr(1, ++word);
            status = call ? me.call(receiver.id(), Timeout.ZERO, PATIENT) : me.send(receiver.id(), Timeout.ZERO);
          } while (polls && status == Status.send(Status.NO_PARTNER));
          assertThat(status).as("zero-timeout %s in round %d: %s", call ? "call" : "send", round, Status.toString(status))
              .isEqualTo(Status.OK);
          if (call) {
            assertThat(me.mr(1)).as("the reply").isEqualTo(word + 1);
          }
          taken.add(word);
        }
      }
      assertThat(received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the messages the server received")
          .isEqualTo(taken);
    }
  }

  @Test
  @DisplayName("IPC1104 a notification from a process space wakes a thread waiting for notifications in several tables")
  void notificationFromProcessWakesWaiter() throws Exception {
    kernel = Kernel.create();
    final Space space = kernel.createSpace("space");
    try (IpcThread me = space.attach("me")) {
      final ProcessSpace notifier = kernel.spawnProcessSpace("notifier", PartnerComponent.class, space,
          "notify", hex(me.id()), "a5");
      notifier.awaitPublished(PATIENCE);
      assertThat(me.waitNotifications(PATIENT)).isEqualTo(Status.OK);
      assertThat(MessageTag.label(me.tag())).isEqualTo(MessageTag.NOTIFICATION_LABEL);
      assertThat(me.mr(1)).isEqualTo(0xa5);
      assertThat(me.pollNotifications()).as("taken once").isZero();
    }
  }

  @Test
  @DisplayName("IPC1105 a server calls one process space while it serves another, then replies to the first")
  void serverCallsOneProcessWhileServingAnother() throws Exception {
    kernel = Kernel.create();
    final Space server = kernel.createSpace("server");
    final ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, server);
    final long echoId = echo.awaitPublished(PATIENCE);
    final CompletableFuture<String> forwarder = new CompletableFuture<>();
    final IpcThread relay = server.spawn("relay", self -> {
      int status = self.waitAny(Timeout.NEVER);
      while (Status.code(status) != Status.CLOSED) {
        if (status == Status.OK) {
          // Forward the request to the echo process: its answer (MR1 + 1) is our reply.
          final long tag = self.tag();
          final long w1 = self.mr(1);
          final long w2 = self.mr(2);
          final int forwarded = self.call(echoId);
          if (forwarded != Status.OK || self.mr(1) != w1 + 1 || self.mr(2) != w2 || self.tag() != tag) {
            forwarder.complete("forward: " + Status.toString(forwarded));
            return;
          }
        }
        status = self.replyWait(Timeout.NEVER);
      }
      forwarder.complete("closed");
    });
    final ProcessSpace caller = kernel.spawnProcessSpace("caller", CallerComponent.class, server,
        hex(relay.id()), "2", "500");
    assertThat(caller.awaitExit(PATIENCE)).as("caller finished").isTrue();
    assertThat(forwarder.isDone() ? forwarder.get() : "serving").isEqualTo("serving");
    assertThat(caller.exitCode()).as("every relayed reply was right (exit code)").isZero();
  }

  @ParameterizedTest
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1106 a server already waiting when a process space connects to its space serves that process")
  void waitingServerTakesNewChannelIn(WaitStrategy wait) throws Exception {
    kernel = Kernel.create();
    final Space server = kernel.createSpace("server");
    final IpcThread echo = server.spawn("echo", wait, self -> EchoComponent.serve(self, Long.MAX_VALUE));
    ProcessTests.awaitState(kernel, echo.id(), IpcState.Kind.RECEIVING);
    final ProcessSpace caller = kernel.spawnProcessSpace("caller", CallerComponent.class, server,
        hex(echo.id()), "1", "100");
    assertThat(caller.awaitExit(PATIENCE)).as("caller finished").isTrue();
    assertThat(caller.exitCode()).as("every reply was right (exit code)").isZero();
  }

  @Test
  @DisplayName("IPC1107 garbage in one process's channel does not stop a server from serving another process")
  void hostileChannelDoesNotStopTheServer() throws Exception {
    kernel = Kernel.create();
    final Space server = kernel.createSpace("server");
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicLong duplicates = new AtomicLong();
    final Set<String> failures = ConcurrentHashMap.newKeySet();
    final Endpoint endpoint = echoPool(server, 2, seen, duplicates, failures);
    final ProcessSpace hostile = kernel.spawnProcessSpace("hostile", EchoComponent.class, server);
    hostile.awaitPublished(PATIENCE);
    final int[] serverThreads = server.threads().stream().mapToInt(t -> t.engine.index).toArray();
    final HostilePeer peer = new HostilePeer(hostile.link(), serverThreads);
    final ProcessSpace caller = kernel.spawnProcessSpace("caller", CallerComponent.class, server,
        hex(endpoint.id()), "2", "2000");
    final java.util.random.RandomGenerator random =
        java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(20261201);
    int scribbles = 0;
    while (caller.isAlive()) {
      peer.scribble(random::nextInt, random::nextLong);
      scribbles++;
      Thread.sleep(0, 200_000);
    }
    assertThat(caller.awaitExit(PATIENCE)).isTrue();
    assertThat(scribbles).as("scribbles while the caller ran").isPositive();
    assertThat(caller.exitCode()).as("every call of the other process answered right (exit code)").isZero();
    assertThat(duplicates.get()).isZero();
    // The server's ports in the hostile channel are left out of a receive once written under
    // it, and taken back at the next: its receives never fail for it (an abort whose epoch the
    // peer guessed is the one thing it can cause, as any thread may abort).
    assertThat(failures).as("statuses of the server's failed receives").isSubsetOf(Status.toString(Status.receive(Status.ABORTED)));
  }

  @Test
  @DisplayName("IPC1108 a client process killed mid-call leaves the server serving the other client processes")
  void killedClientProcessLeavesServerServingOthers() throws Exception {
    kernel = Kernel.create();
    final Space server = kernel.createSpace("server");
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicLong duplicates = new AtomicLong();
    final Endpoint endpoint = echoPool(server, 2, seen, duplicates);
    final ProcessSpace doomed = kernel.spawnProcessSpace("doomed", CallerComponent.class, server,
        hex(endpoint.id()), "2", "1000000000");
    final ProcessSpace survivor = kernel.spawnProcessSpace("survivor", CallerComponent.class, server,
        hex(endpoint.id()), "2", "3000");
    final String fromDoomed = "T" + doomed.number() + "."; // how its threads' ids print
    while (seen.stream().filter(key -> key.startsWith(fromDoomed)).count() < 200) {
      Thread.sleep(1); // until it is well into its calls
    }
    doomed.kill();
    assertThat(doomed.awaitExit(PATIENCE)).isTrue();
    assertThat(survivor.awaitExit(PATIENCE)).as("the other client finished").isTrue();
    assertThat(survivor.exitCode()).as("every call of the other client answered right (exit code)").isZero();
    assertThat(duplicates.get()).isZero();
    // And the server still takes new clients.
    final ProcessSpace late = kernel.spawnProcessSpace("late", CallerComponent.class, server,
        hex(endpoint.id()), "1", "100");
    assertThat(late.awaitExit(PATIENCE)).isTrue();
    assertThat(late.exitCode()).isZero();
  }

  @Test
  @DisplayName("IPC1109 a sleeping server is woken by a sender in a table where it only polls, never by its sleep running out")
  void senderWakesSleepingPoller() throws Exception {
    PortSet.sliceNanos = Duration.ofHours(1).toNanos(); // a missing wake-up now hangs, and the test fails
    try {
      kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(WaitStrategy.BLOCK)); // every thread sleeps at once
      final Space server = kernel.createSpace("server");
      final Set<String> seen = ConcurrentHashMap.newKeySet();
      final AtomicLong duplicates = new AtomicLong();
      final Endpoint endpoint = echoPool(server, 1, seen, duplicates);
      final Space local = kernel.createSpace("local");
      kernel.createChannel(local, server);
      // Calls from two tables at once: the server, claimable only in the table it served last,
      // keeps finding the next call in the other one, where it sleeps only POLLING.
      final ProcessSpace caller = kernel.spawnProcessSpace("caller", CallerComponent.class, server,
          hex(endpoint.id()), "1", "300");
      final CompletableFuture<String> done = new CompletableFuture<>();
      local.spawn("local", self -> {
        for (long n = 0; n < 300; n++) {
          self.setTag(MessageTag.of(1, 1));
          self.setMr(1, n);
          final int status = self.call(endpoint.id(), PATIENT, PATIENT);
          if (status != Status.OK || self.mr(1) != n + 1) {
            done.complete("call " + n + ": " + Status.toString(status));
            return;
          }
        }
        done.complete("ok");
      });
      assertThat(done.get(PATIENCE.toSeconds() + 10, TimeUnit.SECONDS)).as("the thread-space client").isEqualTo("ok");
      assertThat(caller.awaitExit(PATIENCE)).isTrue();
      assertThat(caller.exitCode()).as("the process client (exit code)").isZero();
      assertThat(duplicates.get()).isZero();
    } finally {
      PortSet.sliceNanos = PortSet.MAX_SLICE_NANOS;
    }
  }
}
