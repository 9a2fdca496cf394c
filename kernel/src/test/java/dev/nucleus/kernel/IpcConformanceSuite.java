package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nucleus.kernel.IpcState.Kind;
import dev.nucleus.kernel.Site.Actor;
import dev.nucleus.kernel.Site.EndpointRef;
import dev.nucleus.kernel.Site.Peer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;

/**
 * The kernel's IPC conformance suite, after seL4's sel4test IPC tests: every scenario has a
 * stable id (IPCnnnn) and a title that states the behaviour it checks, as DESIGN.md's
 * "Semantics that docs/protocol.md must state" fixes it.
 *
 * <p>Transport-neutral: the test thread ({@link World#me()}) lives in the <em>local</em>
 * {@link Site}, its partners mostly in the <em>remote</em> one, and a subclass says what the two
 * are ({@link #newWorld}):
 *
 * <ul>
 *   <li>{@link ThreadSpaceConformanceTest}: two thread spaces of the root;
 *   <li>{@link ProcessSpaceConformanceTest}: the partners in a process space, the test thread in
 *       the root space it is linked to;
 *   <li>{@link RootServerConformanceTest}: the other way round, the test thread in a process
 *       space and the partners (the servers) in the root.
 * </ul>
 *
 * The partners' behaviour is in the named behaviours of {@link Partners}, which run in either
 * kind of space. A scenario that cannot apply to a kind of space says why, with an assumption
 * ({@link #assumeThat}), where it stands; a behaviour that one kind of space does not have (a
 * divergence of the kernel the suite found) is marked as such ({@link #knownDivergence}), last in
 * its scenario. Of the three the process-space runs first found, two are fixed (an endpoint closed
 * under a wait in several tables; a space number beyond the root's, named from a process); one
 * stays, because a process cannot see more: a live root thread of a space its link does not join
 * has no port in the link's table, so the process reads STALE_ID where the root reads
 * NOT_PERMITTED.
 *
 * <p>Staging without sleeping: a start order ("receiver first", "sender first") is set up by
 * polling the partner's {@link IpcState} until it is RECEIVING, SENDING or WAITING_FOR_REPLY
 * ({@link #awaitState}). No test asserts a duration: timeouts are checked by their status only.
 *
 * <p>Wait strategies: scenarios whose outcome must hold for every strategy run under each; the
 * test thread and its one main partner use the strategy under test, extra partners that mostly
 * idle use BLOCK, so that at most two threads ever spin on a two-core machine.
 */
@org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS,
    threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class IpcConformanceSuite {

  /** How long the test thread waits for a partner's report or state before failing. */
  protected static final Duration PATIENCE = Duration.ofSeconds(10);
  /** A receive timeout for the test thread: long enough never to expire in a passing run. */
  protected static final long PATIENT = Timeout.relative(PATIENCE);
  /** A timeout meant to expire. */
  protected static final long SHORT = Timeout.relative(Duration.ofMillis(5));
  /** How long a "nothing happens" observation watches. */
  protected static final Duration QUIET = Duration.ofMillis(20);

  /** Whether the test failed (seen before {@link #tearDown}, which may then discard what it shares). */
  @RegisterExtension
  final Outcome outcome = new Outcome();

  private final List<World> worlds = new ArrayList<>();

  // --- fixture hooks ------------------------------------------------------------------------

  /**
   * The world of one test: a kernel with {@code config}, the test's site with the test thread
   * {@code me} attached (waiting with {@code config.waitStrategy()}), and the partner site; with
   * a channel between the two, or (not {@code connected}) without. A transport where the two
   * sites cannot be disconnected aborts the test with an assumption that says why.
   */
  protected abstract World newWorld(Kernel.Config config, boolean connected);

  /**
   * Ends {@code f} after its test: closes what the test made, and the kernel unless the
   * transport keeps it for the next test; {@code discard}: the test failed or left the world
   * broken, so nothing of it may be kept.
   */
  protected abstract void endWorld(World f, boolean discard) throws Exception;

  // --- the world of one test ----------------------------------------------------------------

  /**
   * What every test starts from: a kernel, the test's site ({@link #local()}) with the test thread
   * {@link #me()} attached, and a partner site ({@link #remote()}).
   */
  protected static final class World {

    private final Kernel kernel;
    private final Site local;
    private final Site remote;
    private final Actor me;
    private final WaitStrategy strategy;
    /** Spaces a test added ({@link IpcConformanceSuite#otherSite}): ended after it. */
    final List<ThreadSite> extras = new ArrayList<>();
    /** Sites allowed to end with a failure (a test injects one). */
    final Set<Site> mayFail = new HashSet<>();

    protected World(Kernel kernel, Site local, Site remote, Actor me, WaitStrategy strategy) {
      this.kernel = kernel;
      this.local = local;
      this.remote = remote;
      this.me = me;
      this.strategy = strategy;
    }

    Kernel kernel() {
      return kernel;
    }

    /** The test thread's site. */
    Site local() {
      return local;
    }

    /** The partners' site. */
    Site remote() {
      return remote;
    }

    /** The test thread. */
    Actor me() {
      return me;
    }

    WaitStrategy strategy() {
      return strategy;
    }

    long id() {
      return me.id();
    }

    /** Every site of this world whose failure fails the test. */
    List<Site> sites() {
      final List<Site> all = new ArrayList<>(List.of(local, remote));
      all.addAll(extras);
      return all;
    }
  }

  protected final World world(WaitStrategy w) {
    return world(Kernel.Config.defaults().withWaitStrategy(w));
  }

  protected final World world(Kernel.Config config) {
    return track(newWorld(config, true));
  }

  protected final World disconnectedWorld(WaitStrategy w) {
    return track(newWorld(Kernel.Config.defaults().withWaitStrategy(w), false));
  }

  private World track(World f) {
    worlds.add(f);
    return f;
  }

  /**
   * Another site of {@code f}'s kernel whose threads can reach each of {@code reaches}: a new
   * thread space with a channel to each, ended after the test. A process space has one channel
   * only, to the root space it is linked to: a site that must reach one is that root space.
   */
  protected final Site otherSite(World f, String name, Site... reaches) {
    for (Site s : reaches) {
      if (s.space() == null) {
        return f.local().space() != null ? f.local() : f.remote();
      }
    }
    final ThreadSite site = new ThreadSite(f.kernel().createSpace(name));
    f.extras.add(site);
    for (Site s : reaches) {
      f.kernel().createChannel(site.space(), s.space());
    }
    return site;
  }

  /** Lets {@code site} end with a failure (a test injects one). */
  protected final void allowFailure(World f, Site site) {
    f.mayFail.add(site);
  }

  /**
   * A behaviour the scenario states that one kind of space does not have: a divergence of the
   * kernel this suite found (the text says what and why). Where {@code here}, the rest of the
   * scenario is skipped, saying so (so it stands last); elsewhere the scenario runs on.
   */
  protected static void knownDivergence(boolean here, String what) {
    assumeTrue(!here, "kernel divergence: " + what);
  }

  /** Aborts the test (it is skipped, with {@code why}) unless {@code applies}. */
  protected static void assumeThat(boolean applies, String why) {
    assumeTrue(applies, why);
  }

  @AfterEach
  void tearDown() throws Exception {
    final List<Throwable> failures = partnerFailures();
    for (World f : worlds) {
      f.extras.forEach(ThreadSite::end);
    }
    for (World f : worlds) {
      endWorld(f, outcome.failed || !failures.isEmpty());
      for (ThreadSite s : f.extras) {
        assertThat(s.awaitTermination(PATIENCE)).as("threads of %s finish after it ends", s).isTrue();
      }
    }
    if (!failures.isEmpty()) {
      final AssertionError e = new AssertionError("a partner thread failed: " + failures.getFirst());
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  private List<Throwable> partnerFailures() {
    final List<Throwable> out = new ArrayList<>();
    for (World f : worlds) {
      for (Site s : f.sites()) {
        final Throwable failure = s.failure();
        if (failure != null && !f.mayFail.contains(s) && !out.contains(failure)) {
          out.add(failure);
        }
      }
    }
    return out;
  }

  private String failureNote() {
    final List<Throwable> failures = partnerFailures();
    return failures.isEmpty() ? "" : "; partner failures: " + failures;
  }

  /** Records whether the test method failed (a test skipped by an assumption did not), for {@link #tearDown}. */
  static final class Outcome implements AfterTestExecutionCallback {
    volatile boolean failed;

    @Override
    public void afterTestExecution(ExtensionContext context) {
      failed = context.getExecutionException().filter(e -> !(e instanceof TestAbortedException)).isPresent();
    }
  }

  /** A site in a new space of {@code kernel}, for a transport's world. */
  protected static ThreadSite threadSite(Kernel kernel, String name) {
    return new ThreadSite(kernel.createSpace(name));
  }

  // --- assertions and staging -----------------------------------------------------------------

  /** Asserts that {@code actual} is exactly {@code expected} (code and phase). */
  protected final void assertStatus(int actual, int expected, String what) {
    if (actual != expected) {
      fail(what + ": expected " + Status.toString(expected) + " but was " + Status.toString(actual) + failureNote());
    }
  }

  protected final void assertOk(int actual, String what) {
    assertStatus(actual, Status.OK, what);
  }

  /** Asserts that {@code actual} is one of {@code expected}. */
  protected final void assertStatusIn(int actual, String what, int... expected) {
    for (int e : expected) {
      if (actual == e) {
        return;
      }
    }
    fail(what + ": expected one of " + Arrays.stream(expected).mapToObj(Status::toString).toList()
        + " but was " + Status.toString(actual) + failureNote());
  }

  /** Collects status mismatches so that one run reports all of them (see {@link #checks()}). */
  protected final class Checks {
    private final List<String> mismatches = new ArrayList<>();

    /** Records a mismatch unless {@code actual} is one of {@code expected}. */
    public Checks status(int actual, String what, int... expected) {
      for (int e : expected) {
        if (actual == e) {
          return this;
        }
      }
      mismatches.add(what + ": expected " + (expected.length == 1 ? Status.toString(expected[0])
          : Arrays.stream(expected).mapToObj(Status::toString).toList()) + " but was " + Status.toString(actual));
      return this;
    }

    /** Records {@code what} as a mismatch unless {@code holds}. */
    public Checks that(boolean holds, String what) {
      if (!holds) {
        mismatches.add(what);
      }
      return this;
    }

    /** Fails with every recorded mismatch. */
    public void verify() {
      if (!mismatches.isEmpty()) {
        fail(mismatches.size() + " mismatch(es):\n  " + String.join("\n  ", mismatches) + failureNote());
      }
    }
  }

  protected final Checks checks() {
    return new Checks();
  }

  /** Polls {@code t}'s IPC state until it is {@code kind}; fails after {@link #PATIENCE}. */
  protected final IpcState awaitState(Peer t, Kind kind) {
    return awaitState(t, s -> s.kind() == kind, kind.toString());
  }

  /** Polls {@code t}'s IPC state until {@code p} holds; fails after {@link #PATIENCE}. */
  protected final IpcState awaitState(Peer t, Predicate<IpcState> p, String what) {
    final long deadline = System.nanoTime() + PATIENCE.toNanos();
    int polls = 0;
    while (true) {
      final IpcState s = t.ipcState();
      if (p.test(s)) {
        return s;
      }
      if (s.kind() == Kind.DEAD) {
        fail(t + " died while the test waited for it to be " + what + failureNote());
      }
      if (System.nanoTime() > deadline) {
        fail(t + " is still " + s + ", not " + what + failureNote());
      }
      if (++polls < 64) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(50_000);
      }
    }
  }

  /** Polls until {@code t} has exited (its state reads DEAD). */
  protected final void awaitExit(Peer t) {
    final long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (t.ipcState().kind() != Kind.DEAD) {
      if (System.nanoTime() > deadline) {
        fail(t + " did not exit; still " + t.ipcState() + failureNote());
      }
      LockSupport.parkNanos(50_000);
    }
  }

  /** Asserts that {@code t} stays {@code kind} while {@link #QUIET} passes (nothing wakes it). */
  protected final void assertStays(Peer t, Kind kind) {
    final long end = System.nanoTime() + QUIET.toNanos();
    do {
      assertThat(t.ipcState().kind()).as("%s stays %s", t, kind).isEqualTo(kind);
      LockSupport.parkNanos(200_000);
    } while (System.nanoTime() < end);
  }

  /**
   * Receives {@code from}'s next report (closed receive) and returns its words; asserts that it
   * is a report and stamped with {@code from}'s id.
   */
  protected final long[] awaitReport(World f, Peer from) {
    final Actor me = f.me();
    assertOk(me.receive(from.id(), PATIENT), "receiving the report of " + from);
    assertThat(MessageTag.label(me.tag())).as("label of %s's report", from).isEqualTo(Partners.REPORT);
    assertThat(me.sender()).as("sender of the report").isEqualTo(from.id());
    final long[] words = new long[MessageTag.untyped(me.tag())];
    for (int i = 0; i < words.length; i++) {
      words[i] = me.mr(i + 1);
    }
    return words;
  }

  /** Sets a one-word message {@code [label, MR1 = word]}. */
  protected static void message(Actor t, long label, long word) {
    t.setTag(MessageTag.of(label, 1));
    t.setMr(1, word);
  }

  /** Asserts the received message {@code [status, sender, tag, MR1]} a partner reported. */
  protected final void assertReceived(long[] report, int status, long sender, long label, long word) {
    assertStatus((int) report[0], status, "status the partner saw");
    if (status == Status.OK) {
      assertThat(report[1]).as("sender the partner saw: %s", ThreadId.toString(report[1])).isEqualTo(sender);
      assertThat(MessageTag.label(report[2])).as("label the partner saw").isEqualTo(label);
      assertThat(report[3]).as("MR1 the partner saw").isEqualTo(word);
    }
  }

  protected final void assertMessage(Actor t, long sender, long label, long word) {
    assertThat(t.sender()).as("sender: %s", ThreadId.toString(t.sender())).isEqualTo(sender);
    assertThat(MessageTag.label(t.tag())).as("label").isEqualTo(label);
    assertThat(MessageTag.words(t.tag())).as("words").isEqualTo(1);
    assertThat(t.mr(1)).as("MR1").isEqualTo(word);
  }

  /** Starts a partner thread running {@code behaviour} in {@code site}. */
  protected static Peer spawn(Site site, String name, WaitStrategy w, Partners.Behaviour behaviour) {
    return site.spawn(name, w, behaviour);
  }

  /** Writes the seeded message of {@code length} words into {@code t}'s registers (see {@link Partners.Seeded}). */
  protected static void fillSeeded(Actor t, long seed, int length) {
    final long[] m = Partners.Seeded.message(seed, length);
    t.setTag(m[0]);
    for (int i = 1; i <= length; i++) {
      t.setMr(i, m[i]);
    }
  }

  /** Index of the first of {@code t}'s registers (0 = tag) that differs from the seeded message, or -1. */
  protected static int firstMismatch(Actor t, long seed, int length) {
    final long[] m = Partners.Seeded.message(seed, length);
    for (int i = 0; i <= length; i++) {
      if (t.mr(i) != m[i]) {
        return i;
      }
    }
    return -1;
  }

  static Stream<Arguments> strategiesAndRegisterCounts() {
    return Stream.of(WaitStrategy.values()).flatMap(w -> Stream.of(Arguments.of(w, 8), Arguments.of(w, 64)));
  }

  private static final String EACH = "{0}";
  private static final String EACH_MRS = "{0}, {1} registers";

  // ============================================================================================
  // IPC00xx send and receive
  // ============================================================================================

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0001 send + closed receive, receiver first: delivered, sender id stamped")
  void sendToClosedReceiverWaitingFirst(WaitStrategy w) {
    final World f = world(w);
    final Peer r = spawn(f.remote(), "receiver", w, Partners.receiveAndReport(f.id(), Timeout.NEVER, f.id()));
    assertThat(awaitState(r, Kind.RECEIVING).partner()).isEqualTo(f.id());
    message(f.me(), 0x101, 0xCAFE);
    assertOk(f.me().send(r.id(), Timeout.NEVER), "send");
    assertReceived(awaitReport(f, r), Status.OK, f.id(), 0x101, 0xCAFE);
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0002 send + open wait, receiver first: delivered, sender id stamped")
  void sendToOpenReceiverWaitingFirst(WaitStrategy w) {
    final World f = world(w);
    final Peer r = spawn(f.remote(), "receiver", w, Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    assertThat(awaitState(r, Kind.RECEIVING).partner()).isEqualTo(ThreadId.ANY);
    message(f.me(), 0x102, 0xF00D);
    assertOk(f.me().send(r.id(), Timeout.NEVER), "send");
    assertReceived(awaitReport(f, r), Status.OK, f.id(), 0x102, 0xF00D);
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0003 send + closed receive, sender first: the queued message is delivered, sender id stamped")
  void closedReceiveFromSenderWaitingFirst(WaitStrategy w) {
    final World f = world(w);
    final Peer s = spawn(f.remote(), "sender", w, Partners.sendOnce(f.id(), 0x103, 0xBEEF, Timeout.NEVER, f.id()));
    assertThat(awaitState(s, Kind.SENDING).partner()).isEqualTo(f.id());
    assertOk(f.me().receive(s.id(), PATIENT), "closed receive");
    assertMessage(f.me(), s.id(), 0x103, 0xBEEF);
    assertStatus((int) awaitReport(f, s)[0], Status.OK, "the sender's send");
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0004 send + open wait, sender first: the queued message is delivered, sender id stamped")
  void openWaitForSenderWaitingFirst(WaitStrategy w) {
    final World f = world(w);
    final Peer s = spawn(f.remote(), "sender", w, Partners.sendOnce(f.id(), 0x104, 0xD00D, Timeout.NEVER, f.id()));
    awaitState(s, Kind.SENDING);
    assertOk(f.me().waitAny(PATIENT), "open wait");
    assertMessage(f.me(), s.id(), 0x104, 0xD00D);
    assertStatus((int) awaitReport(f, s)[0], Status.OK, "the sender's send");
  }

  @Test
  @DisplayName("IPC0005 the kernel stamps the real ids on a call and its reply, whatever the registers say")
  void senderIdsAreStampedByTheKernel() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Peer server = spawn(f.remote(), "whoAmI", WaitStrategy.ADAPTIVE, Partners.whoAmI());
    final Actor me = f.me();
    me.setTag(MessageTag.of(0x105, 3));
    me.setMr(1, server.id()); // a sender cannot make itself look like another thread
    me.setMr(2, server.id());
    me.setMr(3, ThreadId.NIL);
    assertOk(me.call(server.id()), "call");
    assertThat(me.sender()).as("reply stamped with the server's id").isEqualTo(server.id());
    assertThat(me.mr(1)).as("request stamped with the caller's id").isEqualTo(me.id());
    assertThat(me.mr(2)).as("server's own id").isEqualTo(server.id());
    assertThat(MessageTag.label(me.tag())).isEqualTo(0x105);
  }

  // ============================================================================================
  // IPC01xx call, reply, replyWait
  // ============================================================================================

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0101 call + replyWait ping-pong: every reply answers its own request")
  void callAndReplyWaitPingPong(WaitStrategy w) {
    final World f = world(w);
    final Peer server = spawn(f.remote(), "echo", w, Partners.echo());
    final Actor me = f.me();
    final int rounds = w == WaitStrategy.BLOCK ? 300 : 3000;
    for (int i = 0; i < rounds; i++) {
      me.setTag(MessageTag.of(i & 0xFFFF, 2));
      me.setMr(1, i);
      me.setMr(2, ~(long) i);
      assertOk(me.call(server.id()), "call " + i);
      if (me.sender() != server.id() || me.tag() != MessageTag.of(i & 0xFFFF, 2) || me.mr(1) != i || me.mr(2) != ~(long) i) {
        fail("reply " + i + " wrong: sender " + ThreadId.toString(me.sender()) + ", " + MessageTag.toString(me.tag())
            + ", MR1 " + me.mr(1) + ", MR2 " + me.mr(2));
      }
    }
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0102 call + reply + receive: a server using separate operations answers each call")
  void callAnsweredByReplyThenReceive(WaitStrategy w) {
    final World f = world(w);
    final Peer server = spawn(f.remote(), "server", w, Partners.replyThenReceive());
    final Actor me = f.me();
    final int rounds = w == WaitStrategy.BLOCK ? 200 : 1000;
    for (int i = 0; i < rounds; i++) {
      message(me, 0x102, i);
      assertOk(me.call(server.id()), "call " + i);
      assertMessage(me, server.id(), 0x102, i + 1);
    }
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0103 replyWait with no call to answer only waits")
  void replyWaitWithoutCallerOnlyWaits(WaitStrategy w) {
    final World f = world(w);
    final Peer server = spawn(f.remote(), "server", w, Partners.replyWaitAndReport(f.id()));
    assertThat(awaitState(server, Kind.RECEIVING).partner()).isEqualTo(ThreadId.ANY);
    message(f.me(), 0x103, 7);
    assertOk(f.me().send(server.id(), Timeout.NEVER), "send");
    assertReceived(awaitReport(f, server), Status.OK, f.id(), 0x103, 7);
  }

  @Test
  @DisplayName("IPC0104 a plain send gives no reply capability: reply gets NO_PARTNER, replyWait only waits")
  void plainSendLeavesNothingToReplyTo() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer s = spawn(f.remote(), "sender", WaitStrategy.BLOCK,
        Partners.sendOnce(f.id(), 0x104, 1, Timeout.NEVER, f.id()));
    assertOk(me.receive(s.id(), PATIENT), "receive");
    assertThat(me.canReply()).isFalse();
    assertStatus(me.reply(), Status.send(Status.NO_PARTNER), "reply without a call");
    assertStatus((int) awaitReport(f, s)[0], Status.OK, "the sender's send");
    assertStatus(me.replyWait(SHORT), Status.receive(Status.TIMEOUT), "replyWait with nothing to answer");
  }

  @Test
  @DisplayName("IPC0105 replies are one-shot: a second reply to the same call gets NO_PARTNER")
  void repliesAreOneShot() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer c = spawn(f.remote(), "caller", WaitStrategy.BLOCK,
        Partners.callThenReceiveAndReport(f.id(), f.id()));
    assertOk(me.waitAny(PATIENT), "receive the call");
    assertThat(me.canReply()).isTrue();
    message(me, 0x105, 1);
    assertOk(me.reply(), "first reply");
    assertThat(me.canReply()).isFalse();
    awaitState(c, Kind.RECEIVING);
    message(me, 0x105, 2);
    assertStatus(me.reply(), Status.send(Status.NO_PARTNER), "second reply");
    assertThat(c.ipcState().kind()).as("the caller's later receive is not reached by it").isEqualTo(Kind.RECEIVING);
    message(me, 0x105, 3);
    assertOk(me.send(c.id(), Timeout.NEVER), "send");
    final long[] r = awaitReport(f, c);
    assertStatus((int) r[0], Status.OK, "the call");
    assertStatus((int) r[1], Status.OK, "the later receive");
    assertThat(r[4]).as("the later receive got the plain send, not a second reply").isEqualTo(3);
  }

  @Test
  @DisplayName("IPC0106 replyWait whose reply fails (caller timed out) reports NO_PARTNER in the SEND phase at once")
  void replyWaitToGoneCallerFailsInSendPhase() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer c = spawn(f.remote(), "impatient", WaitStrategy.BLOCK,
        Partners.callAndReport(f.id(), 0x106, 1, Timeout.NEVER, SHORT, f.id()));
    assertOk(me.waitAny(PATIENT), "receive the call");
    assertThat(me.canReply()).isTrue();
    awaitState(c, Kind.SENDING); // its call timed out; it is reporting
    message(me, 0x106, 2);
    assertStatus(me.replyWait(Timeout.NEVER), Status.send(Status.NO_PARTNER), "replyWait to a caller that gave up");
    assertThat(me.canReply()).as("the reply capability is used up").isFalse();
    assertThat(me.ipcState().kind()).as("no longer answering: idle, not waiting").isEqualTo(Kind.IDLE);
    final long[] r = awaitReport(f, c);
    assertStatus((int) r[0], Status.receive(Status.TIMEOUT), "the caller's call");
  }

  @Test
  @DisplayName("IPC0107 a plain send to a caller waiting for its reply queues: only a reply completes a call")
  void plainSendToWaitingCallerQueues() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer c = spawn(f.remote(), "caller", WaitStrategy.BLOCK, Partners.callThenReceiveAndReport(f.id(), f.id()));
    assertOk(me.waitAny(PATIENT), "receive the call");
    awaitState(c, Kind.WAITING_FOR_REPLY);
    final Peer s = spawn(f.remote(), "sender", WaitStrategy.BLOCK,
        Partners.sendOnce(c.id(), 0x107, 7, Timeout.NEVER, ThreadId.NIL));
    assertThat(awaitState(s, Kind.SENDING).partner()).isEqualTo(c.id());
    assertThat(c.ipcState().kind()).as("the caller still waits for the reply").isEqualTo(Kind.WAITING_FOR_REPLY);
    message(me, 0x1071, 1);
    assertOk(me.reply(), "reply");
    final long[] r = awaitReport(f, c);
    assertOk((int) r[0], "the call");
    assertOk((int) r[1], "the caller's next receive");
    assertThat(r[2]).as("its next receive takes the queued send").isEqualTo(s.id());
    assertThat(MessageTag.label(r[3])).isEqualTo(0x107);
    assertThat(r[4]).isEqualTo(7);
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0108 replyWait leaves the server receiving: each zero-timeout call made once it reads RECEIVING is taken")
  void replyWaitLeavesTheServerReceiving(WaitStrategy w) {
    final World f = world(w);
    final Peer server = spawn(f.remote(), "echo", w, Partners.echo());
    final Actor me = f.me();
    // The first call may wait: a server that receives in several tables (a root space linked to
    // a process) is claimable only in the table of its last IPC, and this call makes that ours.
    message(me, 0x108, -1);
    assertOk(me.call(server.id()), "the first call");
    final int rounds = w == WaitStrategy.BLOCK ? 300 : 3000;
    for (int i = 0; i < rounds; i++) {
      awaitState(server, Kind.RECEIVING); // it has answered the last call and waits again
      message(me, 0x108, i);
      assertOk(me.call(server.id(), Timeout.ZERO, PATIENT), "zero-timeout call " + i);
      assertMessage(me, server.id(), 0x108, i);
    }
  }

  // ============================================================================================
  // IPC02xx message lengths and contents
  // ============================================================================================

  @ParameterizedTest(name = EACH_MRS)
  @MethodSource("strategiesAndRegisterCounts")
  @DisplayName("IPC0201 every length 0..max, receiver first: call request and reply copied word by word")
  void everyLengthReceiverFirst(WaitStrategy w, int registers) {
    final World f = world(Kernel.Config.defaults().withWaitStrategy(w).withMessageRegisters(registers));
    final long seed = 0x201L + registers;
    final Peer server = spawn(f.remote(), "checker", w, Partners.seededChecker(seed));
    final Actor me = f.me();
    assertThat(me.messageRegisters()).isEqualTo(registers);
    for (int length = 0; length < registers; length++) {
      awaitState(server, Kind.RECEIVING);
      fillSeeded(me, seed, length);
      assertOk(me.call(server.id()), "call of length " + length);
      assertThat(me.sender()).isEqualTo(server.id());
      if (MessageTag.label(me.tag()) == Partners.MISMATCH) {
        fail("the server received a request of length " + length + " whose register " + me.mr(1) + " differs");
      }
      assertThat(firstMismatch(me, seed, length)).as("first wrong register of the echo of length %d", length)
          .isEqualTo(-1);
    }
  }

  @ParameterizedTest(name = EACH_MRS)
  @MethodSource("strategiesAndRegisterCounts")
  @DisplayName("IPC0202 every length 0..max, sender first: queued request and its reply copied word by word")
  void everyLengthSenderFirst(WaitStrategy w, int registers) {
    final World f = world(Kernel.Config.defaults().withWaitStrategy(w).withMessageRegisters(registers));
    final long seed = 0x202L + registers;
    final Peer caller = spawn(f.remote(), "caller", w, Partners.seededCaller(f.id(), seed, registers - 1));
    final Actor me = f.me();
    for (int length = 0; length < registers; length++) {
      awaitState(caller, s -> s.kind() == Kind.SENDING && s.partner() == me.id(), "SENDING to the test");
      for (int i = 1; i < registers; i++) {
        me.setMr(i, 0xDEAD_0000L + i); // whatever is not copied stays visible
      }
      assertOk(me.receive(caller.id(), PATIENT), "receive of length " + length);
      assertThat(me.sender()).isEqualTo(caller.id());
      assertThat(me.canReply()).isTrue();
      final long[] expected = Partners.Seeded.message(seed, length);
      for (int i = 0; i <= length; i++) {
        assertThat(me.mr(i)).as("register %d of the message of length %d", i, length).isEqualTo(expected[i]);
      }
      fillSeeded(me, seed ^ Partners.REPLY_SALT, length);
      assertOk(me.reply(), "reply of length " + length);
    }
    awaitExit(caller);
  }

  @Test
  @DisplayName("IPC0203 typed words and tag flags are carried verbatim")
  void typedWordsAndFlagsCarriedVerbatim() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Peer server = spawn(f.remote(), "echo", WaitStrategy.ADAPTIVE, Partners.echo());
    final Actor me = f.me();
    final long tag = MessageTag.of(0x203, 2, 3, 0x5);
    me.setTag(tag);
    for (int i = 1; i <= 5; i++) {
      me.setMr(i, 0x2030L * i);
    }
    assertOk(me.call(server.id()), "call");
    assertThat(me.tag()).isEqualTo(tag);
    for (int i = 1; i <= 5; i++) {
      assertThat(me.mr(i)).isEqualTo(0x2030L * i);
    }
  }

  // ============================================================================================
  // IPC03xx MSG_TOO_LONG
  // ============================================================================================

  private static long tooLong(int registers) {
    final int untyped = Math.min(MessageTag.MAX_COUNT, registers);
    return MessageTag.of(0x300, untyped, registers - untyped, 0);
  }

  @ParameterizedTest(name = "{0} registers")
  @ValueSource(ints = {8, 64})
  @DisplayName("IPC0301 a tag longer than the registers: MSG_TOO_LONG at the sender, receiver untouched")
  void messageTooLongFailsAtSender(int registers) {
    final World f = world(Kernel.Config.defaults().withMessageRegisters(registers));
    final Actor me = f.me();
    final Peer r = spawn(f.remote(), "receiver", WaitStrategy.BLOCK,
        Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    awaitState(r, Kind.RECEIVING);
    for (long tag : new long[] {tooLong(registers), -1L}) {
      me.setTag(tag);
      final int send = me.send(r.id(), Timeout.NEVER);
      assertStatus(send, Status.send(Status.MSG_TOO_LONG), "send of " + MessageTag.toString(tag));
      assertThat(Status.failedInSend(send)).isTrue();
      me.setTag(tag);
      assertStatus(me.call(r.id()), Status.send(Status.MSG_TOO_LONG), "call of " + MessageTag.toString(tag));
      assertThat(r.ipcState().kind()).as("the receiver is untouched").isEqualTo(Kind.RECEIVING);
    }
    message(me, 0x301, 42);
    assertOk(me.send(r.id(), Timeout.NEVER), "the next valid send");
    assertReceived(awaitReport(f, r), Status.OK, me.id(), 0x301, 42);
  }

  @Test
  @DisplayName("IPC0302 a reply longer than the registers: MSG_TOO_LONG in the SEND phase, the caller untouched")
  void replyTooLongFailsAtReplier() {
    final World f = world(Kernel.Config.defaults().withMessageRegisters(8));
    final Actor me = f.me();
    final Peer c = spawn(f.remote(), "caller", WaitStrategy.BLOCK,
        Partners.callAndReport(f.id(), 0x302, 1, Timeout.NEVER, Timeout.NEVER, f.id()));
    assertOk(me.waitAny(PATIENT), "receive the call");
    me.setTag(tooLong(8));
    assertStatus(me.reply(), Status.send(Status.MSG_TOO_LONG), "reply");
    assertThat(c.ipcState().kind()).as("the caller is untouched").isEqualTo(Kind.WAITING_FOR_REPLY);
  }

  // ============================================================================================
  // IPC04xx timeouts
  // ============================================================================================

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0401 zero-timeout send with no receiver waiting: NO_PARTNER (send phase), message dropped")
  void zeroTimeoutSendWithoutReceiverIsDropped(WaitStrategy w) {
    final World f = world(w);
    final Peer p = spawn(f.remote(), "poller", w, Partners.sendOnce(f.id(), 0x401, 1, Timeout.ZERO, f.id()));
    awaitState(p, Kind.SENDING); // its zero-timeout send is over: it is reporting
    final long[] r = awaitReport(f, p);
    assertStatus((int) r[0], Status.send(Status.NO_PARTNER), "the zero-timeout send");
    assertStatus(f.me().waitAny(Timeout.ZERO), Status.receive(Status.NO_PARTNER), "a later receive finds nothing");
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0402 zero timeouts succeed when the partner is already waiting")
  void zeroTimeoutsSucceedWithPartnerWaiting(WaitStrategy w) {
    final World f = world(w);
    final Peer r = spawn(f.remote(), "receiver", w, Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    awaitState(r, Kind.RECEIVING);
    // A receiver that waits in several tables takes a send from a table other than its last
    // IPC's by polling it: a zero-timeout send there waits a bounded time for that, and if the
    // receiver was late reports NO_PARTNER, having delivered nothing (docs/protocol.md 5.2). There
    // the send is repeated until taken; each attempt carries its number: only the last arrives.
    int attempt = 0;
    int status;
    do {
      message(f.me(), 0x402, ++attempt);
      status = f.me().send(r.id(), Timeout.ZERO);
    } while (status == Status.send(Status.NO_PARTNER) && f.remote().receivesInSeveralTables());
    assertOk(status, "zero-timeout send to a waiting receiver, attempt " + attempt);
    assertReceived(awaitReport(f, r), Status.OK, f.id(), 0x402, attempt);
    final Peer s = spawn(f.remote(), "sender", w, Partners.sendOnce(f.id(), 0x402, 2, Timeout.NEVER, ThreadId.NIL));
    awaitState(s, Kind.SENDING);
    assertOk(f.me().receive(s.id(), Timeout.ZERO), "zero-timeout receive with a sender queued");
    assertMessage(f.me(), s.id(), 0x402, 2);
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0403 zero-timeout receive with nobody sending: NO_PARTNER (receive phase)")
  void zeroTimeoutReceiveWithoutSender(WaitStrategy w) {
    final World f = world(w);
    final Peer idle = spawn(f.remote(), "idle", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(idle, Kind.WAITING_FOR_NOTIFICATION);
    assertStatus(f.me().waitAny(Timeout.ZERO), Status.receive(Status.NO_PARTNER), "open");
    assertStatus(f.me().receive(idle.id(), Timeout.ZERO), Status.receive(Status.NO_PARTNER), "closed");
    assertStatus(f.me().send(idle.id(), Timeout.ZERO), Status.send(Status.NO_PARTNER), "send to a busy thread");
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0404 relative timeouts expire: TIMEOUT in the phase that waited")
  void relativeTimeoutsExpire(WaitStrategy w) {
    final World f = world(w);
    final Actor me = f.me();
    final Peer busy = spawn(f.remote(), "busy", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(busy, Kind.WAITING_FOR_NOTIFICATION);
    message(me, 0x404, 1);
    assertStatus(me.send(busy.id(), SHORT), Status.send(Status.TIMEOUT), "send");
    assertStatus(me.call(busy.id(), SHORT, Timeout.NEVER), Status.send(Status.TIMEOUT), "call, send phase");
    assertStatus(me.waitAny(SHORT), Status.receive(Status.TIMEOUT), "open receive");
    assertStatus(me.receive(busy.id(), SHORT), Status.receive(Status.TIMEOUT), "closed receive");
    assertStatus(me.waitNotifications(SHORT), Status.receive(Status.TIMEOUT), "waitNotifications");
    assertThat(busy.ipcState().kind()).isEqualTo(Kind.WAITING_FOR_NOTIFICATION);
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0405 absolute deadlines expire (also one already past): TIMEOUT")
  void absoluteDeadlinesExpire(WaitStrategy w) {
    final World f = world(w);
    final Actor me = f.me();
    final Peer busy = spawn(f.remote(), "busy", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(busy, Kind.WAITING_FOR_NOTIFICATION);
    message(me, 0x405, 1);
    final long soon = Timeout.now() + Duration.ofMillis(5).toNanos();
    assertStatus(me.send(busy.id(), Timeout.at(soon)), Status.send(Status.TIMEOUT), "send");
    assertStatus(me.waitAny(Timeout.at(Timeout.now() + Duration.ofMillis(5).toNanos())),
        Status.receive(Status.TIMEOUT), "receive");
    final long past = Timeout.at(Timeout.now());
    assertStatus(me.send(busy.id(), past), Status.send(Status.TIMEOUT), "send with a deadline already past");
    assertStatus(me.waitAny(past), Status.receive(Status.TIMEOUT), "receive with a deadline already past");
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0406 a call whose receive phase times out: TIMEOUT in the RECEIVE phase (request delivered)")
  void callReceivePhaseTimesOut(WaitStrategy w) {
    final World f = world(w);
    final Peer holder = spawn(f.remote(), "holder", w, Partners.receiveAndHold());
    awaitState(holder, Kind.RECEIVING);
    message(f.me(), 0x406, 1);
    final int status = f.me().call(holder.id(), Timeout.NEVER, SHORT);
    assertStatus(status, Status.receive(Status.TIMEOUT), "call");
    assertThat(Status.failedInReceive(status)).isTrue();
    assertThat(Status.failedInSend(status)).isFalse();
    awaitState(holder, Kind.WAITING_FOR_NOTIFICATION); // it did get the request
  }

  @Test
  @DisplayName("IPC0407 invalid timeout encodings: INVALID_ARGUMENT, in the SEND phase wherever nothing was sent yet")
  void invalidTimeoutEncodings() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer r = spawn(f.remote(), "receiver", WaitStrategy.BLOCK,
        Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    final EndpointRef e = f.local().createEndpoint("ep");
    awaitState(r, Kind.RECEIVING);
    message(me, 0x407, 1);
    for (long bad : new long[] {-5, -2, Long.MIN_VALUE}) {
      final String t = " with timeout " + bad;
      assertStatus(me.send(r.id(), bad), Status.send(Status.INVALID_ARGUMENT), "send" + t);
      assertStatus(me.call(r.id(), bad, Timeout.NEVER), Status.send(Status.INVALID_ARGUMENT), "call send" + t);
      assertStatus(me.call(r.id(), Timeout.NEVER, bad), Status.send(Status.INVALID_ARGUMENT),
          "call receive" + t + ": found before the send, so nothing was delivered");
      assertStatus(me.receive(r.id(), bad), Status.receive(Status.INVALID_ARGUMENT), "receive" + t);
      assertStatus(me.waitAny(bad), Status.receive(Status.INVALID_ARGUMENT), "waitAny" + t);
      assertStatus(me.waitAt(e, bad), Status.receive(Status.INVALID_ARGUMENT), "wait" + t);
      assertStatus(me.replyWait(bad), Status.receive(Status.INVALID_ARGUMENT), "replyWait" + t);
      assertStatus(me.waitNotifications(bad), Status.receive(Status.INVALID_ARGUMENT), "waitNotifications" + t);
    }
    assertThat(r.ipcState().kind()).as("nothing was sent").isEqualTo(Kind.RECEIVING);
    assertThatThrownBy(() -> Timeout.relative(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeout.relative(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeout.at(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Timeout.isValid(Timeout.NEVER)).isTrue();
    assertThat(Timeout.isValid(Timeout.at(0))).isTrue();
  }

  // ============================================================================================
  // IPC05xx closed and open receive
  // ============================================================================================

  @Test
  @DisplayName("IPC0501 closed receive ignores other queued senders; they stay queued for a later open wait")
  void closedReceiveIgnoresOtherQueuedSenders() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer a = spawn(f.remote(), "a", WaitStrategy.BLOCK,
        Partners.sendOnce(f.id(), 0xA, 1, Timeout.NEVER, ThreadId.NIL));
    awaitState(a, Kind.SENDING);
    final Peer b = spawn(f.remote(), "b", WaitStrategy.BLOCK,
        Partners.sendOnce(f.id(), 0xB, 2, Timeout.NEVER, ThreadId.NIL));
    awaitState(b, Kind.SENDING);
    final Peer idle = spawn(f.remote(), "idle", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(idle, Kind.WAITING_FOR_NOTIFICATION);
    assertStatus(me.receive(idle.id(), Timeout.ZERO), Status.receive(Status.NO_PARTNER), "closed receive from a non-sender");
    assertOk(me.receive(b.id(), PATIENT), "closed receive from b, queued second");
    assertMessage(me, b.id(), 0xB, 2);
    assertThat(a.ipcState().kind()).as("a is still queued").isEqualTo(Kind.SENDING);
    assertOk(me.waitAny(PATIENT), "open wait");
    assertMessage(me, a.id(), 0xA, 1);
  }

  @Test
  @DisplayName("IPC0502 closed receive waiting first: other senders queue; the named thread exits: PEER_DEAD; "
      + "the others stay queued")
  void closedReceiverWaitingFirstTakesOnlyTheNamedSender() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Site senders = otherSite(f, "senders", f.remote(), f.local());
    // b is created first (so its id is known) and is parked until the receiver waits for it.
    final Peer b = spawn(senders, "b", WaitStrategy.BLOCK, Partners.untilNotified());
    final Peer r = spawn(f.remote(), "receiver", WaitStrategy.BLOCK, Partners.closedThenOpen(b.id(), f.id()));
    assertThat(awaitState(r, Kind.RECEIVING).partner()).isEqualTo(b.id());
    final Peer a = spawn(senders, "a", WaitStrategy.BLOCK, Partners.sendOnce(r.id(), 0xA, 1, Timeout.NEVER, ThreadId.NIL));
    awaitState(a, Kind.SENDING);
    assertThat(r.ipcState().kind()).as("the receiver does not take a").isEqualTo(Kind.RECEIVING);
    final Peer b2 = spawn(senders, "b2", WaitStrategy.BLOCK, Partners.sendOnce(r.id(), 0xB, 2, Timeout.NEVER, ThreadId.NIL));
    // b2 is not b: it queues too; r still waits for b.
    awaitState(b2, Kind.SENDING);
    assertThat(r.ipcState().kind()).isEqualTo(Kind.RECEIVING);
    assertStatus(f.me().notifyBits(b.id(), 1), Status.OK, "release b");
    awaitExit(b);
    // b has exited without sending: r's closed receive names a thread that is gone.
    final long[] first = awaitReport(f, r);
    assertStatus((int) first[0], Status.receive(Status.PEER_DEAD), "closed receive from a thread that exited meanwhile");
    final long[] second = awaitReport(f, r);
    assertReceived(second, Status.OK, a.id(), 0xA, 1);
  }

  @Test
  @DisplayName("IPC0503 closed receive waiting first is completed by the named sender, others stay queued")
  void closedReceiverWaitingFirstCompletedByNamedSender() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer r = spawn(f.remote(), "receiver", WaitStrategy.BLOCK, Partners.closedThenOpen(f.id(), f.id()));
    assertThat(awaitState(r, Kind.RECEIVING).partner()).isEqualTo(f.id());
    final Peer a = spawn(f.remote(), "a", WaitStrategy.BLOCK,
        Partners.sendOnce(r.id(), 0xA, 1, Timeout.NEVER, ThreadId.NIL));
    awaitState(a, Kind.SENDING);
    assertThat(r.ipcState().kind()).as("the receiver does not take a").isEqualTo(Kind.RECEIVING);
    message(me, 0x503, 3);
    assertOk(me.send(r.id(), Timeout.NEVER), "send from the named sender");
    assertReceived(awaitReport(f, r), Status.OK, me.id(), 0x503, 3);
    assertReceived(awaitReport(f, r), Status.OK, a.id(), 0xA, 1);
  }

  @Test
  @DisplayName("IPC0504 open receive takes any sender")
  void openReceiveTakesAnySender() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Site third = otherSite(f, "third", f.local());
    final Set<Long> expected = new HashSet<>();
    for (Site s : List.of(f.remote(), third, f.local())) {
      final Peer t = spawn(s, "sender", WaitStrategy.BLOCK,
          Partners.sendOnce(f.id(), 0x504, s.number(), Timeout.NEVER, ThreadId.NIL));
      awaitState(t, Kind.SENDING);
      expected.add(t.id());
    }
    final Set<Long> got = new HashSet<>();
    for (int i = 0; i < expected.size(); i++) {
      assertOk(f.me().waitAny(PATIENT), "open wait " + i);
      got.add(f.me().sender());
      assertThat(f.me().mr(1)).isEqualTo(ThreadId.space(f.me().sender()));
    }
    assertThat(got).isEqualTo(expected);
  }

  // ============================================================================================
  // IPC06xx endpoints
  // ============================================================================================

  @Test
  @DisplayName("IPC0601 a pool of servers on one endpoint: each call answered to its caller by the thread that took it")
  void endpointServerPool() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final EndpointRef e = f.remote().createEndpoint("pool");
    final long[] servers = new long[4];
    for (int i = 0; i < servers.length; i++) {
      final Peer s = spawn(f.remote(), "server" + i, WaitStrategy.BLOCK, Partners.endpointServer(e.id()));
      servers[i] = s.id();
      assertThat(awaitState(s, Kind.RECEIVING).endpoint()).isEqualTo(e.id());
    }
    final List<Long> serverIds = Arrays.stream(servers).boxed().toList();
    final int calls = 200;
    final List<Peer> clients = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      clients.add(spawn(f.local(), "client" + c, WaitStrategy.BLOCK,
          Partners.endpointClient(e.id(), c * 1_000_000L, calls, servers, f.id())));
    }
    for (Peer c : clients) {
      assertThat(awaitReport(f, c)[0]).as("calls answered to %s", c).isEqualTo(calls);
    }
    message(f.me(), 0x601, 5);
    assertOk(f.me().call(e.id()), "the test's own call");
    assertThat(serverIds).contains(f.me().sender());
    assertThat(f.me().mr(1)).isEqualTo(f.id());
    assertThat(f.me().mr(2)).as("replied by the thread that took the call").isEqualTo(f.me().sender());
  }

  @Test
  @DisplayName("IPC0602 waiting on another space's endpoint: NOT_PERMITTED")
  void waitingOnForeignEndpointNotPermitted() {
    final World f = world(WaitStrategy.ADAPTIVE);
    assumeThat(f.local().space() != null && f.remote().space() != null, "only in one JVM can a thread name another"
        + " space's endpoint to wait on: an Endpoint object exists only in the process of its space");
    final EndpointRef foreign = f.remote().createEndpoint("theirs");
    assertStatus(f.me().waitAt(foreign, Timeout.ZERO), Status.receive(Status.NOT_PERMITTED), "wait");
    assertStatus(f.me().waitAt(foreign, Timeout.NEVER), Status.receive(Status.NOT_PERMITTED), "wait, never");
    assertStatus(f.me().replyWait(foreign, Timeout.NEVER), Status.receive(Status.NOT_PERMITTED), "replyWait");
  }

  @Test
  @DisplayName("IPC0603 blocked senders at an endpoint are taken in FIFO order")
  void endpointSendersFifo() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final EndpointRef e = f.local().createEndpoint("mine");
    final List<Peer> senders = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      final Peer s = spawn(f.remote(), "s" + i, WaitStrategy.BLOCK,
          Partners.sendOnce(e.id(), 0x603, i, Timeout.NEVER, ThreadId.NIL));
      final IpcState st = awaitState(s, Kind.SENDING);
      assertThat(st.partner()).isEqualTo(e.id());
      assertThat(st.endpoint()).isEqualTo(e.id());
      senders.add(s);
    }
    for (int i = 0; i < senders.size(); i++) {
      assertOk(f.me().waitAt(e, PATIENT), "wait " + i);
      assertMessage(f.me(), senders.get(i).id(), 0x603, i);
    }
  }

  @Test
  @DisplayName("IPC0604 closing an endpoint: queued callers get PEER_DEAD (send phase), its id becomes stale")
  void closedEndpoint() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final EndpointRef e = f.local().createEndpoint("doomed");
    final Peer c = spawn(f.remote(), "caller", WaitStrategy.BLOCK,
        Partners.callAndReport(e.id(), 0x604, 1, Timeout.NEVER, Timeout.NEVER, f.id()));
    awaitState(c, Kind.SENDING);
    e.close();
    assertStatus((int) awaitReport(f, c)[0], Status.send(Status.PEER_DEAD), "the queued call");
    message(f.me(), 0x604, 2);
    assertStatus(f.me().send(e.id(), Timeout.NEVER), Status.send(Status.STALE_ID), "send to a closed endpoint");
  }

  @Test
  @DisplayName("IPC0605 a message to a thread's own id is not taken by its wait on an endpoint")
  void endpointWaitDoesNotTakeOwnMessages() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final EndpointRef e = f.remote().createEndpoint("ep");
    final Peer server = spawn(f.remote(), "server", WaitStrategy.BLOCK, Partners.endpointThenOwn(e.id(), f.id()));
    assertThat(awaitState(server, Kind.RECEIVING).endpoint()).isEqualTo(e.id());
    final Peer s = spawn(f.local(), "sender", WaitStrategy.BLOCK,
        Partners.sendOnce(server.id(), 0x6051, 1, Timeout.NEVER, ThreadId.NIL));
    awaitState(s, Kind.SENDING);
    assertThat(server.ipcState().kind()).as("still waiting on the endpoint").isEqualTo(Kind.RECEIVING);
    message(f.me(), 0x6052, 2);
    assertOk(f.me().send(e.id(), Timeout.NEVER), "send to the endpoint");
    assertReceived(awaitReport(f, server), Status.OK, f.id(), 0x6052, 2);
    assertReceived(awaitReport(f, server), Status.OK, s.id(), 0x6051, 1);
  }

  @Test
  @DisplayName("IPC0606 at most 64 threads wait on one endpoint: the 65th gets NOT_PERMITTED; "
      + "a member that exits frees its place")
  void endpointMemberLimit() {
    final World f = world(WaitStrategy.BLOCK);
    assumeThat(f.remote().space() != null, "a process space has 64 thread slots (Kernel.PROCESS_THREADS):"
        + " 65 threads of one space cannot wait on its endpoint");
    final EndpointRef e = f.remote().createEndpoint("crowded");
    final List<Peer> members = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      final Peer t = spawn(f.remote(), "member" + i, WaitStrategy.BLOCK, Partners.endpointWaitAndReport(e.id(), f.id()));
      members.add(t);
    }
    for (Peer t : members) {
      awaitState(t, Kind.RECEIVING);
    }
    final Peer extra = spawn(f.remote(), "extra", WaitStrategy.BLOCK, Partners.endpointWaitAndReport(e.id(), f.id()));
    assertStatus((int) awaitReport(f, extra)[0], Status.receive(Status.NOT_PERMITTED), "the 65th waiter");
    message(f.me(), 0x606, 1);
    assertOk(f.me().send(e.id(), Timeout.NEVER), "send to the endpoint");
    Peer served = null;
    assertOk(f.me().waitAny(PATIENT), "the report of the member that took it");
    for (Peer t : members) {
      if (t.id() == f.me().sender()) {
        served = t;
      }
    }
    assertThat(served).as("the message went to a member").isNotNull();
    assertReceived(new long[] {f.me().mr(1), f.me().mr(2), f.me().mr(3), f.me().mr(4)}, Status.OK, f.id(), 0x606, 1);
    awaitExit(served);
    final Peer late = spawn(f.remote(), "late", WaitStrategy.BLOCK, Partners.endpointWaitAndReport(e.id(), f.id()));
    assertThat(awaitState(late, Kind.RECEIVING).endpoint()).as("it took the freed place").isEqualTo(e.id());
  }

  @Test
  @DisplayName("IPC0607 a closed endpoint stays gone for its former waiters, even once its slot is reused by another endpoint")
  void closedEndpointStaysGoneForFormerWaiters() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final EndpointRef old = f.remote().createEndpoint("old");
    final Peer waiter = spawn(f.remote(), "waiter", WaitStrategy.ADAPTIVE, Partners.endpointWaiterAfterClose(old.id(), f.id()));
    awaitState(waiter, Kind.RECEIVING);
    message(me, 0x607, 1);
    assertOk(me.send(old.id(), Timeout.NEVER), "send to the endpoint");
    assertReceived(awaitReport(f, waiter), Status.OK, me.id(), 0x607, 1);
    awaitState(waiter, Kind.RECEIVING);
    old.close();
    final long[] closedUnderIt = awaitReport(f, waiter); // checked last

    // Another endpoint takes the slot, and a message waits there for its own servers. The root's
    // thread spaces draw endpoints from one table: there it is another space's endpoint. A process
    // space has its own range of slots: there it is one of the same space.
    final boolean oneTable = f.local().space() != null && f.remote().space() != null;
    final EndpointRef fresh = (oneTable ? f.local() : f.remote()).createEndpoint("fresh");
    assertThat(ThreadId.index(fresh.id())).as("the slot is reused").isEqualTo(ThreadId.index(old.id()));
    final Peer s = spawn(f.remote(), "sender", WaitStrategy.BLOCK,
        Partners.sendOnce(fresh.id(), 0x6071, 2, Timeout.NEVER, ThreadId.NIL));
    awaitState(s, Kind.SENDING);
    message(me, 0x607, 3);
    assertStatus(me.send(old.id(), Timeout.NEVER), Status.send(Status.STALE_ID), "send to the old endpoint id");

    assertOk(me.notifyBits(waiter.id(), 1), "let the former waiter wait on the old endpoint again");
    final long[] again = awaitReport(f, waiter);
    assertStatus((int) again[0], Status.receive(Status.STALE_ID),
        "a wait on the closed endpoint (it got a message from " + ThreadId.toString(again[1]) + ")");
    if (oneTable) {
      assertOk(me.waitAt(fresh, Timeout.ZERO), "the new endpoint's own server takes its message");
      assertMessage(me, s.id(), 0x6071, 2);
    } else {
      final Peer server = spawn(f.remote(), "server", WaitStrategy.BLOCK, Partners.endpointWaitAndReport(fresh.id(), me.id()));
      assertReceived(awaitReport(f, server), Status.OK, s.id(), 0x6071, 2);
    }
    assertStatus((int) closedUnderIt[0], Status.receive(Status.PEER_DEAD), "a wait on an endpoint closed meanwhile");
  }

  // ============================================================================================
  // IPC07xx order of blocked senders
  // ============================================================================================

  @ParameterizedTest(name = EACH)
  @EnumSource(value = WaitStrategy.class, names = {"BLOCK", "ADAPTIVE"})
  @DisplayName("IPC0701 blocked senders at one receiver are taken in FIFO order (per table, where it waits in several)")
  void sendersFifo(WaitStrategy w) {
    final World f = world(w);
    final List<Peer> senders = new ArrayList<>();
    final List<Peer> remote = new ArrayList<>();
    final List<Peer> local = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      final Site s = i % 2 == 0 ? f.remote() : f.local();
      final Peer t = spawn(s, "s" + i, WaitStrategy.BLOCK, Partners.sendOnce(f.id(), 0x701, i, Timeout.NEVER, ThreadId.NIL));
      awaitState(t, Kind.SENDING);
      senders.add(t);
      (s == f.remote() ? remote : local).add(t);
    }
    final List<Long> taken = new ArrayList<>();
    for (int i = 0; i < senders.size(); i++) {
      assertOk(f.me().waitAny(PATIENT), "wait " + i);
      final long sender = f.me().sender();
      taken.add(sender);
      final int index = senders.stream().map(Peer::id).toList().indexOf(sender);
      assertThat(index).as("a sender's message: %s", ThreadId.toString(sender)).isNotNegative();
      assertMessage(f.me(), sender, 0x701, index);
    }
    if (!f.local().receivesInSeveralTables()) {
      assertThat(taken).as("the order senders were taken in").isEqualTo(senders.stream().map(Peer::id).toList());
    } else {
      // A receiver that waits in several tables has a queue in each (FIFO per receive point,
      // docs/protocol.md), and takes from the tables in turn: each table's senders in order.
      for (List<Peer> queue : List.of(remote, local)) {
        final List<Long> ids = queue.stream().map(Peer::id).toList();
        assertThat(taken.stream().filter(ids::contains).toList()).as("the order of one table's senders").isEqualTo(ids);
      }
    }
  }


  // ============================================================================================
  // IPC08xx notifications
  // ============================================================================================

  @Test
  @DisplayName("IPC0801 notifications OR together: two notifies, one delivery with both bits, from nil")
  void notificationsOrTogether() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Peer n = spawn(f.remote(), "notifier", WaitStrategy.BLOCK, Partners.notifier(f.id(), 0b01, 0b10));
    awaitExit(n);
    final Actor me = f.me();
    assertOk(me.waitNotifications(Timeout.ZERO), "waitNotifications");
    assertThat(MessageTag.label(me.tag())).isEqualTo(MessageTag.NOTIFICATION_LABEL);
    assertThat(me.mr(1)).isEqualTo(0b11);
    assertThat(me.sender()).isEqualTo(ThreadId.NIL);
    assertStatus(me.waitNotifications(Timeout.ZERO), Status.receive(Status.NO_PARTNER), "nothing left");
  }

  @Test
  @DisplayName("IPC0802 pollNotifications takes the pending bits without blocking")
  void pollNotifications() {
    final World f = world(WaitStrategy.ADAPTIVE);
    assertThat(f.me().pollNotifications()).isZero();
    final Peer n = spawn(f.remote(), "notifier", WaitStrategy.BLOCK, Partners.notifier(f.id(), 0b100, 0b1000));
    awaitExit(n);
    assertThat(f.me().pollNotifications()).isEqualTo(0b1100);
    assertThat(f.me().pollNotifications()).isZero();
  }

  @Test
  @DisplayName("IPC0803 masked notification bits are kept, not delivered and not waking; delivered once unmasked")
  void maskedNotifications() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer waiter = spawn(f.remote(), "waiter", WaitStrategy.BLOCK, Partners.notificationWaiter(0b01, f.id()));
    awaitState(waiter, Kind.WAITING_FOR_NOTIFICATION);
    assertOk(me.notifyBits(waiter.id(), 0b10), "masked notify");
    assertStays(waiter, Kind.WAITING_FOR_NOTIFICATION);
    assertOk(me.notifyBits(waiter.id(), 0b01), "accepted notify");
    final long[] delivered = awaitReport(f, waiter);
    assertOk((int) delivered[0], "waitNotifications");
    assertThat(delivered[1]).as("sender").isEqualTo(ThreadId.NIL);
    assertThat(MessageTag.label(delivered[2])).isEqualTo(MessageTag.NOTIFICATION_LABEL);
    assertThat(delivered[3]).as("only the accepted bit is delivered").isEqualTo(0b01);
    assertThat(awaitReport(f, waiter)[0]).as("the masked bit, polled after unmasking").isEqualTo(0b10);

    me.setNotificationMask(0b01);
    assertThat(me.notificationMask()).isEqualTo(0b01);
    final Peer n = spawn(f.remote(), "notifier", WaitStrategy.BLOCK, Partners.notifier(f.id(), 0b10));
    awaitExit(n);
    assertStatus(me.waitNotifications(Timeout.ZERO), Status.receive(Status.NO_PARTNER), "masked bit not delivered");
    assertThat(me.pollNotifications()).as("masked bit not polled").isZero();
    me.setNotificationMask(-1L);
    assertThat(me.pollNotifications()).as("masked bit kept").isEqualTo(0b10);
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0804 a notification wakes a thread waiting for notifications")
  void notificationWakesWaiter(WaitStrategy w) {
    final World f = world(w);
    final Peer waiter = spawn(f.remote(), "waiter", w, Partners.notificationWaiter(-1L, f.id()));
    awaitState(waiter, Kind.WAITING_FOR_NOTIFICATION);
    assertOk(f.me().notifyBits(waiter.id(), 0x80), "notify");
    final long[] r = awaitReport(f, waiter);
    assertOk((int) r[0], "waitNotifications");
    assertThat(r[3]).isEqualTo(0x80);
    assertThat(awaitReport(f, waiter)[0]).as("nothing left").isZero();
  }

  @Test
  @DisplayName("IPC0805 a pending notification and a queued sender at one accepting receive: notification first, sender not lost")
  void notificationBeforeQueuedSender() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    me.acceptNotifications(true);
    final Peer s = spawn(f.remote(), "sender", WaitStrategy.BLOCK,
        Partners.sendOnce(f.id(), 0x805, 5, Timeout.NEVER, ThreadId.NIL));
    awaitState(s, Kind.SENDING);
    final Peer n = spawn(f.remote(), "notifier", WaitStrategy.BLOCK, Partners.notifier(f.id(), 0x4));
    awaitExit(n);
    assertOk(me.waitAny(PATIENT), "first receive");
    assertThat(MessageTag.label(me.tag())).isEqualTo(MessageTag.NOTIFICATION_LABEL);
    assertThat(me.mr(1)).isEqualTo(0x4);
    assertThat(me.sender()).isEqualTo(ThreadId.NIL);
    assertThat(me.canReply()).isFalse();
    assertOk(me.waitAny(PATIENT), "second receive");
    assertMessage(me, s.id(), 0x805, 5);
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC0806 a receive that accepts notifications is woken by one")
  void acceptingReceiveWokenByNotification(WaitStrategy w) {
    final World f = world(w);
    final Peer r = spawn(f.remote(), "receiver", w, Partners.acceptingReceiveAndReport(f.id()));
    awaitState(r, Kind.RECEIVING);
    assertOk(f.me().notifyBits(r.id(), 0x40), "notify");
    final long[] got = awaitReport(f, r);
    assertOk((int) got[0], "receive");
    assertThat(got[1]).as("sender").isEqualTo(ThreadId.NIL);
    assertThat(MessageTag.label(got[2])).isEqualTo(MessageTag.NOTIFICATION_LABEL);
    assertThat(got[3]).isEqualTo(0x40);
  }

  @Test
  @DisplayName("IPC0807 a receive that does not accept notifications is not woken by them; the bits stay pending")
  void plainReceiveNotWokenByNotification() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Peer r = spawn(f.remote(), "receiver", WaitStrategy.BLOCK, Partners.receiveThenPollAndReport(f.id()));
    awaitState(r, Kind.RECEIVING);
    assertOk(f.me().notifyBits(r.id(), 0x1), "notify");
    assertStays(r, Kind.RECEIVING);
    message(f.me(), 0x807, 9);
    assertOk(f.me().send(r.id(), Timeout.NEVER), "send");
    assertReceived(awaitReport(f, r), Status.OK, f.id(), 0x807, 9);
    assertThat(awaitReport(f, r)[0]).as("pending bits polled afterwards").isEqualTo(0x1);
  }

  @Test
  @DisplayName("IPC0808 notify checks its target like any IPC: endpoint INVALID_ID, no channel NOT_PERMITTED")
  void notifyAddressing() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Site stranger = otherSite(f, "stranger");
    final Peer t = spawn(stranger, "t", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(t, Kind.WAITING_FOR_NOTIFICATION);
    final EndpointRef e = f.local().createEndpoint("ep");
    assertStatus(f.me().notifyBits(e.id(), 1), Status.send(Status.INVALID_ID), "notify an endpoint");
    assertStatus(f.me().notifyBits(ThreadId.NIL, 1), Status.send(Status.INVALID_ID), "notify nil");
    knownDivergence(f.me().thread() == null, "from a process space, IPC to a live root thread of a space its link"
        + " does not join gets STALE_ID, not NOT_PERMITTED: that thread has no port in the link's table, and the"
        + " process cannot tell it from one that has gone (protocol.md, rule 11)");
    assertStatus(f.me().notifyBits(t.id(), 1), Status.send(Status.NOT_PERMITTED), "notify without a channel");
    assertStays(t, Kind.WAITING_FOR_NOTIFICATION);
  }

  // ============================================================================================
  // IPC09xx interrupts
  // ============================================================================================

  /** Interrupts go to threads of the root's thread spaces only ({@link Kernel#attachInterrupt}). */
  private static void assumeRootHandler(World f) {
    assumeThat(f.me().thread() != null, "an interrupt's handler is a thread of the root (Kernel.attachInterrupt"
        + " takes a live thread of its home table); the test thread here is in a process space");
  }

  @Test
  @DisplayName("IPC0901 interrupts: delivered from interrupt.id(), not again until acknowledged, then exactly once more")
  void interruptDeliveryAndAcknowledgement() {
    final World f = world(WaitStrategy.ADAPTIVE);
    assumeRootHandler(f);
    final Actor me = f.me();
    final Interrupt irq = f.kernel().attachInterrupt("tick", InterruptSource.periodic(Duration.ofMillis(1)), me.id());
    assertThat(irq.handler()).isEqualTo(me.id());
    long counted = 0;
    for (int delivery = 0; delivery < 3; delivery++) {
      assertOk(me.waitAny(PATIENT), "delivery " + delivery);
      assertThat(me.sender()).isEqualTo(irq.id());
      assertThat(MessageTag.label(me.tag())).isEqualTo(MessageTag.INTERRUPT_LABEL);
      assertThat(me.mr(1)).as("firings this delivery stands for").isPositive();
      assertThat(me.canReply()).isTrue();
      counted += me.mr(1);
      // Unacknowledged: however often the timer fires meanwhile, nothing more arrives.
      assertStatus(me.waitAny(Timeout.relative(QUIET)), Status.receive(Status.TIMEOUT), "while unacknowledged");
      assertStatus(me.waitAny(Timeout.ZERO), Status.receive(Status.NO_PARTNER), "while unacknowledged, zero timeout");
      assertThat(me.canReply()).isTrue();
      assertThat(irq.deliveries()).isEqualTo(delivery);
      me.setTag(MessageTag.of(0, 0));
      assertOk(me.reply(), "acknowledge " + delivery);
    }
    assertThat(counted).as("firings delivered").isLessThanOrEqualTo(irq.occurrences());
    assertThat(irq.isAttached()).isTrue();
    irq.close();
  }

  @Test
  @DisplayName("IPC0902 interrupts: firings while unacknowledged merge into one delivery whose count covers them")
  void interruptFiringsMerge() {
    final World f = world(WaitStrategy.ADAPTIVE);
    assumeRootHandler(f);
    final Actor me = f.me();
    final Interrupt irq = f.kernel().attachInterrupt("tick", InterruptSource.periodic(Duration.ofMillis(1)), me.id());
    assertOk(me.waitAny(PATIENT), "first delivery");
    final long first = me.mr(1);
    final long before = irq.occurrences();
    final long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (irq.occurrences() < before + 3 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(irq.occurrences()).as("the timer fires while unacknowledged").isGreaterThanOrEqualTo(before + 3);
    me.setTag(MessageTag.of(0, 0));
    assertOk(me.reply(), "acknowledge");
    assertOk(me.waitAny(PATIENT), "second delivery");
    assertThat(me.sender()).isEqualTo(irq.id());
    assertThat(me.mr(1)).as("one delivery for the firings after the first was taken").isGreaterThanOrEqualTo(3);
    assertThat(first + me.mr(1)).isLessThanOrEqualTo(irq.occurrences());
    irq.close();
  }

  @Test
  @DisplayName("IPC0903 closing an interrupt stops deliveries; a late acknowledgement gets NO_PARTNER or STALE_ID")
  void closedInterruptStopsDeliveries() {
    final World f = world(WaitStrategy.ADAPTIVE);
    assumeRootHandler(f);
    final Actor me = f.me();
    final Interrupt irq = f.kernel().attachInterrupt("tick", InterruptSource.periodic(Duration.ofMillis(1)), me.id());
    assertOk(me.waitAny(PATIENT), "first delivery");
    irq.close();
    assertThat(irq.isAttached()).isFalse();
    me.setTag(MessageTag.of(0, 0));
    assertStatusIn(me.reply(), "acknowledge after close", Status.send(Status.NO_PARTNER), Status.send(Status.STALE_ID));
    assertStatus(me.waitAny(Timeout.relative(QUIET)), Status.receive(Status.TIMEOUT), "no delivery after close");
    assertThat(f.kernel().ipcState(irq.id()).kind()).isEqualTo(Kind.DEAD);
  }

  @Test
  @DisplayName("IPC0904 attaching an interrupt to a thread that is not live throws IllegalArgumentException")
  void interruptNeedsLiveHandler() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Peer gone = spawn(f.remote(), "gone", WaitStrategy.BLOCK, Partners.exitAtOnce());
    awaitExit(gone);
    final EndpointRef e = f.local().createEndpoint("ep");
    for (long bad : new long[] {gone.id(), ThreadId.NIL, ThreadId.ANY, e.id(), 0x7777_0000_0000_0123L}) {
      final InterruptSource timer = InterruptSource.periodic(Duration.ofMillis(1));
      assertThatThrownBy(() -> f.kernel().attachInterrupt("bad", timer, bad))
          .as("handler %s", ThreadId.toString(bad)).isInstanceOf(IllegalArgumentException.class);
      timer.close();
    }
  }

  @Test
  @DisplayName("IPC0905 an interrupt handler may receive from the interrupt's id (closed receive)")
  void handlerReceivesFromInterruptId() {
    final World f = world(WaitStrategy.ADAPTIVE);
    assumeRootHandler(f);
    final Actor me = f.me();
    final Interrupt irq = f.kernel().attachInterrupt("tick", InterruptSource.periodic(Duration.ofMillis(1)), me.id());
    assertOk(me.receive(irq.id(), PATIENT), "closed receive from the interrupt");
    assertThat(MessageTag.label(me.tag())).isEqualTo(MessageTag.INTERRUPT_LABEL);
    assertThat(me.sender()).isEqualTo(irq.id());
    irq.close();
  }

  // ============================================================================================
  // IPC10xx stale and invalid ids
  // ============================================================================================

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1001 IPC naming a thread that has exited: STALE_ID at once, even with an infinite timeout")
  void ipcToExitedThreadIsStale(WaitStrategy w) {
    final World f = world(w);
    final Actor me = f.me();
    final Peer gone = spawn(f.remote(), "gone", w, Partners.exitAtOnce());
    awaitExit(gone);
    final Actor closed = f.local().attach("closed", w);
    closed.close();
    final Site endedSite = otherSite(f, "ended");
    final Peer ended = spawn(endedSite, "ended", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(ended, Kind.WAITING_FOR_NOTIFICATION);
    endedSite.end();
    final Checks checks = checks();
    for (Peer t : List.of(gone, closed, ended)) {
      message(me, 0x1001, 1);
      checks.status(me.send(t.id(), Timeout.NEVER), "send to " + t, Status.send(Status.STALE_ID))
          .status(me.call(t.id()), "call to " + t, Status.send(Status.STALE_ID))
          .status(me.notifyBits(t.id(), 1), "notify " + t, Status.send(Status.STALE_ID))
          .status(me.receive(t.id(), Timeout.NEVER), "receive from " + t, Status.receive(Status.STALE_ID));
      assertThat(f.kernel().ipcState(t.id()).kind()).isEqualTo(Kind.DEAD);
    }
    checks.verify();
  }

  @Test
  @DisplayName("IPC1002 slot reuse: a new thread in an old thread's slot never receives IPC sent to the old id")
  void reusedSlotIsNotReachedByOldId() throws InterruptedException {
    // Two thread slots: the test thread's and one for the partners, so the old one's is reused.
    // (A kernel with a process space has more; a new thread takes the first free slot, the same.)
    final World f = world(Kernel.Config.defaults().withMaxThreads(2));
    final Actor me = f.me();
    final Peer old = spawn(f.remote(), "old", WaitStrategy.BLOCK, Partners.exitAtOnce());
    awaitExit(old);
    // A slot is reused only once the previous occupant's Java thread can no longer touch it.
    assertThat(f.remote().awaitTermination(PATIENCE)).isTrue();
    final Peer fresh = spawn(f.remote(), "fresh", WaitStrategy.BLOCK,
        Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    assertThat(ThreadId.index(fresh.id())).as("the freed slot is reused").isEqualTo(ThreadId.index(old.id()));
    assertThat(fresh.id()).isNotEqualTo(old.id());
    awaitState(fresh, Kind.RECEIVING);
    assertThat(f.kernel().ipcState(old.id()).kind()).isEqualTo(Kind.DEAD);
    message(me, 0xDEAD, 1);
    assertStatus(me.send(old.id(), Timeout.NEVER), Status.send(Status.STALE_ID), "send to the old id");
    assertStatus(me.call(old.id()), Status.send(Status.STALE_ID), "call to the old id");
    assertStatus(me.notifyBits(old.id(), 1), Status.send(Status.STALE_ID), "notify the old id");
    assertThat(fresh.ipcState().kind()).isEqualTo(Kind.RECEIVING);
    message(me, 0x1002, 2);
    assertOk(me.send(fresh.id(), Timeout.NEVER), "send to the new id");
    assertReceived(awaitReport(f, fresh), Status.OK, me.id(), 0x1002, 2);
  }

  @Test
  @DisplayName("IPC1003 garbage ids (nil, any, random, index out of range, wrong version): INVALID_ID or STALE_ID")
  void garbageIds() {
    final World f = world(Kernel.Config.defaults().withMaxThreads(64));
    final Actor me = f.me();
    final Peer live = spawn(f.remote(), "live", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(live, Kind.WAITING_FOR_NOTIFICATION);
    final int space = f.remote().number();
    final int maxThreads = f.kernel().config().maxThreads();
    final int maxEndpoints = f.kernel().config().maxEndpoints();
    final long liveVersion = ThreadId.version(live.id());
    message(me, 0x1003, 1);

    assertStatus(me.send(ThreadId.NIL, Timeout.NEVER), Status.send(Status.INVALID_ID), "send to nil");
    assertStatus(me.send(ThreadId.ANY, Timeout.NEVER), Status.send(Status.INVALID_ID), "send to any");
    assertStatus(me.call(ThreadId.NIL), Status.send(Status.INVALID_ID), "call nil");
    assertStatus(me.receive(ThreadId.NIL, Timeout.NEVER), Status.receive(Status.INVALID_ID), "receive from nil");
    final long outOfRange = ThreadId.of(space, maxThreads, 1);
    assertStatus(me.send(outOfRange, Timeout.NEVER), Status.send(Status.INVALID_ID), "thread index out of range");
    assertStatus(me.receive(outOfRange, Timeout.NEVER), Status.receive(Status.INVALID_ID), "receive, index out of range");
    assertStatus(me.send(ThreadId.endpoint(space, maxEndpoints, 1), Timeout.NEVER), Status.send(Status.INVALID_ID),
        "endpoint index out of range");
    assertStatus(me.send(ThreadId.compose(space, ThreadId.index(live.id()), 0), Timeout.NEVER), Status.send(Status.INVALID_ID),
        "version 0");
    assertStatus(me.send(ThreadId.of(space, ThreadId.index(live.id()), liveVersion + 1), Timeout.NEVER),
        Status.send(Status.STALE_ID), "a live slot with another version");
    assertStatus(me.send(ThreadId.of(space, ThreadId.index(live.id()) + 1, liveVersion), Timeout.NEVER),
        Status.send(Status.STALE_ID), "an unused slot");
    assertStatus(me.send(ThreadId.endpoint(space, 0, 1), Timeout.NEVER), Status.send(Status.STALE_ID),
        "an endpoint never created");
    assertThat(f.kernel().ipcState(outOfRange).kind()).isEqualTo(Kind.DEAD);
    assertThat(f.kernel().ipcState(ThreadId.NIL).kind()).isEqualTo(Kind.DEAD);

    final Set<Long> liveIds = new HashSet<>();
    f.kernel().threads().forEach(t -> liveIds.add(t.id()));
    final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(0x1003);
    for (int i = 0; i < 500; i++) {
      final long id = random.nextLong();
      if (liveIds.contains(id) || id == ThreadId.ANY) {
        continue;
      }
      final String what = " " + ThreadId.toString(id) + " (0x" + Long.toHexString(id) + ")";
      final int send = me.send(id, Timeout.NEVER);
      assertStatusIn(send, "send to" + what, Status.send(Status.INVALID_ID), Status.send(Status.STALE_ID));
      assertStatusIn(me.receive(id, Timeout.NEVER), "receive from" + what,
          Status.receive(Status.INVALID_ID), Status.receive(Status.STALE_ID));
      assertStatusIn(me.notifyBits(id, 1), "notify" + what, Status.send(Status.INVALID_ID), Status.send(Status.STALE_ID));
      if (!ThreadId.isEndpoint(id)) {
        assertThat(f.kernel().ipcState(id).kind()).as("state of" + what).isEqualTo(Kind.DEAD);
      }
    }
    assertThatThrownBy(() -> f.kernel().ipcState(ThreadId.endpoint(space, 0, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThat(live.ipcState().kind()).as("no garbage reached the live thread").isEqualTo(Kind.WAITING_FOR_NOTIFICATION);
    final long spaceOutOfRange = ThreadId.of(f.kernel().config().maxSpaces() + 5, 1, 1);
    assertStatus(me.send(spaceOutOfRange, Timeout.NEVER), Status.send(Status.INVALID_ID), "space number out of range");
    assertStatus(me.call(spaceOutOfRange), Status.send(Status.INVALID_ID), "call, space number out of range");
    assertStatus(me.notifyBits(spaceOutOfRange, 1), Status.send(Status.INVALID_ID), "notify, space number out of range");
    assertStatus(me.receive(spaceOutOfRange, Timeout.ZERO), Status.receive(Status.INVALID_ID),
        "receive, space number out of range");
  }

  // ============================================================================================
  // IPC11xx channels
  // ============================================================================================

  @Test
  @DisplayName("IPC1101 no channel between two spaces: NOT_PERMITTED; permitted once created; NOT_PERMITTED after close")
  void channelIsTheCapabilityToTalk() {
    final World f = disconnectedWorld(WaitStrategy.ADAPTIVE);
    assumeThat(f.local().space() != null && f.remote().space() != null, "a process space has one channel, the link"
        + " to its root peer, made with it and closed only with it: it is never unconnected, and never reconnected");
    final Actor me = f.me();
    final Peer r = spawn(f.remote(), "receiver", WaitStrategy.BLOCK,
        Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    final Peer busy = spawn(f.remote(), "busy", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(r, Kind.RECEIVING);
    awaitState(busy, Kind.WAITING_FOR_NOTIFICATION);
    assertThat(f.kernel().connected(f.local().space(), f.remote().space())).isFalse();
    message(me, 0x1101, 1);
    assertStatus(me.send(r.id(), Timeout.NEVER), Status.send(Status.NOT_PERMITTED), "send");
    assertStatus(me.call(r.id()), Status.send(Status.NOT_PERMITTED), "call");
    assertStatus(me.notifyBits(r.id(), 1), Status.send(Status.NOT_PERMITTED), "notify");
    assertStatus(me.receive(r.id(), Timeout.NEVER), Status.receive(Status.NOT_PERMITTED), "receive");
    assertThat(r.ipcState().kind()).as("nothing reached the receiver").isEqualTo(Kind.RECEIVING);

    final Channel channel = f.kernel().createChannel(f.local().space(), f.remote().space());
    assertThat(f.kernel().connected(f.remote().space(), f.local().space())).isTrue();
    message(me, 0x1101, 2);
    assertOk(me.send(r.id(), Timeout.NEVER), "send once connected");
    assertReceived(awaitReport(f, r), Status.OK, me.id(), 0x1101, 2);

    channel.close();
    assertThat(channel.isOpen()).isFalse();
    assertThat(f.kernel().connected(f.local().space(), f.remote().space())).isFalse();
    message(me, 0x1101, 3);
    assertStatus(me.send(busy.id(), Timeout.NEVER), Status.send(Status.NOT_PERMITTED), "send after close");
    assertStatus(me.notifyBits(busy.id(), 1), Status.send(Status.NOT_PERMITTED), "notify after close");
    assertStatus(me.receive(busy.id(), Timeout.NEVER), Status.receive(Status.NOT_PERMITTED), "receive after close");
    assertThat(busy.ipcState().kind()).isEqualTo(Kind.WAITING_FOR_NOTIFICATION);
  }

  @Test
  @DisplayName("IPC1102 threads of one space need no channel")
  void sameSpaceAlwaysPermitted() {
    final World f = disconnectedWorld(WaitStrategy.ADAPTIVE);
    if (f.local().space() != null) {
      assertThat(f.kernel().connected(f.local().space(), f.local().space())).isTrue();
    }
    final Peer r = spawn(f.local(), "neighbour", WaitStrategy.BLOCK,
        Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    awaitState(r, Kind.RECEIVING);
    message(f.me(), 0x1102, 1);
    assertOk(f.me().send(r.id(), Timeout.NEVER), "send");
    assertReceived(awaitReport(f, r), Status.OK, f.id(), 0x1102, 1);
  }

  // ============================================================================================
  // IPC12xx abort
  // ============================================================================================

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1201 abort a thread blocked in receive: ABORTED in the RECEIVE phase")
  void abortReceive(WaitStrategy w) {
    final World f = world(w);
    final Peer r = spawn(f.remote(), "receiver", w, Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    awaitState(r, Kind.RECEIVING);
    r.abort();
    assertStatus((int) awaitReport(f, r)[0], Status.receive(Status.ABORTED), "aborted receive");
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1202 abort a thread blocked in send: ABORTED in the SEND phase, message not delivered")
  void abortSend(WaitStrategy w) {
    final World f = world(w);
    // The send goes to a second thread of the test, which receives only after the abort is over.
    final Actor target = f.local().attach("target", w);
    final Peer s = spawn(f.remote(), "sender", w, Partners.sendOnce(target.id(), 0x1202, 1, Timeout.NEVER, f.id()));
    assertThat(awaitState(s, Kind.SENDING).partner()).isEqualTo(target.id());
    s.abort();
    awaitState(s, st -> st.kind() == Kind.SENDING && st.partner() == f.id(), "reporting to the test");
    assertStatus((int) awaitReport(f, s)[0], Status.send(Status.ABORTED), "aborted send");
    assertStatus(target.waitAny(Timeout.ZERO), Status.receive(Status.NO_PARTNER), "the aborted message was not delivered");
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1203 abort a caller waiting for its reply: ABORTED (RECEIVE phase); "
      + "a late reply gets NO_PARTNER and never reaches it")
  void abortCallWaitingForReply(WaitStrategy w) {
    final World f = world(w);
    final Actor me = f.me();
    final Peer c = spawn(f.remote(), "caller", w, Partners.callThenReceiveAndReport(f.id(), f.id()));
    assertOk(me.waitAny(PATIENT), "receive the call");
    assertThat(awaitState(c, Kind.WAITING_FOR_REPLY).partner()).isEqualTo(me.id());
    c.abort();
    awaitState(c, Kind.RECEIVING); // its next operation: an open receive
    message(me, 0xBAD, 1);
    assertStatus(me.reply(), Status.send(Status.NO_PARTNER), "late reply");
    assertThat(c.ipcState().kind()).isEqualTo(Kind.RECEIVING);
    message(me, 0x1203, 2);
    assertOk(me.send(c.id(), Timeout.NEVER), "send");
    final long[] r = awaitReport(f, c);
    assertStatus((int) r[0], Status.receive(Status.ABORTED), "aborted call");
    assertOk((int) r[1], "the caller's next receive");
    assertThat(r[2]).isEqualTo(me.id());
    assertThat(MessageTag.label(r[3])).as("the next receive got the later send, not the late reply").isEqualTo(0x1203);
    assertThat(r[4]).isEqualTo(2);
  }

  @Test
  @DisplayName("IPC1204 abort of a thread not in IPC has no effect and is not sticky")
  void abortOutsideIpcIsNotSticky() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer server = spawn(f.remote(), "echo", WaitStrategy.ADAPTIVE, Partners.echo());
    me.abort();
    assertThat(me.ipcState().kind()).isEqualTo(Kind.IDLE);
    message(me, 0x1204, 1);
    assertOk(me.call(server.id()), "call after an abort outside IPC");
    me.abort();
    assertStatus(me.waitAny(SHORT), Status.receive(Status.TIMEOUT), "receive after an abort outside IPC");
    final Peer waiter = spawn(f.remote(), "waiter", WaitStrategy.BLOCK,
        Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, f.id()));
    final Peer done = spawn(f.remote(), "done", WaitStrategy.BLOCK, Partners.exitAtOnce());
    awaitExit(done);
    done.abort(); // a thread that has exited: nothing happens
    awaitState(waiter, Kind.RECEIVING);
    message(me, 0x1204, 2);
    assertOk(me.send(waiter.id(), Timeout.NEVER), "send");
    assertReceived(awaitReport(f, waiter), Status.OK, me.id(), 0x1204, 2);
  }

  // ============================================================================================
  // IPC13xx partner death
  // ============================================================================================

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1301 a caller waiting for a reply from a server whose space ends: PEER_DEAD in the RECEIVE phase")
  void callerSeesServerSpaceEnd(WaitStrategy w) {
    final World f = world(w);
    final Peer server = spawn(f.remote(), "holder", WaitStrategy.BLOCK, Partners.receiveAndHold());
    awaitState(server, Kind.RECEIVING);
    final Peer c = spawn(f.local(), "caller", w,
        Partners.callAndReport(server.id(), 0x1301, 1, Timeout.NEVER, Timeout.NEVER, f.id()));
    assertThat(awaitState(c, Kind.WAITING_FOR_REPLY).partner()).isEqualTo(server.id());
    f.remote().end();
    assertStatus((int) awaitReport(f, c)[0], Status.receive(Status.PEER_DEAD), "call to a server that died");
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1302 senders and callers queued at a thread whose space ends: PEER_DEAD in the SEND phase")
  void queuedSendersSeeReceiverSpaceEnd(WaitStrategy w) {
    final World f = world(w);
    final Peer busy = spawn(f.remote(), "busy", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(busy, Kind.WAITING_FOR_NOTIFICATION);
    final Peer s = spawn(f.local(), "sender", w, Partners.sendOnce(busy.id(), 0x1302, 1, Timeout.NEVER, f.id()));
    awaitState(s, Kind.SENDING);
    final Peer c = spawn(f.local(), "caller", WaitStrategy.BLOCK,
        Partners.callAndReport(busy.id(), 0x1302, 2, Timeout.NEVER, Timeout.NEVER, f.id()));
    awaitState(c, Kind.SENDING);
    f.remote().end();
    assertStatus((int) awaitReport(f, s)[0], Status.send(Status.PEER_DEAD), "queued send");
    assertStatus((int) awaitReport(f, c)[0], Status.send(Status.PEER_DEAD), "queued call");
  }

  @ParameterizedTest(name = EACH)
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1303 a closed receive from a thread whose space ends: PEER_DEAD in the RECEIVE phase")
  void closedReceiverSeesSenderSpaceEnd(WaitStrategy w) {
    final World f = world(w);
    final Peer quiet = spawn(f.remote(), "quiet", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(quiet, Kind.WAITING_FOR_NOTIFICATION);
    final Peer r = spawn(f.local(), "receiver", w, Partners.receiveAndReport(quiet.id(), Timeout.NEVER, f.id()));
    awaitState(r, Kind.RECEIVING);
    f.remote().end();
    assertStatus((int) awaitReport(f, r)[0], Status.receive(Status.PEER_DEAD), "closed receive");
  }

  @Test
  @DisplayName("IPC1304 an uncaught exception ends the thread's space: failure() set, partners get PEER_DEAD, its ids stale")
  void uncaughtExceptionEndsSpace() {
    final World f = world(WaitStrategy.ADAPTIVE);
    allowFailure(f, f.remote());
    final Actor me = f.me();
    final Peer bystander = spawn(f.remote(), "bystander", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(bystander, Kind.WAITING_FOR_NOTIFICATION);
    final Peer queued = spawn(f.local(), "queued", WaitStrategy.BLOCK,
        Partners.sendOnce(bystander.id(), 0x1304, 1, Timeout.NEVER, f.id()));
    awaitState(queued, Kind.SENDING);
    final Peer thrower = spawn(f.remote(), "thrower", WaitStrategy.BLOCK, Partners.receiveThenThrow());
    awaitState(thrower, Kind.RECEIVING);
    message(me, 0x1304, 2);
    assertStatus(me.call(thrower.id()), Status.receive(Status.PEER_DEAD), "call to a server that throws");
    assertThat(f.remote().isAlive()).isFalse();
    assertThat(f.remote().failure()).as("what ended it").isNotNull();
    assertThat(f.remote().failure().toString()).contains(IllegalStateException.class.getName(), "injected");
    assertStatus((int) awaitReport(f, queued)[0], Status.send(Status.PEER_DEAD), "send queued at its space's other thread");
    assertStatus(me.call(thrower.id()), Status.send(Status.STALE_ID), "a new call to the dead server");
    assertThat(bystander.ipcState().kind()).isEqualTo(Kind.DEAD);
  }

  @Test
  @DisplayName("IPC1305 the threads of an ended space get CLOSED in the phase they were in, blocked or not, without hanging")
  void endedSpaceThreadsGetClosed() throws Exception {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    // A thread learns of its own space's end only in this JVM: a process space's end is the exit
    // of its process, and nothing of it is left to report. So the partners' half runs where they
    // are in this JVM, and the test thread's half where it is.
    if (f.remote().space() != null) {
      final Peer other = spawn(f.remote(), "other", WaitStrategy.BLOCK, Partners.untilNotified());
      final CompletableFuture<Integer> blocked = new CompletableFuture<>();
      final Peer waiter = spawn(f.remote(), "waiter", WaitStrategy.BLOCK, Partners.receiveAndRecord(blocked));
      awaitState(waiter, Kind.RECEIVING);
      awaitState(other, Kind.WAITING_FOR_NOTIFICATION);
      f.remote().end();
      assertStatus(blocked.get(PATIENCE.toSeconds(), TimeUnit.SECONDS),
          Status.receive(Status.CLOSED), "blocked receive of an ended space's thread");
      assertThat(other.ipcState().kind()).isEqualTo(Kind.DEAD);
    }
    if (me.thread() != null) {
      final Peer neighbour = spawn(f.local(), "neighbour", WaitStrategy.BLOCK, Partners.untilNotified());
      awaitState(neighbour, Kind.WAITING_FOR_NOTIFICATION);
      final Site third = otherSite(f, "third", f.local());
      final Peer outside = spawn(third, "outside", WaitStrategy.BLOCK, Partners.untilNotified());
      awaitState(outside, Kind.WAITING_FOR_NOTIFICATION);
      f.local().end(); // the test thread's own space
      message(me, 0x1305, 1);
      checks()
          .status(me.send(outside.id(), Timeout.NEVER), "send to another space", Status.send(Status.CLOSED))
          .status(me.call(outside.id()), "call to another space", Status.send(Status.CLOSED))
          .status(me.notifyBits(outside.id(), 1), "notify another space", Status.send(Status.CLOSED))
          .status(me.receive(outside.id(), Timeout.NEVER), "closed receive from another space", Status.receive(Status.CLOSED))
          .status(me.send(neighbour.id(), Timeout.NEVER), "send to a thread of the same ended space", Status.send(Status.CLOSED))
          .status(me.waitAny(Timeout.NEVER), "open receive", Status.receive(Status.CLOSED))
          .status(me.replyWait(Timeout.NEVER), "replyWait", Status.receive(Status.CLOSED))
          .status(me.waitNotifications(Timeout.NEVER), "waitNotifications", Status.receive(Status.CLOSED))
          .verify();
      assertThat(outside.ipcState().kind()).as("nothing reached the other space").isEqualTo(Kind.WAITING_FOR_NOTIFICATION);
    }
  }

  @Test
  @DisplayName("IPC1306 a server replying to a caller whose space ended gets STALE_ID at once and keeps serving")
  void serverSurvivesCallerDeath() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Peer doomed = spawn(f.remote(), "doomed", WaitStrategy.BLOCK,
        Partners.callAndReport(f.id(), 0x1306, 1, Timeout.NEVER, Timeout.NEVER, f.id()));
    assertOk(me.waitAny(PATIENT), "receive the doomed call");
    assertThat(me.sender()).isEqualTo(doomed.id());
    awaitState(doomed, Kind.WAITING_FOR_REPLY);
    f.remote().end();
    message(me, 0x1306, 2);
    assertStatusIn(me.replyWait(Timeout.NEVER), "replyWait to a dead caller",
        Status.send(Status.STALE_ID), Status.send(Status.NO_PARTNER));
    // It keeps serving: a next call, from a site that reaches it. A process space is reached only
    // through its root peer, and that has just ended: there is nobody left to call it.
    if (f.local().space() == null) {
      return;
    }
    final Site clients = otherSite(f, "clients", f.local());
    final Peer next = spawn(clients, "next", WaitStrategy.BLOCK,
        Partners.callAndReport(f.id(), 0x1306, 3, Timeout.NEVER, Timeout.NEVER, f.id()));
    assertOk(me.replyWait(PATIENT), "the next call");
    assertMessage(me, next.id(), 0x1306, 3);
    message(me, 0x1306, 4);
    assertOk(me.reply(), "reply to the next caller");
    assertReceived(awaitReport(f, next), Status.OK, me.id(), 0x1306, 4);
  }

  @Test
  @DisplayName("IPC1307 closing the kernel ends every IPC: blocked threads get CLOSED")
  void kernelCloseEndsEverything() throws Exception {
    final World f = world(WaitStrategy.ADAPTIVE);
    assumeThat(f.me().thread() != null, "closing the kernel ends its process spaces: the test thread's process"
        + " is gone, and cannot say what its receive returned");
    final CompletableFuture<Integer> blocked = new CompletableFuture<>();
    final boolean here = f.remote().space() != null;
    final Peer waiter = spawn(f.remote(), "waiter", WaitStrategy.BLOCK, here ? Partners.receiveAndRecord(blocked)
        : Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, ThreadId.NIL));
    awaitState(waiter, Kind.RECEIVING);
    f.kernel().close();
    assertThat(f.kernel().isClosed()).isTrue();
    if (here) {
      assertStatus(blocked.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), Status.receive(Status.CLOSED), "blocked receive");
    } else {
      // A process space's threads end with its process, which the kernel's close ends.
      assertThat(f.remote().isAlive()).as("%s once the kernel is closed", f.remote()).isFalse();
    }
    assertStatus(f.me().waitAny(Timeout.NEVER), Status.receive(Status.CLOSED), "the test thread's receive");
    assertThatThrownBy(() -> f.kernel().createSpace("late")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("IPC1308 a sender queued at a thread that exits gets PEER_DEAD (SEND phase)")
  void queuedSenderSeesReceiverExit() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Peer busy = spawn(f.remote(), "busy", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(busy, Kind.WAITING_FOR_NOTIFICATION);
    final Peer s = spawn(f.local(), "sender", WaitStrategy.BLOCK,
        Partners.sendOnce(busy.id(), 0x1308, 1, Timeout.NEVER, f.id()));
    awaitState(s, Kind.SENDING);
    assertOk(f.me().notifyBits(busy.id(), 1), "let it exit");
    assertStatus((int) awaitReport(f, s)[0], Status.send(Status.PEER_DEAD), "queued send");
  }

  // ============================================================================================
  // IPC14xx IPC state
  // ============================================================================================

  @Test
  @DisplayName("IPC1401 ipcState reports IDLE, SENDING(to), RECEIVING(from, endpoint), WAITING_FOR_REPLY(from), DEAD")
  void ipcStateReflectsWhatThreadsDo() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor me = f.me();
    final Kernel k = f.kernel();
    assertThat(me.ipcState()).isEqualTo(new IpcState(Kind.IDLE, ThreadId.NIL, ThreadId.NIL));

    final Peer open = spawn(f.remote(), "open", WaitStrategy.BLOCK,
        Partners.receiveAndReport(ThreadId.ANY, Timeout.NEVER, ThreadId.NIL));
    assertThat(awaitState(open, Kind.RECEIVING)).isEqualTo(new IpcState(Kind.RECEIVING, ThreadId.ANY, ThreadId.NIL));
    final Peer closed = spawn(f.remote(), "closed", WaitStrategy.BLOCK,
        Partners.receiveAndReport(me.id(), Timeout.NEVER, ThreadId.NIL));
    assertThat(awaitState(closed, Kind.RECEIVING)).isEqualTo(new IpcState(Kind.RECEIVING, me.id(), ThreadId.NIL));
    final EndpointRef e = f.remote().createEndpoint("ep");
    final Peer server = spawn(f.remote(), "server", WaitStrategy.BLOCK, Partners.endpointServer(e.id()));
    assertThat(awaitState(server, Kind.RECEIVING)).isEqualTo(new IpcState(Kind.RECEIVING, ThreadId.ANY, e.id()));

    final Peer sender = spawn(f.remote(), "sender", WaitStrategy.BLOCK,
        Partners.sendOnce(me.id(), 1, 1, Timeout.NEVER, ThreadId.NIL));
    assertThat(awaitState(sender, Kind.SENDING)).isEqualTo(new IpcState(Kind.SENDING, me.id(), ThreadId.NIL));
    final EndpointRef mine = f.local().createEndpoint("mine");
    final Peer toEndpoint = spawn(f.remote(), "toEndpoint", WaitStrategy.BLOCK,
        Partners.sendOnce(mine.id(), 1, 1, Timeout.NEVER, ThreadId.NIL));
    assertThat(awaitState(toEndpoint, Kind.SENDING)).isEqualTo(new IpcState(Kind.SENDING, mine.id(), mine.id()));

    final Peer holder = spawn(f.remote(), "holder", WaitStrategy.BLOCK, Partners.receiveAndHold());
    awaitState(holder, Kind.RECEIVING);
    final Peer caller = spawn(f.local(), "caller", WaitStrategy.BLOCK,
        Partners.callAndReport(holder.id(), 1, 1, Timeout.NEVER, Timeout.NEVER, ThreadId.NIL));
    assertThat(awaitState(caller, Kind.WAITING_FOR_REPLY))
        .isEqualTo(new IpcState(Kind.WAITING_FOR_REPLY, holder.id(), ThreadId.NIL));
    assertThat(awaitState(holder, Kind.WAITING_FOR_NOTIFICATION).partner()).isEqualTo(ThreadId.NIL);
    assertThat(k.ipcState(caller.id())).isEqualTo(caller.ipcState());

    final Peer gone = spawn(f.remote(), "gone", WaitStrategy.BLOCK, Partners.exitAtOnce());
    awaitExit(gone);
    assertThat(gone.ipcState()).isEqualTo(new IpcState(Kind.DEAD, ThreadId.NIL, ThreadId.NIL));
    f.remote().end();
    for (Peer t : List.of(open, closed, server, sender, toEndpoint, holder)) {
      assertThat(t.ipcState().kind()).as("%s after its space ended", t).isEqualTo(Kind.DEAD);
    }
    assertThatThrownBy(() -> k.ipcState(e.id())).isInstanceOf(IllegalArgumentException.class);
  }

  // ============================================================================================
  // IPC15xx misuse
  // ============================================================================================

  @Test
  @DisplayName("IPC1501 an IpcThread used from another Java thread throws WrongThreadException")
  void wrongThread() throws Exception {
    final World f = world(WaitStrategy.ADAPTIVE);
    assumeThat(f.me().thread() != null, "the test thread is in a process space, driven through a thread there that"
        + " runs each operation itself: no other Java thread can hold it");
    final IpcThread me = f.me().thread();
    final Peer partner = spawn(f.remote(), "partner", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(partner, Kind.WAITING_FOR_NOTIFICATION);
    final Endpoint e = ThreadSite.endpoint(f.local().createEndpoint("ep"));
    final List<Consumer<IpcThread>> operations = List.of(
        t -> t.send(partner.id(), Timeout.ZERO),
        t -> t.call(partner.id()),
        t -> t.call(partner.id(), Timeout.ZERO, Timeout.ZERO),
        t -> t.receive(partner.id(), Timeout.ZERO),
        t -> t.waitAny(Timeout.ZERO),
        t -> t.waitAt(e, Timeout.ZERO),
        t -> t.reply(),
        t -> t.replyWait(Timeout.ZERO),
        t -> t.replyWait(e, Timeout.ZERO),
        t -> t.notifyBits(partner.id(), 1),
        t -> t.pollNotifications(),
        t -> t.waitNotifications(Timeout.ZERO),
        t -> t.setNotificationMask(0),
        t -> t.acceptNotifications(true));
    final AtomicReference<Throwable> unexpected = new AtomicReference<>();
    final Thread stranger = Thread.ofPlatform().name("stranger").start(() -> {
      try {
        for (int i = 0; i < operations.size(); i++) {
          final int op = i;
          assertThatThrownBy(() -> operations.get(op).accept(me)).as("operation %d from another thread", op)
              .isInstanceOf(WrongThreadException.class);
        }
        assertThat(me.id()).isNotZero(); // thread-safe ones do not throw
        assertThat(me.ipcState().kind()).isEqualTo(Kind.IDLE);
        me.abort();
      } catch (Throwable t) {
        unexpected.set(t);
      }
    });
    stranger.join(PATIENCE);
    assertThat(unexpected.get()).isNull();
    // A partner's IpcThread, where the partner is in this JVM (a process's threads have none here).
    if (partner.thread() != null) {
      for (int i = 0; i < operations.size(); i++) {
        final int op = i;
        assertThatThrownBy(() -> operations.get(op).accept(partner.thread())).as("operation %d on a partner's thread", op)
            .isInstanceOf(WrongThreadException.class);
      }
    }
    assertThat(partner.ipcState().kind()).isEqualTo(Kind.WAITING_FOR_NOTIFICATION);
  }

  @Test
  @DisplayName("IPC1502 a register index out of range throws IndexOutOfBoundsException")
  void registerIndexOutOfRange() {
    final World f = world(Kernel.Config.defaults().withMessageRegisters(8));
    final Actor me = f.me();
    assertThat(me.messageRegisters()).isEqualTo(8);
    for (int bad : new int[] {-1, 8, 64, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> me.mr(bad)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> me.setMr(bad, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
    me.setMr(7, 77);
    assertThat(me.mr(7)).isEqualTo(77);
    me.setMr(0, 0x1502);
    assertThat(me.tag()).isEqualTo(0x1502);
  }

  @Test
  @DisplayName("IPC1503 an IpcThread used after close returns CLOSED or STALE_ID, without hanging")
  void useAfterClose() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Peer partner = spawn(f.remote(), "partner", WaitStrategy.BLOCK, Partners.untilNotified());
    awaitState(partner, Kind.WAITING_FOR_NOTIFICATION);
    final EndpointRef e = f.local().createEndpoint("ep");
    final Actor t = f.local().attach("temporary", WaitStrategy.ADAPTIVE);
    message(t, 0x1503, 1);
    t.close();
    t.close(); // idempotent
    assertThat(t.ipcState().kind()).isEqualTo(Kind.DEAD);
    assertThatThrownBy(() -> t.mr(1)).as("registers after close").isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> t.setTag(0)).as("tag after close").isInstanceOf(IllegalStateException.class);
    final int closedSend = Status.send(Status.CLOSED);
    final int closedReceive = Status.receive(Status.CLOSED);
    final int staleSend = Status.send(Status.STALE_ID);
    final int staleReceive = Status.receive(Status.STALE_ID);
    final Checks checks = checks()
        .status(t.send(partner.id(), Timeout.NEVER), "send", closedSend, staleSend)
        .status(t.call(partner.id()), "call", closedSend, staleSend)
        .status(t.receive(partner.id(), Timeout.NEVER), "receive", closedReceive, staleReceive)
        .status(t.waitAny(Timeout.NEVER), "waitAny", closedReceive, staleReceive)
        .status(t.waitAt(e, Timeout.NEVER), "wait on an endpoint", closedReceive, staleReceive)
        .status(t.replyWait(Timeout.NEVER), "replyWait", closedReceive, staleReceive)
        .status(t.waitNotifications(Timeout.NEVER), "waitNotifications", closedReceive, staleReceive)
        .status(t.notifyBits(partner.id(), 1), "notify", closedSend, staleSend);
    checks.that(partner.ipcState().kind() == Kind.WAITING_FOR_NOTIFICATION,
        "nothing reached the partner, but it is " + partner.ipcState() + " (a notification woke it)");
    checks.verify();
  }

  @Test
  @DisplayName("IPC1504 a thread closed while holding a reply capability cannot reply; its caller gets PEER_DEAD")
  void closedServerCannotReply() {
    final World f = world(WaitStrategy.ADAPTIVE);
    final Actor server = f.local().attach("server", WaitStrategy.ADAPTIVE);
    final Peer c = spawn(f.remote(), "caller", WaitStrategy.BLOCK,
        Partners.callAndReport(server.id(), 0x1504, 1, Timeout.NEVER, Timeout.NEVER, f.id()));
    assertOk(server.waitAny(PATIENT), "receive the call");
    assertThat(server.canReply()).isTrue();
    message(server, 0x1504, 2);
    server.close();
    assertStatusIn(server.reply(), "reply after close", Status.send(Status.CLOSED), Status.send(Status.STALE_ID));
    assertStatus((int) awaitReport(f, c)[0], Status.receive(Status.PEER_DEAD), "the caller of a server that closed");
  }
}
