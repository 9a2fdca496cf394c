package dev.nucleus.bench.lrpc;

import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.PingPong;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.RpcServer;
import org.HdrHistogram.Histogram;

/**
 * {@code lrpc-thread-null}: the LRPC null call ({@link Bench#nothing()}) between two thread spaces
 * of one kernel, joined by a channel: the generated proxy over a {@link KernelBinding} in the
 * client space, an {@link RpcServer} of one thread in the server space. Both sides spin (the
 * kernel's default wait strategy is {@link WaitStrategy#SPIN}, which the binding's and the pool's
 * IPC threads take). What it adds to {@code nucleus-thread-spin}, the raw call of the same
 * placement, is the binding: the proxy and its frames, the method and deadline in the registers,
 * the server's validation and dispatch, the endpoint in place of a thread id.
 *
 * <pre>
 *   bench thread (client space)                  pool thread (server space)
 *   Bench_Proxy.nothing()
 *     KernelBinding: call(endpoint) ----------->  RpcServer: replyWait(endpoint)
 *                                                   Bench_Adapter -> BenchServer.nothing()
 *     outcome OK   <---------------------------   reply
 * </pre>
 *
 * <p>Bounds: every call carries a deadline of {@link LrpcCallLoop#STALL}.
 */
public final class LrpcThreadPingPong implements PingPong {

  /** What the last run allocated per call; written and read on the bench thread. */
  private Allocation lastAllocation;

  @Override
  public String name() {
    return MechanismRegistry.LRPC_THREAD_NULL;
  }

  /** The floor of the raw call of the same placement, so that the two ratio columns compare. */
  @Override
  public String floor() {
    return MechanismRegistry.FLOOR_JAVA_SPIN;
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public String description() {
    return "LRPC null call, generated proxy over a KernelBinding to an RpcServer (1 thread) in another"
        + " thread space, spin waiting; the raw call: nucleus-thread-spin";
  }

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) {
    final Kernel.Config config = Kernel.Config.defaults().withWaitStrategy(WaitStrategy.SPIN).withMaxThreads(8);
    try (Kernel kernel = new Kernel(config)) {
      final Space clientSpace = kernel.createSpace("client");
      final Space serverSpace = kernel.createSpace("server");
      kernel.createChannel(clientSpace, serverSpace);
      try (RpcServer server = RpcServer.export(serverSpace, Bench_Service.INSTANCE, new BenchServer(), 1);
          KernelBinding binding = KernelBinding.to(clientSpace, server.id(), Bench_Service.INSTANCE, LrpcCallLoop.STALL)) {
        lastAllocation = LrpcCallLoop.run(binding.proxy(Bench_Service.INSTANCE), warmup, iterations, roundTripsNs);
      }
    }
  }
}
