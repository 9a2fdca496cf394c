package dev.nucleus.rpc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nucleus.rpc.LocalBinding;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call with primitive arguments and result allocates nothing, proxy and adapter together (a
 * LocalBinding runs both on the caller's thread, so one thread's counter sees both sides).
 *
 * <p>Measured as the repository's NucleusAllocationTest does: the thread's own allocation counter
 * (com.sun.management.ThreadMXBean) around many calls after a warm-up in the same loop. The claim is
 * about the compiled path: a run counts when it allocated less than one byte per call (the
 * smallest object is 16 bytes, so one allocation in sixteen calls shows), and a run that does not
 * count is repeated with twice the warm-up, up to {@link #ATTEMPTS} runs.
 */
@Tag("unit")
@Timeout(120)
@DisplayName("allocation of a primitive call")
class AllocationTest {

  private static final int WARMUP = 20_000;
  private static final int CALLS = 50_000;
  private static final int ATTEMPTS = 5;

  @Test
  @DisplayName("get(long) -> long through a LocalBinding allocates 0 bytes per call")
  void shouldAllocateNothingPerPrimitiveCall() {
    final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    final long self = Thread.currentThread().threadId();
    try (Fixture fixture = new Fixture();
        LocalBinding binding = LocalBinding.create(fixture.space, KeyValue_Service.INSTANCE.newAdapter(new KeyValueStore()))) {
      final KeyValue kv = binding.proxy(KeyValue_Service.INSTANCE);
      final List<Double> runs = new ArrayList<>();
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        long sum = calls(kv, WARMUP << attempt);
        final long before = threads.getThreadAllocatedBytes(self);
        sum += calls(kv, CALLS);
        final long after = threads.getThreadAllocatedBytes(self);
        assertThat(sum).isNotZero();
        final double perCall = (double) (after - before) / CALLS;
        runs.add(perCall);
        if (perCall < 1.0) {
          return;
        }
      }
      throw new AssertionError("get(long) allocated at least one byte per call in each of " + ATTEMPTS
          + " runs (bytes per call): " + runs);
    }
  }

  private static long calls(KeyValue kv, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += kv.get(i);
    }
    return sum;
  }
}
