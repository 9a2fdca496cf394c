package dev.nucleus.kernel;

import java.time.Duration;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: call, send and replyWait across three client threads and one server thread are
 * linearizable with respect to {@link CounterSpec}. The server is a counter ({@link CounterServer})
 * that runs replyWait in a loop; its state changes only when a message reaches it, so any lost,
 * doubled or misrouted message, or a reply given to the wrong caller, shows up as a history no
 * sequential counter can produce.
 *
 * <p>The clients' timeouts are hang guards (10 s), never expected to expire: a status other than
 * OK is a result the specification never gives, so it fails the check instead of hanging.
 */
@Tag("system")
@DisplayName("Call, send and replyWait to one server are linearizable")
public class RendezvousLinearizabilityTest {

  static final int THREADS = 3;
  /** Scenario threads and the two more that ThreadIdGen numbers Lincheck's init and post parts with. */
  static final int SLOTS = THREADS + 2;
  private static final long HANG_GUARD = Timeout.relative(Duration.ofSeconds(10));
  static int instances;
  private static AdoptedThreads previous;

  private final AdoptedThreads threads;
  private final CounterServer server;
  /** Per scenario thread, the token of its next request; each slot is written by its own thread. */
  private final long[] nextToken = new long[SLOTS];

  /** One fresh kernel and server per Lincheck invocation; the previous invocation's is closed. */
  public RendezvousLinearizabilityTest() {
    if (previous != null) {
      previous.close();
    }
    instances++;
    threads = new AdoptedThreads(SLOTS, WaitStrategy.ADAPTIVE);
    server = new CounterServer(threads.space());
    previous = threads;
  }

  /**
   * Calls ADD: returns the counter before the addition.
   *
   * @param me the scenario thread
   * @param amount what to add
   * @return the value the server had, or what went wrong
   */
  @Operation
  public String callAdd(@Param(gen = ThreadIdGen.class) int me, @Param(gen = IntGen.class, conf = "1:3") int amount) {
    return call(me, CounterServer.ADD, amount);
  }

  /**
   * Calls GET.
   *
   * @param me the scenario thread
   * @return the value, or what went wrong
   */
  @Operation
  public String callGet(@Param(gen = ThreadIdGen.class) int me) {
    return call(me, CounterServer.GET, 0);
  }

  /**
   * Sends ADD: the server adds, and answers nothing.
   *
   * @param me the scenario thread
   * @param amount what to add
   * @return the status of the send
   */
  @Operation
  public String sendAdd(@Param(gen = ThreadIdGen.class) int me, @Param(gen = IntGen.class, conf = "1:3") int amount) {
    final IpcThread t = threads.adopt(me);
    t.setTag(MessageTag.of(CounterServer.ADD, 2));
    t.setMr(1, amount);
    t.setMr(2, token(me));
    return Status.toString(t.send(server.id(), HANG_GUARD));
  }

  private String call(int me, long label, long amount) {
    final IpcThread t = threads.adopt(me);
    final long token = token(me);
    t.setTag(MessageTag.of(label, 2));
    t.setMr(1, amount);
    t.setMr(2, token);
    final int status = t.call(server.id(), HANG_GUARD, HANG_GUARD);
    if (!Status.isOk(status)) {
      return Status.toString(status);
    }
    if (t.sender() != server.id() || t.mr(2) != token || MessageTag.label(t.tag()) != label) {
      return "misrouted reply: " + MessageTag.toString(t.tag()) + " token " + t.mr(2) + " for " + token;
    }
    return Long.toString(t.mr(1));
  }

  private long token(int me) {
    return ((long) me << 32) | ++nextToken[me];
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  @DisplayName("in stress mode, on real threads")
  void stress() {
    instances = 0;
    new StressOptions().iterations(20).invocationsPerIteration(150).threads(THREADS).actorsPerThread(3)
        .actorsBefore(1).actorsAfter(1)
        .sequentialSpecification(CounterSpec.class).check(RendezvousLinearizabilityTest.class);
    System.out.println("stress invocations: " + instances);
  }

  /** The sequential specification: a counter. */
  public static final class CounterSpec {
    private long value;

    public String callAdd(int me, int amount) {
      final long before = value;
      value += amount;
      return Long.toString(before);
    }

    public String callGet(int me) {
      return Long.toString(value);
    }

    public String sendAdd(int me, int amount) {
      value += amount;
      return Status.toString(Status.OK);
    }
  }
}
