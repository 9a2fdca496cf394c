package dev.nucleus.bench.lrpc;

import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.PingPong;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.Space;
import dev.nucleus.rpc.LocalBinding;
import org.HdrHistogram.Histogram;

/**
 * {@code lrpc-local-null}: the LRPC null call ({@link Bench#nothing()}) within one space, through a
 * {@link LocalBinding}: the generated proxy marshals onto its frame, the adapter is called on the
 * calling thread and answers on the reply frame. No kernel call and no second core: the in-space
 * reference, what the generated code and the binding's rules (deadline, outcome, frames) cost by
 * themselves. Its "server" is the calling thread, so both allocation figures are that thread's.
 *
 * <p>Bounds: a local call cannot wait for anyone; the deadline ({@link LrpcCallLoop#STALL}) is set
 * as for the other entries, so that the same work is done per call.
 */
public final class LrpcLocalPingPong implements PingPong {

  /** What the last run allocated per call; written and read on the bench thread. */
  private Allocation lastAllocation;

  @Override
  public String name() {
    return MechanismRegistry.LRPC_LOCAL_NULL;
  }

  /** The in-JVM floor, as the thread entries have; a call that crosses no core is well below it. */
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
    return "LRPC null call through a LocalBinding: proxy, frames and adapter on the calling thread, no"
        + " kernel call (the in-space reference)";
  }

  @Override
  public Allocation lastAllocation() {
    return lastAllocation;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) {
    try (Kernel kernel = new Kernel(Kernel.Config.defaults().withMaxThreads(8))) {
      final Space space = kernel.createSpace("local");
      try (LocalBinding binding = LocalBinding.create(space, Bench_Service.INSTANCE.newAdapter(new BenchServer()),
          LrpcCallLoop.STALL, LocalBinding.DEFAULT_STACK_BYTES)) {
        lastAllocation = LrpcCallLoop.run(binding.proxy(Bench_Service.INSTANCE), warmup, iterations, roundTripsNs);
      }
    }
  }
}
