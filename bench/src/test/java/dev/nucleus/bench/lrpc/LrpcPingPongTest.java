package dev.nucleus.bench.lrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.bench.ForkedPingPong;
import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.PingPong;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RpcServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LRPC entries run: each makes exactly the calls it is asked for through its binding, records
 * one latency per measured call, counts what each side allocated, and leaves nothing behind. A
 * lost server fails a run instead of hanging it. Nothing here is timed: a few hundred calls each,
 * enough to go through warm-up, the allocation queries and the measured loop.
 */
@Timeout(120)
class LrpcPingPongTest {

  private static final int WARMUP = 100;
  private static final int CALLS = 300;

  @AfterEach
  void nothingLeftInDevShm() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
      final String mine = "nucleus-" + ProcessHandle.current().pid() + "-";
      final List<Path> left = files.filter(f -> f.getFileName().toString().startsWith(mine)).toList();
      assertThat(left).as("segments left in /dev/shm").isEmpty();
    }
  }

  /** Runs {@code m} once and checks what any run must give: one value per measured call, allocation counted. */
  private static void runsItsCalls(PingPong m) throws Exception {
    assertThat(m.lastAllocation()).as("before any run").isNull();
    final Histogram h = Latencies.newHistogram();
    m.run(WARMUP, CALLS, h);
    assertThat(h.getTotalCount()).as("measured calls").isEqualTo(CALLS);
    assertThat(h.getMinValue()).as("a call takes time").isPositive();
    assertThat(m.lastAllocation()).as("this JVM counts per-thread allocation").isNotNull();
    assertThat(m.lastAllocation().clientBytesPerRoundTrip()).isNotNegative();
    assertThat(m.lastAllocation().serverBytesPerRoundTrip()).isNotNegative();
  }

  @Test
  @DisplayName("lrpc-local-null makes its calls through a LocalBinding")
  void localNullCall() throws Exception {
    final LrpcLocalPingPong m = new LrpcLocalPingPong();
    assertThat(m.name()).isEqualTo("lrpc-local-null");
    runsItsCalls(m);
  }

  @Test
  @DisplayName("lrpc-thread-null makes its calls through a KernelBinding to a server in another thread space, run after run")
  void threadNullCall() throws Exception {
    final LrpcThreadPingPong m = new LrpcThreadPingPong();
    assertThat(m.name()).isEqualTo("lrpc-thread-null");
    runsItsCalls(m);
    final Histogram again = Latencies.newHistogram();
    m.run(0, 1, again);
    assertThat(again.getTotalCount()).as("a second run, without warm-up").isEqualTo(1);
  }

  @Test
  @DisplayName("lrpc-process-64KiB passes its bulk argument to a process space, call after call, next to its memcpy floor")
  void bulkCallsAndTheirFloor() throws Exception {
    final LrpcBulkPingPong m = new LrpcBulkPingPong(64 << 10);
    assertThat(m.name()).isEqualTo("lrpc-process-64KiB");
    assertThat(m.floor()).isEqualTo("floor-memcpy-64KiB");
    final Histogram h = Latencies.newHistogram();
    m.run(WARMUP, CALLS, h); // each call checks the size the server took
    assertThat(h.getTotalCount()).isEqualTo(CALLS);
    assertThat(m.lastAllocation()).as("not judged: a byte[] parameter is a copy at the server").isNull();
    final MemcpyFloor floor = new MemcpyFloor(1 << 20);
    assertThat(floor.name()).isEqualTo("floor-memcpy-1MiB");
    final Histogram copies = Latencies.newHistogram();
    floor.run(2, 10, copies);
    assertThat(copies.getTotalCount()).isEqualTo(10);
  }

  @Test
  @DisplayName("floor-handoff-1MiB hands its bytes to a thread on another core and back, run after run")
  void handoffFloor() throws Exception {
    final HandoffFloor floor = new HandoffFloor(1 << 20);
    assertThat(floor.name()).isEqualTo("floor-handoff-1MiB");
    assertThat(floor.floor()).as("a floor itself").isNull();
    for (int run = 0; run < 2; run++) {
      final Histogram h = Latencies.newHistogram();
      floor.run(2, 10, h);
      assertThat(h.getTotalCount()).isEqualTo(10);
    }
  }

  @Test
  @DisplayName("lrpc-process-null makes its calls through a KernelBinding to a server in a process space")
  void processNullCall() throws Exception {
    final LrpcProcessPingPong m = new LrpcProcessPingPong();
    assertThat(m.name()).isEqualTo("lrpc-process-null");
    assertThat(m.unavailableReason()).as("process spaces run on Linux").isNull();
    runsItsCalls(m);
  }

  @Test
  @DisplayName("lrpc-process-null as nucleus bench runs it: in a fresh JVM that spawns its server process, answering with what it measured")
  void processNullCallForked() throws Exception {
    final PingPong m = MechanismRegistry.defaults().select(List.of(MechanismRegistry.LRPC_PROCESS_NULL)).get(0);
    assertThat(m).isInstanceOf(ForkedPingPong.class);
    runsItsCalls(m);
  }

  @Test
  @DisplayName("the server's allocation query answers from the serving thread: its counter only grows")
  void serverAllocationIsReadOnTheServingThread() {
    try (Kernel kernel = Kernel.create()) {
      final Space client = kernel.createSpace("client");
      final Space server = kernel.createSpace("server");
      kernel.createChannel(client, server);
      try (RpcServer rpc = RpcServer.export(server, Bench_Service.INSTANCE, new BenchServer(), 1);
          KernelBinding binding = KernelBinding.to(client, rpc.id(), Bench_Service.INSTANCE)) {
        final Bench bench = binding.proxy(Bench_Service.INSTANCE);
        final long first = bench.serverAllocatedBytes();
        bench.nothing();
        assertThat(bench.echo(-7L)).isEqualTo(-7L);
        assertThat(bench.serverAllocatedBytes()).isGreaterThanOrEqualTo(first).isNotNegative();
      }
    }
  }

  @Test
  @DisplayName("a run whose server has gone fails with the transport's error instead of waiting")
  void aLostServerFailsTheRun() {
    try (Kernel kernel = Kernel.create()) {
      final Space client = kernel.createSpace("client");
      final Space server = kernel.createSpace("server");
      kernel.createChannel(client, server);
      final RpcServer rpc = RpcServer.export(server, Bench_Service.INSTANCE, new BenchServer(), 1);
      try (KernelBinding binding = KernelBinding.to(client, rpc.id(), Bench_Service.INSTANCE, LrpcCallLoop.STALL)) {
        final Bench bench = binding.proxy(Bench_Service.INSTANCE);
        rpc.close();
        assertThatThrownBy(() -> LrpcCallLoop.run(bench, WARMUP, CALLS, Latencies.newHistogram()))
            .isInstanceOf(PeerDeadException.class);
      }
    }
  }
}
