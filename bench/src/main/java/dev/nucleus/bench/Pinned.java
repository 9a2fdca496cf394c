package dev.nucleus.bench;

import dev.nucleus.bench.peers.CpuAffinity;
import java.util.BitSet;
import org.HdrHistogram.Histogram;

/**
 * A mechanism measured with both its ends pinned to one CPU set: {@code <inner>-pinned}. For
 * blocking mechanisms, whose p50 on this VM depends on whether the scheduler put the two ends on
 * one vCPU (a context switch per hand-off) or on two (a halted vCPU to wake, twice), pinning
 * takes that lottery out, so that two blocking mechanisms are compared placed alike (issue 10,
 * item 9; performance.md, "Head-to-head verdicts").
 *
 * <pre>
 *   bench thread: save its mask; sched_setaffinity(cpus)
 *        |-- inner.run(): every process and thread it starts from here inherits the mask
 *        '-- finally: sched_setaffinity(saved mask)
 * </pre>
 *
 * <p><b>Which ends this covers.</b> Linux gives a new process the mask of the thread that forked
 * it ({@code fork}, {@code posix_spawn}, as {@link ProcessBuilder#start()} does on the calling
 * thread) and a new thread its creator's; {@code exec} keeps it. So everything a mechanism starts
 * from the calling thread during its run lands on {@code cpus}:
 *
 * <ul>
 *   <li>{@link CFloor}: the C program (started here) and the partner it forks;
 *   <li>{@link dev.nucleus.bench.peers.PeerPingPong}: the client, which is this thread, and the
 *       echo side's child JVM ({@code ChildJvm.start} here), with every thread of it;
 *   <li>{@link NucleusProcessPingPong}: the client (this thread) and the process space's JVM. The
 *       kernel forks that from its own spawner thread, which the kernel's first spawn starts; the
 *       mechanism creates its kernel inside the run, so the spawner is started from this thread
 *       and inherits the mask;
 *   <li>{@link ForkedPingPong}: the child JVM and whatever it starts.
 * </ul>
 *
 * <p>Not covered: threads that existed before the run keep their masks (this JVM's GC and JIT
 * threads, the spawner of a kernel that spawned before). Both ends of a pinned pipe therefore
 * share the CPU with the bench JVM's own housekeeping, like both ends of the pinned Nucleus pair.
 * {@code PinnedTest} checks the masks in {@code /proc/<pid>/status}.
 *
 * <p>The pinned twin is judged against its floor pinned alike: {@link #floor()} is the inner
 * floor's name with {@link #SUFFIX}. Runs on a platform thread only (see {@link CpuAffinity});
 * the harness calls {@link #run} from one.
 */
public final class Pinned extends DelegatingPingPong {

  /** What a pinned twin's name adds to its mechanism's name. */
  public static final String SUFFIX = "-pinned";

  private final BitSet cpus; // null: the highest CPU the calling thread may use, found per run

  private Pinned(PingPong inner, BitSet cpus) {
    super(inner);
    this.cpus = cpus;
  }

  /**
   * {@code inner} with its ends pinned to {@code cpus}.
   *
   * @throws IllegalArgumentException if {@code cpus} is empty
   */
  public static Pinned of(PingPong inner, BitSet cpus) {
    if (cpus.isEmpty()) throw new IllegalArgumentException("no CPU to pin " + inner.name() + " to");
    return new Pinned(inner, (BitSet) cpus.clone());
  }

  /**
   * {@code inner} with both ends on one CPU: the highest-numbered one the calling thread may use
   * when the run starts (the same one run after run; not CPU 0, which takes more of the machine's
   * interrupts). What the bench's pinned twins use.
   */
  public static Pinned onOneCpu(PingPong inner) {
    return new Pinned(inner, null);
  }

  /** The mechanism that is pinned. */
  public PingPong inner() {
    return inner;
  }

  /** The CPUs a run starting now on this thread would pin to. */
  public BitSet cpusForThisThread() {
    if (cpus != null) return (BitSet) cpus.clone();
    final BitSet allowed = CpuAffinity.ofCurrentThread();
    final BitSet one = new BitSet();
    one.set(allowed.length() - 1);
    return one;
  }

  @Override
  public String name() {
    return inner.name() + SUFFIX;
  }

  @Override
  public String floor() {
    return inner.floor() == null ? null : inner.floor() + SUFFIX;
  }

  @Override
  public String unavailableReason() {
    final String reason = inner.unavailableReason();
    return reason != null ? reason : CpuAffinity.unavailableReason();
  }

  @Override
  public String description() {
    return inner.description()
        + "; both ends pinned to "
        + (cpus == null
            ? "one CPU (the highest this bench may use)"
            : "CPUs " + CpuAffinity.format(cpus));
  }

  /** None: a pinned twin is not part of the size sweep or its chart. */
  @Override
  public MessageSize messageSize() {
    return null;
  }

  /**
   * Pins the calling thread, runs {@code inner}, and gives the thread its mask back, whatever
   * the run does.
   *
   * @throws IllegalStateException if the mask cannot be set or restored, or on a virtual thread
   */
  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    final BitSet saved = CpuAffinity.ofCurrentThread();
    CpuAffinity.setCurrentThread(cpusForThisThread());
    Throwable failure = null;
    try {
      inner.run(warmup, iterations, roundTripsNs);
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      try {
        CpuAffinity.setCurrentThread(saved);
      } catch (RuntimeException e) {
        if (failure == null) throw e;
        failure.addSuppressed(e);
      }
    }
  }
}
