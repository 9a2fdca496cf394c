package dev.nucleus.bench.lrpc;

import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.PingPong;
import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.rpc.KernelBinding;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * {@code lrpc-process-null}: the LRPC null call ({@link Bench#nothing()}) from a thread space of
 * this JVM to a server in a process space (another JVM), over their channel segment: the
 * generated proxy over a {@link KernelBinding}, and a {@link BenchServerComponent} exporting the
 * service on a pool of one thread. Both sides spin (the kernel's default wait strategy, which the
 * process space inherits, is {@link WaitStrategy#SPIN}). The raw call of the same placement is
 * {@code nucleus-process-spin}; issue 12's goal for this entry is a p50 within 1.15x
 * {@code floor-c-spin}, its bar within 1.3x the raw call (see {@code Targets}).
 *
 * <pre>
 *   bench thread (client space, this JVM)      pool thread (process space, child JVM)
 *   Bench_Proxy.nothing()
 *     KernelBinding: call(endpoint) -- channel segment --> RpcServer: replyWait(endpoint)
 *                                                            Bench_Adapter -> BenchServer.nothing()
 *     outcome OK   <------------------------------------   reply
 * </pre>
 *
 * <p>Bounds: every call carries a deadline of {@link LrpcCallLoop#STALL}; the server has
 * {@link #STARTUP} to publish its id; the process space is closed (killed if need be) at the end
 * of every run.
 */
public final class LrpcProcessPingPong implements PingPong {

  /** How long the server's JVM may take to start and publish its endpoint. */
  private static final Duration STARTUP = Duration.ofSeconds(30);

  /** What the last run allocated per call; written and read on the bench thread. */
  private Allocation lastAllocation;

  @Override
  public String name() {
    return MechanismRegistry.LRPC_PROCESS_NULL;
  }

  @Override
  public String floor() {
    return MechanismRegistry.FLOOR_C_SPIN;
  }

  @Override
  public String unavailableReason() {
    return System.getProperty("os.name", "").toLowerCase().contains("linux") ? null : "process spaces need Linux";
  }

  @Override
  public String description() {
    return "LRPC null call, generated proxy over a KernelBinding to an RpcServer (1 thread) in a process"
        + " space (another JVM), spin waiting; the raw call: nucleus-process-spin";
  }

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    lastAllocation = withServer(ChildJvm.HEAP, bench -> LrpcCallLoop.run(bench, warmup, iterations, roundTripsNs));
  }

  /** What a run does with a proxy to its server. */
  @FunctionalInterface
  interface Calls<T> {
    T make(Bench bench) throws Exception;
  }

  /**
   * Runs {@code calls} with a proxy bound, from a thread space of a spinning kernel, to a
   * {@link BenchServerComponent} in a fresh process space whose JVM has {@code serverHeap}
   * ({@link ChildJvm#HEAP}, or {@link ChildJvm#TOUCHED_HEAP} for calls that allocate at the
   * server); closes both after, whatever happens.
   */
  static <T> T withServer(List<String> serverHeap, Calls<T> calls) throws Exception {
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(WaitStrategy.SPIN))) {
      final Space clientSpace = kernel.createSpace("client");
      try (ProcessSpace server = kernel.spawnProcessSpace("lrpc-server", BenchServerComponent.class, clientSpace,
          serverHeap);
          KernelBinding binding = KernelBinding.to(clientSpace, server.awaitPublished(STARTUP), Bench_Service.INSTANCE,
              LrpcCallLoop.STALL)) {
        return calls.make(binding.proxy(Bench_Service.INSTANCE));
      }
    }
  }
}
