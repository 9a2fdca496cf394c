package dev.nucleus.kernel;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck: the notification word of each thread (notifyBits, pollNotifications,
 * waitNotifications with a zero timeout, setNotificationMask) is linearizable with respect to
 * {@link NotificationSpec}, a word per thread that bits are ORed into and taken from.
 */
@Tag("system")
@DisplayName("Notifications are linearizable")
public class NotificationLinearizabilityTest {

  static final int THREADS = 3;
  /**
   * IPC threads: one per scenario thread, and more for Lincheck's init and post parts, which
   * ThreadIdGen numbers after the scenario threads.
   */
  static final int SLOTS = THREADS + 2;
  static int instances;
  private static AdoptedThreads previous;

  private final AdoptedThreads threads;

  /** One fresh kernel per Lincheck invocation; the previous invocation's is closed. */
  public NotificationLinearizabilityTest() {
    if (previous != null) {
      previous.close();
    }
    instances++;
    threads = new AdoptedThreads(SLOTS, WaitStrategy.SPIN);
    previous = threads;
  }

  /**
   * ORs bit {@code bit} into thread {@code to}'s word.
   *
   * @param me the scenario thread running this
   * @param to the thread notified, possibly {@code me}
   * @param bit which of three bits
   * @return the status
   */
  @Operation
  public String notifyBits(@Param(gen = ThreadIdGen.class) int me, @Param(gen = IntGen.class, conf = "0:2") int to,
      @Param(gen = IntGen.class, conf = "0:2") int bit) {
    return Status.toString(threads.adopt(me).notifyBits(threads.id(to), 1L << bit));
  }

  @Operation
  public long pollNotifications(@Param(gen = ThreadIdGen.class) int me) {
    return threads.adopt(me).pollNotifications();
  }

  @Operation
  public String waitNotifications(@Param(gen = ThreadIdGen.class) int me) {
    final IpcThread t = threads.adopt(me);
    final int status = t.waitNotifications(dev.nucleus.kernel.Timeout.ZERO);
    return Status.isOk(status) ? "OK " + t.mr(1) : Status.toString(status);
  }

  @Operation
  public void setNotificationMask(@Param(gen = ThreadIdGen.class) int me, @Param(gen = IntGen.class, conf = "0:2") int mask) {
    threads.adopt(me).setNotificationMask(NotificationSpec.MASKS[mask]);
  }

  @Test
  @Timeout(240) // a hang guard: on a loaded 2-CPU machine the search has taken over 60 s
  @DisplayName("in model checking, where Lincheck can switch threads only between the kernel's segment accesses")
  void modelChecking() {
    instances = 0;
    new ModelCheckingOptions().iterations(8).invocationsPerIteration(60).threads(THREADS).actorsPerThread(3)
        .actorsBefore(1).actorsAfter(1)
        .sequentialSpecification(NotificationSpec.class).check(NotificationLinearizabilityTest.class);
    System.out.println("model checking invocations: " + instances);
  }

  @Test
  @Timeout(240) // a hang guard: on a loaded 2-CPU machine the search has taken over 60 s
  @DisplayName("in stress mode, on real threads")
  void stress() {
    instances = 0;
    new StressOptions().iterations(20).invocationsPerIteration(100).threads(THREADS).actorsPerThread(3)
        .actorsBefore(1).actorsAfter(1)
        .sequentialSpecification(NotificationSpec.class).check(NotificationLinearizabilityTest.class);
    System.out.println("stress invocations: " + instances);
  }

  /** The sequential specification: one pending word and one mask per thread. */
  public static final class NotificationSpec {
    static final long[] MASKS = {-1L, 0b011L, 0b100L};
    private final long[] pending = new long[SLOTS];
    private final long[] mask = java.util.stream.LongStream.generate(() -> -1L).limit(SLOTS).toArray();

    public String notifyBits(int me, int to, int bit) {
      pending[to] |= 1L << bit;
      return Status.toString(Status.OK);
    }

    public long pollNotifications(int me) {
      final long taken = pending[me] & mask[me];
      pending[me] &= ~taken;
      return taken;
    }

    public String waitNotifications(int me) {
      final long taken = pollNotifications(me);
      return taken != 0 ? "OK " + taken : Status.toString(Status.receive(Status.NO_PARTNER));
    }

    public void setNotificationMask(int me, int m) {
      mask[me] = MASKS[m];
    }
  }
}
