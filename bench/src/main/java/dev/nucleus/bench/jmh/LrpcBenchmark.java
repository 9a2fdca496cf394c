package dev.nucleus.bench.jmh;

import dev.nucleus.bench.lrpc.Bench;
import dev.nucleus.bench.lrpc.BenchServer;
import dev.nucleus.bench.lrpc.Bench_Service;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.WaitStrategy;
import dev.nucleus.rpc.KernelBinding;
import dev.nucleus.rpc.RpcServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * LRPC calls under JMH: the generated {@link Bench} proxy over a {@link KernelBinding} from the
 * benchmark thread's space to an {@link RpcServer} of one thread in another thread space, as
 * {@code lrpc-thread-null} in the bench. {@link #nullCall()} is the null call, {@link #echo()}
 * carries one word each way. Run with {@code -prof gc}: a call with primitive arguments and
 * result must allocate nothing on either side ({@code gc.alloc.rate.norm} = 0 B/op; JMH divides
 * the whole JVM's allocation by the operations, so the server's would show in the same figure).
 * Next to {@code CallReplyWait} (the raw kernel call, {@code words = 0}) it shows what the binding
 * adds; {@code lanes} compares the binding's call lanes (docs/rpc-wire.md, section 10) with
 * kernel calls only.
 *
 * <pre>./nucleus jmh Lrpc -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LrpcBenchmark {

  /** How both the client's and the pool's IPC threads wait (the kernel's default). */
  @Param({"SPIN", "ADAPTIVE"})
  public WaitStrategy strategy;

  /** Whether the binding uses call lanes (its default) or makes every call a kernel call. */
  @Param({"true", "false"})
  public boolean lanes;

  private Kernel kernel;
  private RpcServer server;
  private KernelBinding binding;
  private Bench bench;
  private long value;

  /** Two thread spaces with a channel, the export in one, the binding from the other. */
  @Setup(Level.Trial)
  public void setUp() {
    kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(strategy).withMaxThreads(8));
    final Space clientSpace = kernel.createSpace("client");
    final Space serverSpace = kernel.createSpace("server");
    kernel.createChannel(clientSpace, serverSpace);
    server = RpcServer.export(serverSpace, Bench_Service.INSTANCE, new BenchServer(), 1);
    binding = KernelBinding.builder(clientSpace, server.id(), Bench_Service.INSTANCE).callLanes(lanes).build();
    bench = binding.proxy(Bench_Service.INSTANCE);
    // Scope.Thread: the binding attaches the benchmark thread's IPC thread on its first call, and
    // opens its call lane on its second.
    bench.nothing();
    bench.nothing();
  }

  /** The null call: no argument, no result. */
  @Benchmark
  public void nullCall() {
    bench.nothing();
  }

  /**
   * One word each way; the argument changes per call so that nothing can be folded.
   *
   * @return the echoed word
   */
  @Benchmark
  public long echo() {
    return bench.echo(value++);
  }

  /** Closes the binding (its IPC thread), the export and the kernel. */
  @TearDown(Level.Trial)
  public void tearDown() {
    binding.close();
    server.close();
    kernel.close();
  }
}
