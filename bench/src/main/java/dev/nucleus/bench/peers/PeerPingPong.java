package dev.nucleus.bench.peers;

import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.PingPong;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * A {@link Peer} as a bench mechanism: request/response round trips of a fixed payload, timed in
 * this JVM, against an echo side that usually runs in a child process.
 *
 * <pre>
 *   bench JVM (client, times each round trip)          child JVM (EchoServerMain)
 *   t0 = nanoTime
 *   request  ------ pipe / FIFO / socket / mq / ... ------>  read request
 *   response &lt;--------------------------------------------  write it back
 *   t1 = nanoTime; record t1 - t0
 * </pre>
 *
 * <p>Every run starts a fresh echo side in a fresh {@link Scratch} directory and removes both at
 * the end, whatever happens. Bounded: a {@link StallWatchdog} aborts the connection when the first
 * round trip (which includes the child's JIT warm-up) takes over {@link #FIRST_STEP} or a later one
 * over {@link #STALL}, and the run then throws.
 */
public final class PeerPingPong implements PingPong {

  static final Duration FIRST_STEP = Duration.ofSeconds(60);
  static final Duration STALL = Duration.ofSeconds(5);

  private final Peer peer;
  private final int payloadBytes;
  private final Duration stall;

  /** The null-message mechanism of {@code peer}. */
  public PeerPingPong(Peer peer) {
    this(peer, 0);
  }

  /** {@code peer} carrying {@code payloadBytes} each way (0 = null message). */
  public PeerPingPong(Peer peer, int payloadBytes) {
    this(peer, payloadBytes, STALL);
  }

  PeerPingPong(Peer peer, int payloadBytes, Duration stall) {
    if (payloadBytes < 0) throw new IllegalArgumentException("payloadBytes < 0: " + payloadBytes);
    this.peer = peer;
    this.payloadBytes = payloadBytes;
    this.stall = stall;
  }

  @Override
  public String name() {
    return peer.mechanismName(payloadBytes);
  }

  @Override
  public String floor() {
    return peer.floor();
  }

  @Override
  public String unavailableReason() {
    return peer.unavailableReason(payloadBytes);
  }

  @Override
  public String description() {
    return peer.description()
        + (payloadBytes == 0 ? "" : ", " + MessageSize.label(payloadBytes) + " each way");
  }

  @Override
  public int defaultIterations() {
    return peer.spins() ? SPIN_ITERATIONS : BLOCKING_ITERATIONS;
  }

  @Override
  public int defaultWarmup() {
    return peer.warmupRoundTrips();
  }

  @Override
  public MessageSize messageSize() {
    return new MessageSize(peer.mechanismName(0), payloadBytes, payloadBytes != 0);
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    final long total = (long) warmup + iterations;
    try (Scratch scratch = Scratch.create();
        PeerConnection connection = peer.connect(scratch, payloadBytes)) {
      StallWatchdog watchdog = new StallWatchdog(name(), FIRST_STEP, stall, connection::abort);
      long i = 0;
      try {
        for (; i < total; i++) {
          final long t0 = System.nanoTime();
          connection.roundTrip();
          final long t1 = System.nanoTime();
          if (i >= warmup) Latencies.record(roundTripsNs, t1 - t0);
          watchdog.progress(i + 1);
        }
      } catch (Exception e) {
        if (!watchdog.fired()) throw e;
        TimeoutException stalled =
            new TimeoutException(
                name() + ": no answer to round trip " + (i + 1) + " within " + limitFor(i));
        stalled.initCause(e);
        throw stalled;
      } finally {
        watchdog.close();
      }
    }
  }

  private String limitFor(long step) {
    Duration d = step == 0 ? FIRST_STEP : stall;
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
