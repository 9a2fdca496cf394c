package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jetbrains.lincheck.datastructures.verifier.EpsilonVerifier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck drives zero and short timeouts and aborts across three threads and a server, and a
 * validation after every execution checks exactly-once delivery against what each sender was
 * told.
 *
 * <p>Why not a sequential specification: whether a zero-timeout send finds its partner waiting,
 * or a 1 ms receive sees a sender in time, depends on timing, not on the order of operations, so
 * no deterministic specification predicts those statuses (Lincheck checks blocking operations
 * against a specification only as Kotlin suspending functions, which the kernel's thread-blocking
 * IPC is not). What the kernel does promise whatever the timing is checked instead, from a ledger
 * of every message's unique token:
 *
 * <ul>
 *   <li>a send or call that returned OK, or that failed in the RECEIVE phase (the request was
 *       delivered, the reply never came), was taken by its receiver exactly once;
 *   <li>one that failed in the SEND phase (NO_PARTNER, TIMEOUT, ABORTED) was never taken;
 *   <li>nothing was taken that no sender sent, every delivery names its real sender, and every
 *       reply reaches the caller it answers.
 * </ul>
 */
@Tag("system")
@DisplayName("Zero and short timeouts and aborts deliver each message exactly once or report it")
public class ExactlyOnceLincheckTest {

  static final int THREADS = 3;
  /** Scenario threads, the two more ThreadIdGen numbers the init and post parts with, the auditor. */
  static final int SLOTS = THREADS + 2;
  private static final int AUDITOR = SLOTS;
  private static final long PEER = 3;
  private static final long SHORT = Timeout.relative(Duration.ofMillis(1));
  private static final long HANG_GUARD = Timeout.relative(Duration.ofSeconds(10));
  static int instances;
  static int validations;
  /** How often each outcome was seen, for the figures the test prints: "server OK" and so on. */
  static final Map<String, Integer> OUTCOMES = new java.util.concurrent.ConcurrentHashMap<>();
  private static AdoptedThreads previous;

  /** What one sender was told about one message. */
  private record Sent(long token, boolean toServer, int status) {}

  /** One message a scenario thread received from another. */
  private record Received(long token, long sender) {}

  private final AdoptedThreads threads;
  private final CounterServer server;
  private final long[] nextToken = new long[SLOTS + 1];
  private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final Queue<String> misrouted = new ConcurrentLinkedQueue<>();

  /** One fresh kernel and server per Lincheck invocation; the previous invocation's is closed. */
  public ExactlyOnceLincheckTest() {
    if (previous != null) {
      previous.close();
    }
    instances++;
    threads = new AdoptedThreads(SLOTS + 1, WaitStrategy.ADAPTIVE);
    server = new CounterServer(threads.space());
    previous = threads;
  }

  /**
   * Calls the server with a zero send timeout: OK only if it is waiting already.
   *
   * @param me the scenario thread
   * @return the status
   */
  @Operation
  public String callZero(@Param(gen = ThreadIdGen.class) int me) {
    return call(me, Timeout.ZERO, SHORT);
  }

  /**
   * Calls the server with 1 ms for each phase.
   *
   * @param me the scenario thread
   * @return the status
   */
  @Operation
  public String callShort(@Param(gen = ThreadIdGen.class) int me) {
    return call(me, SHORT, SHORT);
  }

  /**
   * Sends to the server with a zero timeout.
   *
   * @param me the scenario thread
   * @return the status
   */
  @Operation
  public String sendZeroToServer(@Param(gen = ThreadIdGen.class) int me) {
    final IpcThread t = threads.adopt(me);
    final long token = prepare(t, me, CounterServer.ADD);
    final int status = t.send(server.id(), Timeout.ZERO);
    sent.add(new Sent(token, true, status));
    return Status.toString(status);
  }

  /**
   * Sends to another scenario thread, with a zero or a 1 ms timeout.
   *
   * @param me the scenario thread
   * @param to the thread sent to, possibly {@code me} (then never taken: it is not receiving)
   * @param zero whether the timeout is zero
   * @return the status
   */
  @Operation
  public String sendToPeer(@Param(gen = ThreadIdGen.class) int me, @Param(gen = IntGen.class, conf = "0:2") int to,
      @Param(gen = IntGen.class, conf = "0:1") int zero) {
    final IpcThread t = threads.adopt(me);
    final long token = prepare(t, me, PEER);
    final int status = t.send(threads.id(to), zero == 1 ? Timeout.ZERO : SHORT);
    sent.add(new Sent(token, false, status));
    return Status.toString(status);
  }

  /**
   * Waits 1 ms for a message from any thread.
   *
   * @param me the scenario thread
   * @return the status
   */
  @Operation
  public String receive(@Param(gen = ThreadIdGen.class) int me) {
    final IpcThread t = threads.adopt(me);
    final int status = t.waitAny(SHORT);
    if (Status.isOk(status)) {
      received.add(new Received(t.mr(2), t.sender()));
    }
    return Status.toString(status);
  }

  /**
   * Aborts another scenario thread's IPC in progress, if any.
   *
   * @param me the scenario thread
   * @param whom the thread aborted
   */
  @Operation
  public void abort(@Param(gen = ThreadIdGen.class) int me, @Param(gen = IntGen.class, conf = "0:2") int whom) {
    threads.peek(whom).abort();
  }

  private String call(int me, long sendTimeout, long receiveTimeout) {
    final IpcThread t = threads.adopt(me);
    final long token = prepare(t, me, CounterServer.ADD);
    final int status = t.call(server.id(), sendTimeout, receiveTimeout);
    sent.add(new Sent(token, true, status));
    if (Status.isOk(status) && (t.sender() != server.id() || t.mr(2) != token)) {
      misrouted.add("the reply to " + token + " came from " + ThreadId.toString(t.sender()) + " for " + t.mr(2));
    }
    return Status.toString(status);
  }

  /** Fills the registers with a message carrying a fresh token, and returns the token. */
  private long prepare(IpcThread t, int me, long label) {
    final long token = ((long) me << 32) | ++nextToken[me];
    t.setTag(MessageTag.of(label, 2));
    t.setMr(1, 1);
    t.setMr(2, token);
    return token;
  }

  /** After every execution: the ledger balances. */
  @Validate
  public void eachMessageDeliveredExactlyOnceOrReported() {
    validations++;
    // The server takes messages one at a time: once it has answered this call, it has finished
    // with every message delivered to it before (some of whose callers stopped waiting).
    final IpcThread auditor = threads.adopt(AUDITOR);
    prepare(auditor, AUDITOR, CounterServer.GET);
    assertThat(Status.toString(auditor.call(server.id(), HANG_GUARD, HANG_GUARD))).isEqualTo("OK");
    final long auditToken = auditor.mr(2);

    final Map<Long, Integer> takenByServer = count(server.taken.stream().filter(t -> t != auditToken).toList());
    final Map<Long, Integer> takenByPeers = count(received.stream().map(Received::token).toList());
    final List<String> wrong = new ArrayList<>(misrouted);
    for (Sent s : sent) {
      OUTCOMES.merge((s.toServer() ? "server " : "peer ") + Status.toString(s.status()), 1, Integer::sum);
      final Map<Long, Integer> taken = s.toServer() ? takenByServer : takenByPeers;
      final int times = taken.getOrDefault(s.token(), 0);
      final int expected = Status.failedInSend(s.status()) ? 0 : 1;
      if (times != expected) {
        wrong.add("message " + s.token() + " (" + Status.toString(s.status()) + ") taken " + times + " times");
      }
      taken.remove(s.token());
    }
    takenByServer.keySet().forEach(t -> wrong.add("the server took " + t + ", which nobody sent"));
    takenByPeers.keySet().forEach(t -> wrong.add("a thread took " + t + ", which nobody sent"));
    for (Received r : received) {
      if (r.sender() != threads.id((int) (r.token() >>> 32))) {
        wrong.add("message " + r.token() + " stamped with sender " + ThreadId.toString(r.sender()));
      }
    }
    assertThat(wrong).as("the ledger").isEmpty();
  }

  private static Map<Long, Integer> count(List<Long> tokens) {
    final Map<Long, Integer> counts = new HashMap<>();
    tokens.forEach(t -> counts.merge(t, 1, Integer::sum));
    return counts;
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  @DisplayName("in stress mode, on real threads, with the ledger checked after every execution")
  void stress() {
    instances = 0;
    validations = 0;
    new StressOptions().iterations(15).invocationsPerIteration(100).threads(THREADS).actorsPerThread(4)
        .actorsBefore(0).actorsAfter(0).verifier(EpsilonVerifier.class).check(ExactlyOnceLincheckTest.class);
    System.out.println("stress invocations: " + instances + ", ledgers checked: " + validations + ", outcomes: "
        + new java.util.TreeMap<>(OUTCOMES));
    assertThat(validations).as("validations run").isPositive();
  }
}
