package dev.nucleus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.CpuAffinity;
import dev.nucleus.bench.peers.Scratch;
import dev.nucleus.kernel.Kernel;
import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import dev.nucleus.kernel.WaitStrategy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pinned run puts both ends of a mechanism on the pinned CPUs, as {@code /proc/<pid>/status}
 * reports them, for each way the bench's mechanisms start their other end (a process from the
 * calling thread, a child JVM, a process space), and gives the calling thread its mask back.
 */
@Timeout(120)
class PinnedTest {

  private BitSet saved;

  @BeforeEach
  void affinityWorksHere() {
    assumeTrue(CpuAffinity.unavailableReason() == null, CpuAffinity.unavailableReason());
    saved = CpuAffinity.ofCurrentThread();
  }

  @AfterEach
  void threadKeepsItsMaskAndNothingIsLeftInDevShm() throws Exception {
    assertThat(CpuAffinity.ofCurrentThread()).as("the test thread's mask after the run").isEqualTo(saved);
    try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
      final String mine = "nucleus-" + ProcessHandle.current().pid() + "-";
      assertThat(files.filter(f -> f.getFileName().toString().startsWith(mine)).toList())
          .as("segments left in /dev/shm")
          .isEmpty();
    }
  }

  /** {@code Cpus_allowed_list} of {@code /proc/<what>/status}: a pid, {@code pid/task/tid}, {@code thread-self}. */
  private static BitSet allowedCpus(String what) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", what, "status"))) {
      if (line.startsWith("Cpus_allowed_list:")) {
        return CpuAffinity.parse(line.substring("Cpus_allowed_list:".length()));
      }
    }
    throw new AssertionError("no Cpus_allowed_list in /proc/" + what + "/status");
  }

  /** What a probe's run does while the masks are noted: start its other end, note its mask. */
  private interface Body {
    void run(Map<String, BitSet> masks) throws Exception;
  }

  /** A mechanism that starts its other end as {@code body} says and notes the masks it finds. */
  private static final class Probe implements PingPong {
    final Map<String, BitSet> masks = new LinkedHashMap<>();
    private final Body body;

    Probe(Body body) {
      this.body = body;
    }

    @Override
    public String name() {
      return "probe";
    }

    @Override
    public String floor() {
      return "floor-probe";
    }

    @Override
    public String unavailableReason() {
      return null;
    }

    @Override
    public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
      masks.put("calling thread", allowedCpus("thread-self"));
      body.run(masks);
      for (int i = 0; i < iterations; i++) Latencies.record(roundTripsNs, 1);
    }
  }

  private static BitSet highestAllowed() {
    final BitSet one = new BitSet();
    one.set(CpuAffinity.ofCurrentThread().length() - 1);
    return one;
  }

  private static Map<String, BitSet> runPinned(Body body) throws Exception {
    final Probe probe = new Probe(body);
    final Histogram h = Latencies.newHistogram();
    Pinned.onOneCpu(probe).run(0, 3, h);
    assertThat(h.getTotalCount()).isEqualTo(3);
    return probe.masks;
  }

  @Test
  @DisplayName("a process started from the pinned thread, and the process it forks, run on the pinned CPU (CFloor's ends)")
  void processesForkedFromTheCallingThreadInheritTheMask() throws Exception {
    final Map<String, BitSet> masks =
        runPinned(
            m -> {
              final Process p = new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; wait").start();
              try {
                final String grandchild =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                m.put("child", allowedCpus(Long.toString(p.pid())));
                m.put("grandchild", allowedCpus(grandchild.strip()));
              } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
              }
            });
    assertThat(masks).containsOnlyKeys("calling thread", "child", "grandchild");
    assertThat(masks.values()).allMatch(highestAllowed()::equals);
  }

  @Test
  @DisplayName("a child JVM started from the pinned thread runs every one of its threads on the pinned CPU (the peers' echo side, ForkedPingPong's child)")
  void childJvmsInheritTheMaskInEveryThread() throws Exception {
    final Map<String, BitSet> masks =
        runPinned(
            m -> {
              try (Scratch scratch = Scratch.create();
                  ChildJvm child = ChildJvm.start(scratch, "pinned-probe", AwaitEofMain.class, List.of(), List.of())) {
                child.awaitReady(Duration.ofSeconds(60));
                final long pid = child.process().pid();
                try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                  for (Path task : tasks.toList()) {
                    m.put("child JVM thread " + task.getFileName(), allowedCpus(pid + "/task/" + task.getFileName()));
                  }
                }
              }
            });
    assertThat(masks).hasSizeGreaterThan(5); // the calling thread, the JVM's main, GC, JIT, ... threads
    assertThat(masks.values()).allMatch(highestAllowed()::equals);
  }

  @Test
  @DisplayName("a process space spawned by a kernel created in the pinned run runs on the pinned CPU (nucleus-process-block-pinned's server)")
  void processSpacesOfAKernelCreatedInTheRunInheritTheMask() throws Exception {
    final Map<String, BitSet> masks =
        runPinned(
            m -> {
              try (Kernel kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(WaitStrategy.BLOCK))) {
                final Space client = kernel.createSpace("client");
                try (ProcessSpace echo = kernel.spawnProcessSpace("echo", EchoComponent.class, client)) {
                  echo.awaitPublished(Duration.ofSeconds(30));
                  m.put("process space", allowedCpus(Long.toString(echo.pid())));
                }
              }
            });
    assertThat(masks).containsOnlyKeys("calling thread", "process space");
    assertThat(masks.values()).allMatch(highestAllowed()::equals);
  }

  @Test
  @DisplayName("Pinned.of pins to the CPUs it is given")
  void pinsToTheGivenCpus() throws Exception {
    final BitSet lowest = new BitSet();
    lowest.set(saved.nextSetBit(0));
    final Probe probe = new Probe(m -> {});
    Pinned.of(probe, lowest).run(0, 1, Latencies.newHistogram());
    assertThat(probe.masks.get("calling thread")).isEqualTo(lowest);
  }

  @Test
  @DisplayName("the calling thread gets its mask back when the run fails, and the failure is the run's")
  void restoresTheMaskWhenTheRunFails() {
    final Probe failing = new Probe(m -> {
      throw new IllegalStateException("partner vanished");
    });
    assertThatThrownBy(() -> Pinned.onOneCpu(failing).run(0, 1, Latencies.newHistogram()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("partner vanished");
    assertThat(failing.masks.get("calling thread")).isEqualTo(highestAllowed());
    // @AfterEach checks the thread's mask is the saved one
  }

  @Test
  @DisplayName("a pinned twin is named <name>-pinned, judged against its floor pinned alike, and kept out of the size chart")
  void namesItsTwinAndItsFloor() {
    final PingPong pinned = Pinned.onOneCpu(FakePingPong.constant("pipe", "floor-c-futex", 1));
    assertThat(pinned.name()).isEqualTo("pipe-pinned");
    assertThat(pinned.floor()).isEqualTo("floor-c-futex-pinned");
    assertThat(pinned.messageSize()).isNull();
    assertThat(Pinned.onOneCpu(CFloor.futex()).floor()).as("a pinned floor is a floor").isNull();
    assertThat(pinned.description()).endsWith("both ends pinned to one CPU (the highest this bench may use)");
  }

  @Test
  @DisplayName("each pinned twin the bench registers records every measured round trip (smoke, tiny counts)")
  void theRegisteredTwinsRun() throws Exception {
    for (PingPong twin : MechanismRegistry.pinnedBlocking()) {
      if (twin.unavailableReason() != null) {
        continue; // e.g. the C floor without a compiler; the bench lists it as skipped
      }
      final Histogram h = Latencies.newHistogram();
      twin.run(5, 20, h);
      assertThat(h.getTotalCount()).as(twin.name()).isEqualTo(20);
      assertThat(h.getMinValue()).as(twin.name()).isPositive();
    }
  }

  @Test
  @DisplayName("a pinned run on a virtual thread is refused before anything starts")
  void refusesVirtualThreads() throws Exception {
    final Probe probe = new Probe(m -> {});
    final AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread.ofVirtual().start(() -> {
      try {
        Pinned.onOneCpu(probe).run(0, 1, Latencies.newHistogram());
      } catch (Throwable t) {
        thrown.set(t);
      }
    }).join();
    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
    assertThat(probe.masks).isEmpty();
  }
}
