package dev.nucleus.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JMH state of {@link QueueBenchmark} works outside JMH: set up, bursts through the Nucleus
 * queue (its receiver reads back every word that was sent, across many laps of the ring), torn
 * down, for each payload size JMH runs it with. Nothing is timed. (The Agrona and JCTools methods
 * need the JVM flags JMH's fork has.)
 */
@Timeout(60)
class QueueBenchmarkTest {

  @ParameterizedTest
  @ValueSource(ints = {8, 56})
  @DisplayName("every burst sent through the queue is taken back whole, lap after lap")
  void sendsAndTakesEveryBurst(int bytes) {
    final QueueBenchmark b = new QueueBenchmark();
    final QueueBenchmark.NucleusQueue q = new QueueBenchmark.NucleusQueue();
    q.bytes = bytes;
    q.setUp();
    try {
      final int bursts = 1_000; // 64,000 messages: 62 laps of the 1,024-slot ring
      long expected = 0;
      for (int n = 0; n < bursts; n++) {
        for (int m = 0; m < QueueBenchmark.BURST; m++) {
          for (int i = 0; i < bytes / Long.BYTES; i++) {
            expected += m + i;
          }
        }
        assertThat(b.nucleus(q)).isEqualTo(expected);
      }
    } finally {
      q.tearDown();
    }
  }
}
