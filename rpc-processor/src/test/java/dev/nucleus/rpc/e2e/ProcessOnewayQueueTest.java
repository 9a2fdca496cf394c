package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.PeerDeadException;
import dev.nucleus.rpc.RpcException;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.rpc.ServiceRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One-way queues across processes: a client in the root and the export in a process space, and
 * the other way round. Requests arrive once each and in order, the server sees the process's pid,
 * and a server process killed while a client's queue is full is PeerDead at that client.
 */
@Tag("system")
@org.junit.jupiter.api.Timeout(120)
@DisplayName("one-way requests over a queue, between processes")
class ProcessOnewayQueueTest {

  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final int N = 20_000;

  private final Kernel kernel = Kernel.create();
  private final Space client = kernel.createSpace("client");

  @AfterEach
  void close() throws Exception {
    final var spaces = kernel.processSpaces();
    kernel.close();
    for (ProcessSpace ps : spaces) {
      assertThat(ps.awaitExit(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  @DisplayName("the root sends to an export in a process: two threads' requests in order, its pid seen; killed with a full queue, PeerDead")
  void rootToAProcess() throws Exception {
    final ProcessSpace server = kernel.spawnProcessSpace("tally", TallyServerComponent.class, client);
    try (KernelBinding binding = KernelBinding.builder(client, server.awaitPublished("tally", STARTUP),
        Tally_Service.INSTANCE).onewayQueue(1024).build()) {
      final Tally proxy = binding.proxy(Tally_Service.INSTANCE);
      final CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> sendAndCount(proxy, 1));
      final CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> sendAndCount(proxy, 2));
      assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(N);
      assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(N);
      proxy.remember();
      final CallInfo oneway = proxy.remembered();
      assertThat(oneway.space()).isEqualTo(client.number());
      assertThat(ThreadId.space(oneway.thread())).isEqualTo(client.number());
      assertThat(oneway.pid()).as("the root's pid, as the kernel stamped it").isEqualTo(ProcessHandle.current().pid());

      proxy.hold();
      final CompletableFuture<Void> filling = CompletableFuture.runAsync(() -> {
        for (long seq = 0; ; seq++) {
          proxy.note(3, seq);
        }
      });
      server.kill();
      assertThat(server.awaitExit(Duration.ofSeconds(10))).isTrue();
      assertThatThrownBy(() -> filling.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
          .isInstanceOfSatisfying(PeerDeadException.class, e -> assertThat(e.phase()).isEqualTo(RpcException.Phase.SEND));
    }
  }

  /** Notes 0 .. N - 1 on {@code stream}, then asks for the stream's count. */
  private static long sendAndCount(Tally proxy, int stream) {
    for (long seq = 0; seq < N; seq++) {
      proxy.note(stream, seq);
    }
    return proxy.count(stream);
  }

  @Test
  @DisplayName("a process sends to an export in the root: its requests in order, as its own thread and pid; killed, its queue is let go")
  void aProcessToTheRoot() throws Exception {
    final TallyServer tally = new TallyServer();
    final long regions = OnewayQueueTest.mappedRegions();
    try (RpcServer rpc = RpcServer.export(client, Tally_Service.INSTANCE, tally, 1);
        IpcThread me = client.attach("me")) {
      final ProcessSpace agent = kernel.spawnProcessSpace("agent", TallyClientComponent.class, client);
      final ServiceRegistry registry = new ServiceRegistry();
      registry.register("tally", rpc);
      registry.grant(agent, "tally");
      assertThat(ask(me, agent, 1, N)).as("the agent's count after its notes").containsExactly(N, 0, 0, 0);
      assertThat(tally.count(TallyClientComponent.STREAM)).isEqualTo(N);
      final long[] info = ask(me, agent, 2, 0);
      assertThat(info[3]).as("no exception").isZero();
      final CallInfo oneway = tally.remembered();
      assertThat(oneway.space()).isEqualTo(agent.number()).isEqualTo((int) info[0]);
      assertThat(oneway.thread()).as("the thread that opened the queue, which also calls").isEqualTo(info[1]);
      assertThat(oneway.pid()).isEqualTo(agent.pid()).isEqualTo(info[2]);
      assertThat(OnewayQueueTest.mappedRegions()).as("the root maps the agent's queue").isEqualTo(regions + 1);
      agent.kill();
      assertThat(agent.awaitExit(Duration.ofSeconds(10))).isTrue();
      assertThat(OnewayQueueTest.waitFor(() -> OnewayQueueTest.mappedRegions() == regions))
          .as("the export lets the queue of a dead process go, and unmaps it").isTrue();
    }
  }

  /** Calls {@code agent}'s agent thread with an operation: MR1..MR4 of its answer. */
  private static long[] ask(IpcThread me, ProcessSpace agent, long op, long arg) throws Exception {
    me.setTag(MessageTag.of(1, 2));
    me.setMr(1, op);
    me.setMr(2, arg);
    assertThat(me.call(agent.awaitPublished(STARTUP))).isEqualTo(Status.OK);
    return new long[] {me.mr(1), me.mr(2), me.mr(3), me.mr(4)};
  }
}
