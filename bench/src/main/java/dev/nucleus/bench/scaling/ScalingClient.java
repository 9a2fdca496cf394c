package dev.nucleus.bench.scaling;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.lrpc.Bench;
import org.HdrHistogram.Histogram;

/**
 * One client of a scaling session, a thread of a client process: while the command says it calls,
 * it makes {@link Bench#echo} calls one after the other, each with a request unique in the session
 * ({@link SequenceLedger#value}: its index and its next number), checks every reply against its
 * request, and publishes its count of completed calls in the control region; in the MEASURE phase
 * it records each call's latency. Otherwise it sleeps until the command changes.
 *
 * <pre>
 *   loop: command = board.current()
 *         EXIT                     -&gt; end
 *         not calling              -&gt; if it was a client of this step: hand over the step (doneStep)
 *                                     wait for another command
 *         calling                  -&gt; request = k &lt;&lt; 40 | seq; reply = echo(request)
 *                                     reply != request -&gt; fail; seq++; CALLS[k] = seq
 *                                     MEASURE -&gt; record the latency
 * </pre>
 *
 * A wrong reply, or a call that fails (its deadline passed: the reply was lost; the server gone),
 * ends the thread with {@link #failure()} set; the process then fails the session. The histogram
 * of a step is read by the process's main thread once {@link #doneStep()} says the step is over
 * for this client; the client does not touch it again until a later step starts, which the bench
 * JVM orders only after the process has reported.
 */
final class ScalingClient implements Runnable {

  private final int k;
  private final Bench bench;
  private final ControlFlyweight control;
  private final CommandBoard board;
  /** This thread's latencies in the current step's MEASURE phase; see the class comment for who reads it. */
  private final Histogram latencies = Latencies.newHistogram();
  /** The step {@link #latencies} belongs to; this thread only. */
  private int histogramStep = -1;
  /** Calls completed and checked; this thread only (published as CALLS). */
  private long seq;
  /** The last step this client called in and has finished; written by this thread, read by the process's main thread. */
  private volatile int doneStep;
  /** Why this client stopped, or null; written by this thread. */
  private volatile String failure;

  /**
   * A client.
   *
   * @param k its index in the session
   * @param bench the proxy to call, through the process's binding
   * @param control the control region, for the count of calls
   * @param board the command as the process sees it
   */
  ScalingClient(int k, Bench bench, ControlFlyweight control, CommandBoard board) {
    this.k = k;
    this.bench = bench;
    this.control = control;
    this.board = board;
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (InterruptedException e) {
      failure = "client " + k + " was interrupted";
    } catch (RuntimeException e) {
      failure = "client " + k + ": call " + seq + ", echo(0x" + Long.toHexString(SequenceLedger.value(k, seq))
          + "), failed: " + e + " (a lost reply, or the server gone)";
    }
  }

  private void loop() throws InterruptedException {
    while (true) {
      final Command command = board.current();
      if (command.phase() == Command.Phase.EXIT) {
        return;
      }
      if (!command.calls(k)) {
        if (k < command.clients() && command.step() > doneStep) {
          handOver(command.step());
        }
        board.awaitOther(command);
        continue;
      }
      if (command.step() != histogramStep) {
        latencies.reset();
        histogramStep = command.step();
      }
      final long request = SequenceLedger.value(k, seq);
      final long t0 = System.nanoTime();
      final long reply = bench.echo(request);
      final long t1 = System.nanoTime();
      if (reply != request) {
        failure = "client " + k + ": call " + seq + ", echo(0x" + Long.toHexString(request) + "), came back as 0x"
            + Long.toHexString(reply) + " (a wrong reply: misrouted or corrupted)";
        return;
      }
      seq++;
      control.callsRelease(k, seq);
      if (command.phase() == Command.Phase.MEASURE) {
        Latencies.record(latencies, t1 - t0);
      }
    }
  }

  /** Ends {@code step} for this client: its histogram is that step's (empty if it never called in it). */
  private void handOver(int step) {
    if (histogramStep != step) {
      latencies.reset();
      histogramStep = step;
    }
    doneStep = step;
  }

  /**
   * The client's index in the session.
   *
   * @return k
   */
  int index() {
    return k;
  }

  /**
   * The last step this client called in and has finished.
   *
   * @return a step, 0 before the first
   */
  int doneStep() {
    return doneStep;
  }

  /**
   * The latencies of step {@link #doneStep()}; read only after it, before the next step starts.
   *
   * @return this client's histogram
   */
  Histogram latencies() {
    return latencies;
  }

  /**
   * Why this client stopped calling.
   *
   * @return the reason, or null while it works
   */
  String failure() {
    return failure;
  }
}
