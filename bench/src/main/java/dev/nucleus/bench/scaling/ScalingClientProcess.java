package dev.nucleus.bench.scaling;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.lrpc.Bench;
import dev.nucleus.bench.lrpc.Bench_Service;
import dev.nucleus.bench.peers.PeerArgs;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.SharedRegion;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.KernelBinding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * A client process of a scaling session, run in a process space whose peer is the server's space:
 * maps the control region, binds to the server the root offers as {@value #SERVER_NAME}, starts its
 * client threads ({@link ScalingClient}) and reports READY; then, every {@value #POLL_MS} ms, copies a new
 * command to its threads, and after each step hands the bench JVM its threads' latencies, merged.
 *
 * <pre>
 * ScalingClientProcess region=HANDLE parent=PID process=P processes=N threads=T deadlineMs=D
 *   region, parent  the control region and the pid of the process that made it (the bench JVM)
 *   process         this process's index, 0 .. N-1; its threads are clients P, P+N, P+2N ...
 *   deadlineMs      the deadline of every call
 * </pre>
 *
 * A client that fails (a wrong reply, a failed call) or a bad command word fails the process: it
 * writes why into its record (STATE = FAILED) and exits with status 1. The EXIT command ends it
 * with status 0. It exits with the bench JVM too (a process space dies with its root).
 */
public final class ScalingClientProcess implements ProcessComponent {

  /** The name the root offers the server's id under. */
  static final String SERVER_NAME = "bench";

  private static final Duration LOOKUP_LIMIT = Duration.ofSeconds(30);
  private static final long JOIN_MS = 10_000;
  /**
   * How often the main thread reads the command word: often enough that a step starts and ends
   * within a few ms (the warm-up absorbs it; the rates count calls, not phases), rarely enough that
   * four polling processes cost the measured calls under 1% of a CPU.
   */
  private static final long POLL_MS = 5;

  /** Made by the kernel in the child JVM. */
  public ScalingClientProcess() {}

  /**
   * The arguments that start client process {@code process} of a session.
   *
   * @param region the control region's handle
   * @param process this process's index
   * @param plan the session's plan
   * @return {@code key=value} strings, in the order above
   */
  static String[] args(long region, int process, ScalingPlan plan) {
    return new String[] {
      "region=" + region, "parent=" + ProcessHandle.current().pid(), "process=" + process,
      "processes=" + plan.processes(), "threads=" + plan.threadsPerProcess(),
      "deadlineMs=" + plan.callDeadline().toMillis()
    };
  }

  @Override
  public void run(ProcessContext context) throws Exception {
    final PeerArgs a = PeerArgs.parse(context.args());
    final int process = Integer.parseInt(a.get("process"));
    final int processes = Integer.parseInt(a.get("processes"));
    final int threads = Integer.parseInt(a.get("threads"));
    if (process < 0 || process >= processes) {
      throw new IllegalArgumentException("process=" + process + " is not one of 0.." + (processes - 1));
    }
    try (Arena arena = Arena.ofShared()) {
      final MemorySegment memory = SharedRegion.map(Long.parseLong(a.get("region")), Long.parseLong(a.get("parent")),
          ControlDescriptor.length(processes, threads), arena);
      final ControlFlyweight control = ControlFlyweight.attach(memory, processes, threads);
      try {
        serve(context, control, process, Duration.ofMillis(Long.parseLong(a.get("deadlineMs"))));
      } catch (Exception | Error e) {
        control.failRelease(process, "client process " + process + ": "
            + (e.getMessage() == null ? e.toString() : e.getMessage()));
        throw e;
      }
    }
  }

  private static void serve(ProcessContext context, ControlFlyweight control, int process, Duration deadline)
      throws Exception {
    final long server = awaitServer(context);
    try (KernelBinding binding = KernelBinding.to(context.space(), server, Bench_Service.INSTANCE, deadline)) {
      final Bench bench = binding.proxy(Bench_Service.INSTANCE);
      final CommandBoard board = new CommandBoard();
      final ScalingClient[] clients = new ScalingClient[control.threads()];
      final Thread[] threads = new Thread[clients.length];
      for (int t = 0; t < clients.length; t++) {
        clients[t] = new ScalingClient(t * control.processes() + process, bench, control, board);
        threads[t] = Thread.ofPlatform().daemon().name("scaling-client-" + clients[t].index()).start(clients[t]);
      }
      control.stateRelease(process, ControlDescriptor.READY);
      int reported = 0;
      while (true) {
        final long word = control.commandWordAcquire();
        if (word != board.current().word()) {
          board.publish(Command.of(word));
        }
        for (ScalingClient c : clients) {
          if (c.failure() != null) {
            throw new IllegalStateException(c.failure());
          }
        }
        final Command command = board.current();
        if (command.phase() == Command.Phase.EXIT) {
          for (Thread t : threads) {
            t.join(JOIN_MS);
          }
          return;
        }
        if (command.phase() == Command.Phase.PAUSE && command.step() > reported && allDone(clients, command)) {
          control.reportRelease(process, command.step(), merged(clients, command));
          reported = command.step();
        }
        Thread.sleep(POLL_MS);
      }
    }
  }

  /** Whether every client of this process that called in the paused step has finished it. */
  private static boolean allDone(ScalingClient[] clients, Command paused) {
    for (ScalingClient c : clients) {
      if (c.index() < paused.clients() && c.doneStep() < paused.step()) {
        return false;
      }
    }
    return true;
  }

  /** The latencies of the paused step, every client of this process that called in it together. */
  private static Histogram merged(ScalingClient[] clients, Command paused) {
    final Histogram all = Latencies.newHistogram();
    for (ScalingClient c : clients) {
      if (c.index() < paused.clients()) {
        all.add(c.latencies());
      }
    }
    return all;
  }

  private static long awaitServer(ProcessContext context) throws InterruptedException, TimeoutException {
    final long deadline = System.nanoTime() + LOOKUP_LIMIT.toNanos();
    for (long id = context.lookup(SERVER_NAME); ; id = context.lookup(SERVER_NAME)) {
      if (id != ThreadId.NIL) {
        return id;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the root offered no '" + SERVER_NAME + "' within " + LOOKUP_LIMIT.toSeconds() + " s");
      }
      Thread.sleep(1);
    }
  }


}
