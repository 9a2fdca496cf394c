package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The futex lent to protocols beside the kernel's: sleep on a word, wake its sleepers. */
@Tag("unit")
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("Futex")
class FutexTest {

  @Test
  @DisplayName("is there on Linux on x86-64")
  void shouldBeSupportedHere() {
    assertThat(Futex.isSupported()).isEqualTo(System.getProperty("os.name").toLowerCase().contains("linux")
        && System.getProperty("os.arch").matches("amd64|x86_64"));
  }

  @Test
  @DisplayName("returns at once when the word does not hold the expected value, or the deadline has passed")
  void shouldNotSleepWhenTheWordChangedOrTheDeadlinePassed() {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment word = arena.allocate(8, 8);
      word.set(ValueLayout.JAVA_INT, 4, 7);
      Futex.await(word, 4, 6, Long.MAX_VALUE); // 7 is not 6: no sleep, or this test times out
      Futex.await(word, 4, 7, Timeout.now() - 1);
      Futex.await(word, 4, 7, Timeout.now() + 1_000_000); // sleeps about 1 ms, then returns
    }
  }

  @Test
  @DisplayName("a wake after the word changed reaches a sleeper, whichever comes first")
  void shouldWakeASleeper() throws Exception {
    try (Arena arena = Arena.ofShared()) {
      final MemorySegment word = arena.allocate(4, 4);
      for (int round = 0; round < 200; round++) {
        word.set(ValueLayout.JAVA_INT, 0, 1);
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicInteger seen = new AtomicInteger(-1);
        final Thread sleeper = Thread.ofPlatform().start(() -> {
          started.countDown();
          while ((int) ValueLayout.JAVA_INT.varHandle().getVolatile(word, 0L) == 1) {
            Futex.await(word, 0, 1, Long.MAX_VALUE); // no deadline: only the wake ends it
          }
          seen.set(word.get(ValueLayout.JAVA_INT, 0));
        });
        started.await();
        ValueLayout.JAVA_INT.varHandle().setVolatile(word, 0L, 0);
        Futex.wake(word, 0);
        sleeper.join(Duration.ofSeconds(20));
        assertThat(sleeper.isAlive()).as("round %d: the sleeper is still asleep", round).isFalse();
        assertThat(seen.get()).isZero();
      }
    }
  }

  @Test
  @DisplayName("refuses a word on the heap, misaligned, or outside the segment")
  void shouldRefuseBadWords() {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment native8 = arena.allocate(8, 8);
      assertThatThrownBy(() -> Futex.await(MemorySegment.ofArray(new int[2]), 0, 0, Long.MAX_VALUE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native memory");
      assertThatThrownBy(() -> Futex.wake(native8, 2)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("4 aligned bytes inside the segment");
      assertThatThrownBy(() -> Futex.wake(native8, 8)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Futex.wake(native8, -4)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
