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
 * service on a pool of one thread. After the thread's first call its calls go through its call
 * lane (docs/rpc-wire.md, section 10), which the pool thread attends; {@code
 * lrpc-process-null-kernel} is the same binding with lanes off, every call a kernel call. Both sides spin (the kernel's default wait strategy, which the
 * process space inherits, is {@link WaitStrategy#SPIN}). The raw call of the same placement is
 * {@code nucleus-process-spin}; issue 12's goal for this entry is a p50 within 1.15x
 * {@code floor-c-spin}, its bar within 1.3x the raw call (see {@code Targets}).
 *
 * <pre>
 *   bench thread (client space, this JVM)      pool thread (process space, child JVM)
 *   Bench_Proxy.nothing()
 *     KernelBinding: post on the lane ------ lane region --> RpcServer: attend(lane)
 *       (kernel-only: call(endpoint) -- channel segment --> replyWait(endpoint))
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
  /** Whether the binding uses call lanes: {@code lrpc-process-null}; without, {@code lrpc-process-null-kernel}. */
  private final boolean lanes;

  /** {@code lrpc-process-null}: the binding as users get it, with call lanes. */
  public LrpcProcessPingPong() {
    this(true);
  }

  /**
   * The null call with call lanes ({@code lrpc-process-null}) or without
   * ({@code lrpc-process-null-kernel}: every call a kernel call, the lanes' reference in the same run).
   *
   * @param lanes whether the binding uses call lanes
   */
  public LrpcProcessPingPong(boolean lanes) {
    this.lanes = lanes;
  }

  @Override
  public String name() {
    return lanes ? MechanismRegistry.LRPC_PROCESS_NULL : MechanismRegistry.LRPC_PROCESS_NULL_KERNEL;
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
    return lanes
        ? "LRPC null call, generated proxy over a KernelBinding to an RpcServer (1 thread) in a process"
            + " space (another JVM), spin waiting, through the thread's call lane; the raw call: nucleus-process-spin"
        : "lrpc-process-null with call lanes off: every call a kernel call";
  }

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    lastAllocation = withServer(ChildJvm.HEAP, lanes, bench -> LrpcCallLoop.run(bench, warmup, iterations, roundTripsNs));
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
  static <T> T withServer(List<String> serverHeap, boolean lanes, Calls<T> calls) throws Exception {
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(WaitStrategy.SPIN))) {
      final Space clientSpace = kernel.createSpace("client");
      try (ProcessSpace server = kernel.spawnProcessSpace("lrpc-server", BenchServerComponent.class, clientSpace,
          serverHeap);
          KernelBinding binding = KernelBinding.builder(clientSpace, server.awaitPublished(STARTUP),
              Bench_Service.INSTANCE).defaultTimeout(LrpcCallLoop.STALL).callLanes(lanes).build()) {
        return calls.make(binding.proxy(Bench_Service.INSTANCE));
      }
    }
  }
}
