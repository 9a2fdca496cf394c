package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Concurrency stress of one endpoint: many clients call a pool of server threads at once, so
 * that both rendezvous paths (server waiting first, callers queued first), the endpoint's member
 * bits and the reply capabilities are exercised under contention.
 *
 * <pre>
 *   client 0 ─┐                      ┌─ server 0
 *   client 1 ─┤  call(endpoint) ───▶ ├─ server 1     replyWait(endpoint)
 *     ...    ─┤  ◀─── reply ──────── └─ server 2
 *   client 5 ─┘
 * </pre>
 *
 * Each request carries (client, sequence, payload words of varying length, seeded); each reply
 * echoes (client, sequence), the id the server saw as sender, and the payload transformed.
 *
 * <p>Acceptable outcomes: every call returns OK with the reply to its own request, from one of
 * the pool's threads, and every (client, sequence) is served exactly once. Forbidden: a lost,
 * duplicated or misdirected request or reply, a wrong word, a hang (bounded by the timeout).
 */
@DisplayName("Endpoint stress: 6 clients x 3000 calls, 3 servers")
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS,
    threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class EndpointStressTest {

  private static final int CLIENTS = 6;
  private static final int CALLS = 3000;
  private static final int SERVERS = 3;
  private static final long REQUEST = 0x57E5L;
  private static final long REPLY = 0x57E6L;
  /** Payload words per request cycle through 0..MAX_PAYLOAD. */
  private static final int MAX_PAYLOAD = 9;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = WaitStrategy.class, names = {"BLOCK", "ADAPTIVE"})
  @DisplayName("every request is served exactly once and every reply reaches its own caller")
  void everyRequestServedExactlyOnce(WaitStrategy w) throws Exception {
    final AtomicIntegerArray served = new AtomicIntegerArray(CLIENTS * CALLS);
    final AtomicLongArray perServer = new AtomicLongArray(SERVERS);
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(w))) {
      final Space serverSpace = kernel.createSpace("servers");
      final Space clientSpace = kernel.createSpace("clients");
      kernel.createChannel(serverSpace, clientSpace);
      final Endpoint endpoint = serverSpace.createEndpoint("pool");
      final long[] servers = new long[SERVERS];
      for (int s = 0; s < SERVERS; s++) {
        servers[s] = serverSpace.spawn("server" + s, w, server(endpoint, s, served, perServer)).id();
      }
      final List<CompletableFuture<Integer>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        clients.add(done);
        clientSpace.spawn("client" + c, w, client(endpoint.id(), c, servers, done));
      }
      for (int c = 0; c < CLIENTS; c++) {
        assertThat(await(clients.get(c), serverSpace, clientSpace)).as("calls answered to client %d", c).isEqualTo(CALLS);
      }
      assertThat(serverSpace.failure()).as("server failure").isNull();
      assertThat(clientSpace.failure()).as("client failure").isNull();
      for (int i = 0; i < served.length(); i++) {
        if (served.get(i) != 1) {
          throw new AssertionError("request (client " + i / CALLS + ", sequence " + i % CALLS + ") served "
              + served.get(i) + " times");
        }
      }
      long total = 0;
      for (int s = 0; s < SERVERS; s++) {
        total += perServer.get(s);
      }
      assertThat(total).isEqualTo((long) CLIENTS * CALLS);
      clientSpace.end();
      serverSpace.end();
      assertThat(serverSpace.awaitTermination(Duration.ofSeconds(5))).isTrue();
      assertThat(clientSpace.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
  }

  /** Outcome of a call attempt, per (client, sequence). */
  private static final int DELIVERED = 1;
  private static final int NOT_DELIVERED = 2;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = WaitStrategy.class, names = {"BLOCK", "ADAPTIVE"})
  @DisplayName("with random short timeouts and aborts, a failed call's phase tells whether its request was served")
  void failedCallPhaseTellsWhetherServed(WaitStrategy w) throws Exception {
    final int calls = 2000;
    final AtomicIntegerArray served = new AtomicIntegerArray(CLIENTS * calls);
    final AtomicIntegerArray outcome = new AtomicIntegerArray(CLIENTS * calls);
    final AtomicLongArray perServer = new AtomicLongArray(SERVERS);
    final long[] sendTimeouts = {Timeout.ZERO, Timeout.relative(10_000), Timeout.relative(200_000), Timeout.NEVER};
    final long[] receiveTimeouts = {Timeout.relative(10_000), Timeout.relative(200_000), Timeout.NEVER};
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(w))) {
      final Space serverSpace = kernel.createSpace("servers");
      final Space clientSpace = kernel.createSpace("clients");
      kernel.createChannel(serverSpace, clientSpace);
      final Endpoint endpoint = serverSpace.createEndpoint("pool");
      for (int s = 0; s < SERVERS; s++) {
        serverSpace.spawn("server" + s, w, slowServer(endpoint, s, calls, served, perServer));
      }
      final List<CompletableFuture<int[]>> clients = new ArrayList<>();
      final List<IpcThread> clientThreads = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        final CompletableFuture<int[]> done = new CompletableFuture<>();
        clients.add(done);
        final int client = c;
        clientThreads.add(clientSpace.spawn("client" + c, w, self -> {
          try {
            final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(0x7157 + client);
            final int[] counts = new int[3]; // OK, failed in send, failed in receive
            for (int sequence = 0; sequence < calls; sequence++) {
              self.setTag(MessageTag.of(REQUEST, 2));
              self.setMr(1, client);
              self.setMr(2, sequence);
              final int status = self.call(endpoint.id(), sendTimeouts[random.nextInt(sendTimeouts.length)],
                  receiveTimeouts[random.nextInt(receiveTimeouts.length)]);
              final int slot = client * calls + sequence;
              if (status == Status.OK) {
                if (MessageTag.label(self.tag()) != REPLY || self.mr(1) != client || self.mr(2) != sequence) {
                  throw new AssertionError("client " + client + " call " + sequence + ": reply for client "
                      + self.mr(1) + " sequence " + self.mr(2));
                }
                outcome.set(slot, DELIVERED);
                counts[0]++;
              } else if (Status.failedInSend(status) && (Status.code(status) == Status.TIMEOUT
                  || Status.code(status) == Status.NO_PARTNER || Status.code(status) == Status.ABORTED)) {
                outcome.set(slot, NOT_DELIVERED);
                counts[1]++;
              } else if (Status.failedInReceive(status)
                  && (Status.code(status) == Status.TIMEOUT || Status.code(status) == Status.ABORTED)) {
                outcome.set(slot, DELIVERED);
                counts[2]++;
              } else {
                throw new AssertionError("call " + sequence + ": " + Status.toString(status));
              }
            }
            done.complete(counts);
          } catch (Throwable t) {
            done.completeExceptionally(t);
            throw t;
          }
        }));
      }
      // A chaos thread (not an IPC thread: abort is callable from anywhere) aborts random clients.
      final Thread aborter = Thread.ofPlatform().daemon().name("aborter").start(() -> {
        final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(0xAB07);
        while (!clients.stream().allMatch(CompletableFuture::isDone)) {
          clientThreads.get(random.nextInt(CLIENTS)).abort();
          LockSupport.parkNanos(random.nextLong(20_000, 200_000));
        }
      });
      final int[] totals = new int[3];
      for (int c = 0; c < CLIENTS; c++) {
        final int[] counts = await(clients.get(c), serverSpace, clientSpace);
        for (int i = 0; i < 3; i++) {
          totals[i] += counts[i];
        }
      }
      aborter.join(Duration.ofSeconds(5));
      // Servers may still be finishing a request whose caller gave up: wait until they are all
      // waiting again before counting.
      for (IpcThread t : serverSpace.threads()) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (t.ipcState().kind() != IpcState.Kind.RECEIVING && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
      assertThat(serverSpace.failure()).as("server failure").isNull();
      assertThat(clientSpace.failure()).as("client failure").isNull();
      for (int i = 0; i < served.length(); i++) {
        final int expected = outcome.get(i) == DELIVERED ? 1 : 0;
        if (served.get(i) != expected) {
          throw new AssertionError("request (client " + i / calls + ", sequence " + i % calls + ") served "
              + served.get(i) + " times, but its call said " + (expected == 1 ? "delivered" : "not delivered")
              + "; totals OK/send/receive = " + Arrays.toString(totals));
        }
      }
      clientSpace.end();
      serverSpace.end();
      assertThat(serverSpace.awaitTermination(Duration.ofSeconds(5))).isTrue();
      assertThat(clientSpace.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
  }

  /** Serves like {@link #server} without payload, busy for a random few µs on some requests. */
  private static Space.Body slowServer(Endpoint endpoint, int index, int calls, AtomicIntegerArray served,
      AtomicLongArray perServer) {
    return self -> {
      final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(0x5E12 + index);
      int status = self.replyWait(endpoint, Timeout.NEVER);
      while (status == Status.OK || Status.failedInSend(status)) {
        if (status == Status.OK) {
          final long client = self.mr(1);
          final long sequence = self.mr(2);
          if (MessageTag.label(self.tag()) != REQUEST || client < 0 || client >= CLIENTS || sequence < 0 || sequence >= calls) {
            throw new AssertionError("malformed request " + MessageTag.toString(self.tag()));
          }
          served.incrementAndGet((int) (client * calls + sequence));
          perServer.incrementAndGet(index);
          if (random.nextInt(4) == 0) {
            final long until = System.nanoTime() + random.nextLong(50_000);
            while (System.nanoTime() < until) {
              Thread.onSpinWait();
            }
          }
          self.setTag(MessageTag.of(REPLY, 2));
        } else if (Status.code(status) != Status.NO_PARTNER && Status.code(status) != Status.STALE_ID) {
          // NO_PARTNER: the caller gave up waiting; STALE_ID: it has also exited since.
          throw new AssertionError("server: reply failed with " + Status.toString(status));
        }
        status = self.replyWait(endpoint, Timeout.NEVER);
      }
      if (Status.code(status) != Status.CLOSED) {
        throw new AssertionError("server: " + Status.toString(status));
      }
    };
  }

  /** The client's result; if it failed, the failure, with the servers' failure if any (often the cause). */
  private static <T> T await(CompletableFuture<T> client, Space serverSpace, Space clientSpace) throws Exception {
    try {
      return client.get(50, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("client failed: " + e.getCause() + "; the first failure that ended the servers' space: "
          + serverSpace.failure() + "; the clients' space: " + clientSpace.failure(), e.getCause());
    }
  }

  /** Request layout: MR1 client, MR2 sequence, MR3.. payload. */
  private static Space.Body server(Endpoint endpoint, int index, AtomicIntegerArray served, AtomicLongArray perServer) {
    return self -> {
      int status = self.replyWait(endpoint, Timeout.NEVER);
      while (status == Status.OK) {
        final long tag = self.tag();
        final int words = MessageTag.untyped(tag);
        final long client = self.mr(1);
        final long sequence = self.mr(2);
        if (MessageTag.label(tag) != REQUEST || words < 2 || client < 0 || client >= CLIENTS
            || sequence < 0 || sequence >= CALLS) {
          throw new AssertionError("malformed request " + MessageTag.toString(tag) + " " + client + "/" + sequence);
        }
        served.incrementAndGet((int) (client * CALLS + sequence));
        perServer.incrementAndGet(index);
        // Reply: MR1 client, MR2 sequence, MR3 the sender as the server saw it, MR4.. ~payload.
        final int payload = words - 2;
        for (int i = payload; i >= 1; i--) {
          self.setMr(3 + i, ~self.mr(2 + i));
        }
        self.setMr(3, self.sender());
        self.setTag(MessageTag.of(REPLY, payload + 3));
        status = self.replyWait(endpoint, Timeout.NEVER);
      }
      if (Status.code(status) != Status.CLOSED) {
        throw new AssertionError("server: " + Status.toString(status));
      }
    };
  }

  private static Space.Body client(long endpoint, int client, long[] servers, CompletableFuture<Integer> done) {
    return self -> {
      try {
        final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(0x5EED + client);
        final long[] payload = new long[MAX_PAYLOAD];
        for (int sequence = 0; sequence < CALLS; sequence++) {
          final int n = sequence % (MAX_PAYLOAD + 1);
          self.setTag(MessageTag.of(REQUEST, n + 2));
          self.setMr(1, client);
          self.setMr(2, sequence);
          for (int i = 0; i < n; i++) {
            payload[i] = random.nextLong();
            self.setMr(3 + i, payload[i]);
          }
          final int status = self.call(endpoint);
          if (status != Status.OK) {
            throw new AssertionError("call " + sequence + ": " + Status.toString(status));
          }
          final long replier = self.sender();
          final long tag = self.tag();
          if (MessageTag.label(tag) != REPLY || MessageTag.untyped(tag) != n + 3 || self.mr(1) != client
              || self.mr(2) != sequence || self.mr(3) != self.id()
              || Arrays.stream(servers).noneMatch(s -> s == replier)) {
            throw new AssertionError("client " + client + " call " + sequence + ": reply " + MessageTag.toString(tag)
                + " for client " + self.mr(1) + " sequence " + self.mr(2) + ", sender seen "
                + ThreadId.toString(self.mr(3)) + ", replier " + ThreadId.toString(replier));
          }
          for (int i = 0; i < n; i++) {
            if (self.mr(4 + i) != ~payload[i]) {
              throw new AssertionError("client " + client + " call " + sequence + ": payload word " + i + " wrong");
            }
          }
        }
        done.complete(CALLS);
      } catch (Throwable t) {
        done.completeExceptionally(t);
        throw t;
      }
    };
  }
}
