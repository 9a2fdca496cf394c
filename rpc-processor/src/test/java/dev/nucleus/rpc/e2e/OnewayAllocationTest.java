package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.RpcServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A one-way call with primitive arguments over a binding's one-way queue allocates nothing, at
 * the client (proxy, binding, queue) and at the server (the one-way thread's waitset, the copy
 * into its request frame, the adapter), once the queue is open.
 *
 * <p>Measured as {@link AllocationTest} does: each thread's own allocation counter
 * (com.sun.management.ThreadMXBean), the client's around the sends and the one-way thread's
 * around their handling (a two-way call after them waits until they are handled), after a
 * warm-up in the same loop. A run counts when each side allocated less than one byte per request
 * (one allocation in sixteen requests fails it); a run that does not count is repeated, up to
 * {@link #ATTEMPTS} runs with twice the warm-up.
 */
@Tag("unit")
@Timeout(120)
@DisplayName("allocation of a one-way call over a queue")
class OnewayAllocationTest {

  private static final int WARMUP = 20_000;
  private static final int CALLS = 50_000;
  private static final int ATTEMPTS = 5;
  private static final int STREAM = 1;

  @Test
  @DisplayName("note(int, long) over a one-way queue allocates 0 bytes per call at the client and at the server")
  void shouldAllocateNothingPerOnewayCall() throws Exception {
    final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    try (Kernel kernel = Kernel.create()) {
      final Space server = kernel.createSpace("server");
      final Space client = kernel.createSpace("client");
      kernel.createChannel(client, server);
      try (RpcServer rpc = RpcServer.export(server, Tally_Service.INSTANCE, new TallyServer(), 1);
          KernelBinding binding = KernelBinding.builder(client, rpc.id(), Tally_Service.INSTANCE).onewayQueue(1024)
              .build()) {
        final Tally tally = binding.proxy(Tally_Service.INSTANCE);
        tally.note(STREAM, 0); // opens the queue and starts the one-way thread
        long sent = 1;
        assertThat(tally.count(STREAM)).isEqualTo(sent);
        final long oneway = onewayThread();
        final List<String> runs = new ArrayList<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
          sent = notes(tally, sent, WARMUP << attempt);
          assertThat(tally.count(STREAM)).isEqualTo(sent);
          final long clientBefore = threads.getCurrentThreadAllocatedBytes();
          final long serverBefore = threads.getThreadAllocatedBytes(oneway);
          sent = notes(tally, sent, CALLS);
          final long clientAfter = threads.getCurrentThreadAllocatedBytes();
          assertThat(tally.count(STREAM)).as("every note handled, in order").isEqualTo(sent);
          final long serverAfter = threads.getThreadAllocatedBytes(oneway);
          final double clientPerCall = (double) (clientAfter - clientBefore) / CALLS;
          final double serverPerCall = (double) (serverAfter - serverBefore) / CALLS;
          runs.add(String.format("client %.3f, server %.3f", clientPerCall, serverPerCall));
          if (clientPerCall < 1.0 && serverPerCall < 1.0) {
            return;
          }
        }
        throw new AssertionError("a one-way note allocated at least one byte per call in each of " + ATTEMPTS
            + " runs (bytes per call): " + runs);
      }
    }
  }

  /** Sends notes {@code first} .. {@code first + n - 1}; returns the next number. */
  private static long notes(Tally tally, long first, int n) {
    final long end = first + n;
    for (long seq = first; seq < end; seq++) {
      tally.note(STREAM, seq);
    }
    return end;
  }

  /** The Java thread id of the export's one-way thread. */
  private static long onewayThread() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("rpc-Tally-oneway"))
        .findFirst().orElseThrow().threadId();
  }
}
