package dev.nucleus.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.kernel.WaitStrategy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JMH state of {@link LrpcBenchmark} works outside JMH: set up, a few calls of each benchmark
 * method, torn down, for each wait strategy JMH runs it with. Nothing is timed.
 */
@Timeout(60)
class LrpcBenchmarkTest {

  @ParameterizedTest
  @EnumSource(value = WaitStrategy.class, names = {"SPIN", "ADAPTIVE"})
  @DisplayName("the benchmark's binding makes null calls and echoes words, then closes")
  void setsUpCallsAndTearsDown(WaitStrategy strategy) {
    final LrpcBenchmark b = new LrpcBenchmark();
    b.strategy = strategy;
    b.setUp();
    try {
      for (int i = 0; i < 100; i++) {
        b.nullCall();
        assertThat(b.echo()).isEqualTo(i);
      }
    } finally {
      b.tearDown();
    }
  }
}
