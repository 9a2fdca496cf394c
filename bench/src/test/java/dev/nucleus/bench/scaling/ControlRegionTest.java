package dev.nucleus.bench.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nucleus.bench.Latencies;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control region between the bench JVM and its client processes: the command word, the
 * header a client checks before trusting the region, and the records a client writes, which the
 * bench JVM validates before use. In one JVM, on plain memory.
 */
@Timeout(10)
@DisplayName("Scaling control region")
class ControlRegionTest {

  private final Arena arena = Arena.ofConfined();

  @AfterEach
  void free() {
    arena.close();
  }

  private MemorySegment region(int processes, int threads) {
    return arena.allocate(ControlDescriptor.length(processes, threads), 64);
  }

  @Test
  @DisplayName("a command goes through its word unchanged, for every phase")
  void shouldRoundTripEveryCommand() {
    for (Command.Phase phase : Command.Phase.values()) {
      final Command command = new Command(123_456, 64, phase);

      assertThat(Command.of(command.word())).isEqualTo(command);
    }
    assertThat(Command.of(0)).isEqualTo(new Command(0, 0, Command.Phase.PAUSE));
  }

  @Test
  @DisplayName("a word with an unknown phase or a negative step is refused, naming the word")
  void shouldRefuseABadCommandWord() {
    assertThatThrownBy(() -> Command.of(0x0000_0001_0000_0409L))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("not a command word: 0x100000409");
    assertThatThrownBy(() -> Command.of(-1L)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("clients 0 .. clients-1 call in RUN and MEASURE, nobody in PAUSE or EXIT")
  void shouldSayWhoCalls() {
    assertThat(new Command(1, 3, Command.Phase.RUN).calls(2)).isTrue();
    assertThat(new Command(1, 3, Command.Phase.MEASURE).calls(2)).isTrue();
    assertThat(new Command(1, 3, Command.Phase.MEASURE).calls(3)).isFalse();
    assertThat(new Command(1, 3, Command.Phase.PAUSE).calls(0)).isFalse();
    assertThat(new Command(1, 3, Command.Phase.EXIT).calls(0)).isFalse();
  }

  @Test
  @DisplayName("a client attaches to a formatted region only with the counts it was told")
  void shouldAttachOnlyToTheRegionItWasToldOf() {
    final MemorySegment memory = region(4, 16);
    assertThatThrownBy(() -> ControlFlyweight.attach(memory, 4, 16))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a scaling control region");

    ControlFlyweight.format(memory, 4, 16);

    assertThat(ControlFlyweight.attach(memory, 4, 16).clients()).isEqualTo(64);
    assertThatThrownBy(() -> ControlFlyweight.attach(memory, 4, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the control region is laid out for 4 processes of 16 threads, not 4 of 8");
    assertThatThrownBy(() -> ControlFlyweight.attach(memory, 8, 16))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs");
  }

  @Test
  @DisplayName("each client's count is its own; the total sums them")
  void shouldCountPerClient() {
    final ControlFlyweight control = ControlFlyweight.format(region(2, 3), 2, 3);

    control.callsRelease(0, 10);
    control.callsRelease(5, 7);

    assertThat(control.callsAcquire(5)).isEqualTo(7);
    assertThat(control.totalCallsAcquire()).isEqualTo(17);
    assertThat(ControlDescriptor.clientOffset(1) - ControlDescriptor.clientOffset(0))
        .as("one cache line per client").isEqualTo(64);
  }

  @Test
  @DisplayName("a reported histogram comes back with its counts, and the report names its step")
  void shouldRoundTripAHistogram() {
    final ControlFlyweight control = ControlFlyweight.format(region(2, 1), 2, 1);
    final Histogram h = Latencies.newHistogram();
    for (long ns = 1_000; ns < 1_000_000; ns += 997) {
      Latencies.record(h, ns);
    }

    control.reportRelease(1, 9, h);

    assertThat(control.reportedStepAcquire(1)).isEqualTo(9);
    assertThat(control.reportedStepAcquire(0)).isZero();
    final Histogram back = control.histogram(1);
    assertThat(back.getTotalCount()).isEqualTo(h.getTotalCount());
    assertThat(back.getValueAtPercentile(99)).isEqualTo(h.getValueAtPercentile(99));
  }

  @Test
  @DisplayName("a histogram length out of range, or bytes that are no histogram, are refused, naming the process")
  void shouldRefuseABadHistogram() {
    final MemorySegment memory = region(1, 1);
    final ControlFlyweight control = ControlFlyweight.format(memory, 1, 1);
    final long record = ControlDescriptor.processOffset(1, 0);

    memory.set(ValueLayout.JAVA_INT, record + ControlDescriptor.HISTOGRAM_LENGTH_OFFSET, 1 << 20);
    assertThatThrownBy(() -> control.histogram(0)).isInstanceOf(IllegalStateException.class)
        .hasMessage("client process 0's histogram has a length of 1048576 bytes, not 1..65536");

    memory.set(ValueLayout.JAVA_INT, record + ControlDescriptor.HISTOGRAM_LENGTH_OFFSET, 16);
    memory.asSlice(record + ControlDescriptor.HISTOGRAM_OFFSET, 16).fill((byte) 0x5A);
    assertThatThrownBy(() -> control.histogram(0)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("client process 0's histogram cannot be decoded");
  }

  @Test
  @DisplayName("a failure's reason is stored before FAILED, cut to its room, and a bad length is named")
  void shouldCarryAFailure() {
    final MemorySegment memory = region(2, 1);
    final ControlFlyweight control = ControlFlyweight.format(memory, 2, 1);

    control.failRelease(1, "client 1: call 5 came back wrong");
    assertThat(control.stateAcquire(1)).isEqualTo(ControlDescriptor.FAILED);
    assertThat(control.stateAcquire(0)).isEqualTo(ControlDescriptor.STARTING);
    assertThat(control.error(1)).isEqualTo("client 1: call 5 came back wrong");

    control.failRelease(0, "x".repeat(5000));
    assertThat(control.error(0)).hasSize(ControlDescriptor.ERROR_CAPACITY);

    memory.set(ValueLayout.JAVA_INT, ControlDescriptor.processOffset(2, 0) + ControlDescriptor.ERROR_LENGTH_OFFSET, -3);
    assertThat(control.error(0)).isEqualTo("(no readable reason: its length word says -3)");
  }
}
