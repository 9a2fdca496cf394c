package dev.nucleus.bench.jmh;

import dev.nucleus.bench.EchoComponent;
import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.Status;
import dev.nucleus.kernel.WaitStrategy;
import java.time.Duration;
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
 * The in-JVM IPC fast path under JMH: a call from the benchmark thread to an echo server thread
 * in another thread space that answers with replyWait. Run with {@code -prof gc} to show that a
 * call/replyWait round trip allocates nothing ({@code gc.alloc.rate.norm} = 0 B/op), on both
 * sides: the server's allocation would show in the same per-op figure, since JMH divides the
 * whole JVM's allocation by the operations.
 *
 * <pre>./nucleus jmh CallReplyWait -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CallReplyWaitBenchmark {

  @Param({"SPIN", "ADAPTIVE"})
  public WaitStrategy strategy;

  @Param({"0", "8"})
  public int words;

  private Kernel kernel;
  private Space serverSpace;
  private IpcThread client;
  private long server;
  private long tag;

  @Setup(Level.Trial)
  public void setUp() {
    kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(strategy).withMaxThreads(8));
    final Space clientSpace = kernel.createSpace("client");
    serverSpace = kernel.createSpace("server");
    kernel.createChannel(clientSpace, serverSpace);
    server = serverSpace.spawn("echo", EchoComponent::serve).id();
    client = clientSpace.attach("client"); // Scope.Thread: set up on the benchmark thread
    tag = MessageTag.of(1, words);
  }

  @Benchmark
  public long call() {
    client.setTag(tag);
    final int status = client.call(server);
    if (status != Status.OK) {
      throw new IllegalStateException(Status.toString(status));
    }
    return client.mr(0);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    client.close();
    serverSpace.end();
    serverSpace.awaitTermination(Duration.ofSeconds(5));
    kernel.close();
  }
}
