package dev.nucleus.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.system.fixtures.Echo;
import dev.nucleus.system.fixtures.Echo_Service;
import dev.nucleus.system.fixtures.LoadClientProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load tier (issue 15, item 2): 64 client threads across 4 processes make 1e6 calls in all on
 * one server pool, every reply checked against its unique request: none lost, none duplicated,
 * none misrouted. {@code -Dnucleus.loadCalls=100000000} runs the long version.
 */
@Tag("system")
@DisplayName("Load: 64 client threads in 4 processes on one server pool")
class LoadTest {

  private static final long CALLS = Long.getLong("nucleus.loadCalls", 1_000_000L);
  private static final int PROCESSES = 4;
  private static final int THREADS = 16;

  /** The server's ledger: which request values it has served, once each. */
  private static final class Ledger implements Echo {
    private final BitSet[][] seen = new BitSet[PROCESSES][THREADS];
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong strangers = new AtomicLong();
    final AtomicLong served = new AtomicLong();

    Ledger() {
      for (BitSet[] row : seen) {
        for (int t = 0; t < THREADS; t++) {
          row[t] = new BitSet();
        }
      }
    }

    @Override
    public long echo(long value) {
      final int client = (int) (value >>> 48);
      final int thread = (int) (value >>> 32) & 0xFFFF;
      final long i = value & 0xFFFF_FFFFL;
      if (client >= PROCESSES || thread >= THREADS || i >= Integer.MAX_VALUE) {
        strangers.incrementAndGet();
        return value;
      }
      final BitSet bits = seen[client][thread];
      synchronized (bits) { // one client thread's calls come one at a time: no contention to speak of
        if (bits.get((int) i)) {
          duplicates.incrementAndGet();
        }
        bits.set((int) i);
      }
      served.incrementAndGet();
      return value;
    }

    @Override
    public long sum(byte[] data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] reversed(byte[] data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] fill(int length, byte value) {
      throw new UnsupportedOperationException();
    }

    long missing(long perThread) {
      long n = 0;
      for (BitSet[] row : seen) {
        for (BitSet bits : row) {
          synchronized (bits) {
            n += perThread - bits.cardinality();
          }
        }
      }
      return n;
    }
  }

  @Test
  @Timeout(value = 900, unit = TimeUnit.SECONDS)
  @DisplayName("1e6 calls: every reply is its own request's, and the server saw each request exactly once")
  void millionCalls() throws Exception {
    final long perThread = CALLS / (PROCESSES * THREADS);
    final Ledger ledger = new Ledger();
    final long t0 = System.nanoTime();
    try (Kernel kernel = Kernel.create()) {
      final Space serverSpace = kernel.createSpace("load-server");
      try (RpcServer export = RpcServer.export(serverSpace, Echo_Service.INSTANCE, ledger, 4)) {
        final List<ProcessSpace> clients = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
          final ProcessSpace client = kernel.spawnProcessSpace("load-client-" + p, LoadClientProcess.class,
              serverSpace, Integer.toString(p), Integer.toString(THREADS), Long.toString(perThread));
          client.offer("echo", export.id());
          clients.add(client);
        }
        for (ProcessSpace client : clients) {
          assertThat(client.awaitExit(Duration.ofMinutes(14))).as(client + " finished").isTrue();
          assertThat(client.exitCode()).as(client + ": every reply its own request's").isZero();
        }
      }
    }
    final double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("LoadTest: %d calls by %d threads in %d processes in %.1f s (%.0f calls/s, start-up"
        + " included); %d served, %d duplicated, %d missing, %d strangers%n", perThread * PROCESSES * THREADS,
        PROCESSES * THREADS, PROCESSES, seconds, perThread * PROCESSES * THREADS / seconds, ledger.served.get(),
        ledger.duplicates.get(), ledger.missing(perThread), ledger.strangers.get());
    assertThat(ledger.duplicates.get()).as("duplicated").isZero();
    assertThat(ledger.strangers.get()).as("requests nobody sent").isZero();
    assertThat(ledger.missing(perThread)).as("lost").isZero();
    assertThat(ledger.served.get()).isEqualTo(perThread * PROCESSES * THREADS);
  }
}
