package dev.nucleus.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The IPC conformance scenarios with the partner in another OS process (sel4test's IPC1001-1004
 * are the inter-address-space twins of IPC0001-0004). The partner runs {@link PartnerComponent}
 * or {@link EchoComponent} in a process space; every test checks that the process has gone and
 * nothing is left in /dev/shm afterwards, also when it fails.
 */
@DisplayName("IPC conformance: process spaces")
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessSpaceConformanceTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final long PATIENT = Timeout.relative(PATIENCE);

  private Kernel kernel;

  @AfterEach
  void cleanUp() throws Exception {
    ProcessTests.closeAndCheckNothingLeft(kernel);
  }

  private record Partner(Space client, ProcessSpace process, long id) {}

  private Partner start(WaitStrategy w, Class<? extends ProcessComponent> component, String... args) throws Exception {
    kernel = new Kernel(Kernel.Config.defaults().withWaitStrategy(w));
    final Space client = kernel.createSpace("client");
    final ProcessSpace process = kernel.spawnProcessSpace("partner", component, client, args);
    return new Partner(client, process, process.awaitPublished(PATIENCE));
  }

  private static void fill(IpcThread t, long label, int words, RandomGenerator random) {
    t.setTag(MessageTag.of(label, words));
    for (int i = 1; i <= words; i++) {
      t.setMr(i, random.nextLong());
    }
  }

  @ParameterizedTest
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1001 send + receive across processes, every length, receiver first, checked word by word")
  void sendReceiveEveryLength(WaitStrategy w) throws Exception {
    final int max = Kernel.Config.defaults().messageRegisters() - 1;
    final Partner p = start(w, PartnerComponent.class, "collect", Integer.toString(max + 1));
    final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(1001);
    try (IpcThread me = p.client().attach("me")) {
      for (int words = 0; words <= max; words++) {
        ProcessTests.awaitState(kernel, p.id(), IpcState.Kind.RECEIVING);
        fill(me, 0x1001, words, random);
        final long expected = PartnerComponent.checksum(me);
        assertThat(me.send(p.id(), PATIENT)).isEqualTo(Status.OK);
        assertThat(me.receive(p.id(), PATIENT)).as("the partner's verdict").isEqualTo(Status.OK);
        assertThat(me.sender()).isEqualTo(p.id());
        assertThat(me.mr(2)).as("words seen by the partner").isEqualTo(words);
        assertThat(me.mr(1)).as("checksum of %d words", words).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(WaitStrategy.class)
  @DisplayName("IPC1002 call + replyWait across processes, every length, checked word by word")
  void callReplyWaitEveryLength(WaitStrategy w) throws Exception {
    final Partner p = start(w, EchoComponent.class);
    final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(1002);
    try (IpcThread me = p.client().attach("me")) {
      for (int words = 0; words < me.messageRegisters(); words++) {
        fill(me, 0x1002, words, random);
        final long[] sent = new long[words + 1];
        for (int i = 1; i <= words; i++) {
          sent[i] = me.mr(i);
        }
        assertThat(me.call(p.id(), PATIENT, PATIENT)).isEqualTo(Status.OK);
        assertThat(me.sender()).isEqualTo(p.id());
        assertThat(MessageTag.words(me.tag())).isEqualTo(words);
        for (int i = 1; i <= words; i++) {
          assertThat(me.mr(i)).as("MR%d of %d", i, words).isEqualTo(i == 1 ? sent[i] + 1 : sent[i]);
        }
      }
    }
  }

  @Test
  @DisplayName("IPC1003 a call queued before the server in another process waits is delivered and answered")
  void senderFirstAcrossProcesses() throws Exception {
    final Partner p = start(WaitStrategy.ADAPTIVE, PartnerComponent.class, "hold-then-echo");
    try (IpcThread me = p.client().attach("me")) {
      ProcessTests.awaitState(kernel, p.id(), IpcState.Kind.WAITING_FOR_NOTIFICATION);
      final CompletableFuture<long[]> call = new CompletableFuture<>();
      final Thread caller = Thread.ofPlatform().start(() -> {
        try (IpcThread c = p.client().attach("caller")) {
          c.setTag(MessageTag.of(0x1003, 1));
          c.setMr(1, 41);
          final int status = c.call(p.id(), PATIENT, PATIENT);
          call.complete(new long[] {status, c.mr(1), c.sender()});
        } catch (Throwable t) {
          call.completeExceptionally(t);
        }
      });
      // The caller is queued at the partner before the partner receives: the sender-first order.
      for (int i = 0; i < 30_000 && kernel.threads().stream().noneMatch(t -> t.ipcState().kind() == IpcState.Kind.SENDING); i++) {
        Thread.sleep(1);
      }
      assertThat(kernel.threads()).anyMatch(t -> t.ipcState().kind() == IpcState.Kind.SENDING);
      assertThat(me.notifyBits(p.id(), 1)).isEqualTo(Status.OK);
      final long[] r = call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat((int) r[0]).as(Status.toString((int) r[0])).isEqualTo(Status.OK);
      assertThat(r[1]).isEqualTo(42);
      assertThat(r[2]).isEqualTo(p.id());
      caller.join();
    }
  }

  @Test
  @DisplayName("IPC1004 timeouts across processes: zero-timeout send finds no partner; a reply that comes late fails")
  void timeoutsAcrossProcesses() throws Exception {
    final Partner p = start(WaitStrategy.ADAPTIVE, PartnerComponent.class, "sink");
    try (IpcThread me = p.client().attach("me")) {
      ProcessTests.awaitState(kernel, p.id(), IpcState.Kind.RECEIVING);
      me.setTag(MessageTag.of(0x1004, 0));
      final int call = me.call(p.id(), PATIENT, Timeout.relative(Duration.ofMillis(50)));
      assertThat(call).as(Status.toString(call)).isEqualTo(Status.receive(Status.TIMEOUT));
      ProcessTests.awaitState(kernel, p.id(), IpcState.Kind.WAITING_FOR_NOTIFICATION);
      me.setTag(MessageTag.of(0x1004, 0));
      assertThat(me.send(p.id(), Timeout.ZERO)).as("nobody receiving").isEqualTo(Status.send(Status.NO_PARTNER));
      assertThat(me.notifyBits(p.id(), 1)).isEqualTo(Status.OK);
      assertThat(me.receive(p.id(), PATIENT)).isEqualTo(Status.OK);
      assertThat(MessageTag.label(me.tag())).isEqualTo(PartnerComponent.LATE_REPLY_LABEL);
      assertThat((int) me.mr(1)).as("the late reply").isEqualTo(Status.send(Status.NO_PARTNER));
    }
  }

  @Test
  @DisplayName("IPC1005 stress: client threads call a thread pool in another process; every reply checked")
  void poolInAnotherProcess() throws Exception {
    final Partner p = start(WaitStrategy.BLOCK, PartnerComponent.class, "pool", "3");
    assertThat(ThreadId.isEndpoint(p.id())).isTrue();
    final int clients = 4;
    final int calls = 2000;
    final List<CompletableFuture<Long>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      final int client = c;
      final CompletableFuture<Long> f = new CompletableFuture<>();
      done.add(f);
      Thread.ofPlatform().start(() -> {
        try (IpcThread me = p.client().attach("client-" + client, WaitStrategy.BLOCK)) {
          long ok = 0;
          for (int i = 0; i < calls; i++) {
            me.setTag(MessageTag.of(client + 1, 2));
            me.setMr(1, (long) client << 32 | i);
            me.setMr(2, 1_000_000L * (client + 1));
            final int status = me.call(p.id(), PATIENT, PATIENT);
            if (status != Status.OK || me.mr(1) != ((long) client << 32 | i) + 1_000_000L * (client + 1)
                || MessageTag.label(me.tag()) != client + 1) {
              throw new AssertionError("client " + client + " call " + i + ": " + Status.toString(status));
            }
            ok++;
          }
          f.complete(ok);
        } catch (Throwable t) {
          f.completeExceptionally(t);
        }
      });
    }
    for (CompletableFuture<Long> f : done) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(calls);
    }
  }

  @Test
  @DisplayName("IPC1006 a stopped (SIGSTOP) process is not dead: its partner waits, and resumes with it")
  void stoppedProcessIsNotDead() throws Exception {
    final Partner p = start(WaitStrategy.ADAPTIVE, EchoComponent.class);
    try (IpcThread me = p.client().attach("me")) {
      me.setTag(MessageTag.of(1, 1));
      assertThat(me.call(p.id())).isEqualTo(Status.OK);
      signal("STOP", p.process().pid());
      try {
        awaitStopped(p.process().pid());
        me.setTag(MessageTag.of(1, 1));
        assertThat(me.call(p.id(), Timeout.relative(Duration.ofMillis(300)), Timeout.relative(Duration.ofMillis(300))))
            .as("a stopped partner times out, it is not PEER_DEAD")
            .isIn(Status.send(Status.TIMEOUT), Status.receive(Status.TIMEOUT));
      } finally {
        signal("CONT", p.process().pid());
      }
      me.setTag(MessageTag.of(1, 1));
      me.setMr(1, 7);
      assertThat(me.call(p.id(), PATIENT, PATIENT)).isEqualTo(Status.OK);
      assertThat(me.mr(1)).isEqualTo(8);
    }
  }

  private static void signal(String name, long pid) throws IOException, InterruptedException {
    final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  /**
   * kill(2) only makes SIGSTOP pending: a thread running on another vCPU (the echo server spinning
   * in its adaptive wait) may still take a call before it stops. Waits until every thread of the
   * process reports state T (stopped) in /proc.
   */
  private static void awaitStopped(long pid) throws IOException, InterruptedException {
    final Path tasks = Path.of("/proc", Long.toString(pid), "task");
    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!allStopped(tasks)) {
      assertThat(System.nanoTime() - deadline).as("process %d stopped within 10 s", pid).isNegative();
      Thread.sleep(1);
    }
  }

  private static boolean allStopped(Path tasks) throws IOException {
    try (var dirs = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) dirs::iterator) {
        final String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException threadEnded) {
          continue;
        }
        // The state follows the parenthesised command name, which may itself hold spaces.
        final char state = stat.charAt(stat.lastIndexOf(')') + 2);
        if (state != 'T' && state != 't') {
          return false;
        }
      }
    }
    return true;
  }
}
