package dev.nucleus.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The calling thread's CPU mask through FFM, checked against what the kernel reports. */
@Timeout(30)
class CpuAffinityTest {

  /** The {@code Cpus_allowed_list} of {@code /proc/<what>/status}, e.g. {@code thread-self}. */
  static BitSet allowedCpus(String what) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", what, "status"))) {
      if (line.startsWith("Cpus_allowed_list:")) {
        return CpuAffinity.parse(line.substring("Cpus_allowed_list:".length()));
      }
    }
    throw new AssertionError("no Cpus_allowed_list in /proc/" + what + "/status");
  }

  private static BitSet cpus(int... numbers) {
    final BitSet set = new BitSet();
    for (int n : numbers) set.set(n);
    return set;
  }

  @Test
  @DisplayName("a CPU set is written and read in the kernel's list notation")
  void listNotation() {
    assertThat(CpuAffinity.format(cpus(0, 1, 3, 5, 6, 7))).isEqualTo("0-1,3,5-7");
    assertThat(CpuAffinity.format(cpus(1))).isEqualTo("1");
    assertThat(CpuAffinity.format(new BitSet())).isEmpty();
    assertThat(CpuAffinity.parse(" 0-1,3,5-7\n")).isEqualTo(cpus(0, 1, 3, 5, 6, 7));
    assertThatThrownBy(() -> CpuAffinity.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CpuAffinity.parse("3-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the calling thread's mask reads as /proc reports it, and setting it changes only this thread")
  void setsAndRestoresTheCallingThreadsMask() throws Exception {
    assumeTrue(CpuAffinity.unavailableReason() == null, CpuAffinity.unavailableReason());
    final BitSet saved = CpuAffinity.ofCurrentThread();
    assertThat(saved).isEqualTo(allowedCpus("thread-self"));
    final BitSet one = cpus(saved.length() - 1);
    try {
      CpuAffinity.setCurrentThread(one);
      assertThat(CpuAffinity.ofCurrentThread()).isEqualTo(one);
      assertThat(allowedCpus("thread-self")).isEqualTo(one);
      assertThat(allowedCpus("self")).as("the process's main thread").isEqualTo(saved);
    } finally {
      CpuAffinity.setCurrentThread(saved);
    }
    assertThat(allowedCpus("thread-self")).isEqualTo(saved);
  }

  @Test
  @DisplayName("a mask naming no CPU, or only CPUs this process may not use, is refused and changes nothing")
  void refusesImpossibleMasks() {
    assumeTrue(CpuAffinity.unavailableReason() == null, CpuAffinity.unavailableReason());
    final BitSet saved = CpuAffinity.ofCurrentThread();
    assertThatThrownBy(() -> CpuAffinity.setCurrentThread(new BitSet()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CpuAffinity.setCurrentThread(cpus(1024)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CpuAffinity.setCurrentThread(cpus(1023)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sched_setaffinity 1023");
    assertThat(CpuAffinity.ofCurrentThread()).isEqualTo(saved);
  }

  @Test
  @DisplayName("a virtual thread is refused: it has no mask of its own")
  void refusesVirtualThreads() throws Exception {
    final AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread.ofVirtual().start(() -> {
      try {
        CpuAffinity.ofCurrentThread();
      } catch (Throwable t) {
        thrown.set(t);
      }
    }).join();
    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("virtual");
  }
}
