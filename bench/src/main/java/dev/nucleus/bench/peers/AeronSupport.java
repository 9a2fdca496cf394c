package dev.nucleus.bench.peers;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * What both Aeron roles share: the IPC channel and its two streams, the embedded media driver, the
 * idle strategies, and the echo loop.
 *
 * <pre>
 *   pinger  --[ aeron:ipc stream 1001: requests  ]-->  echo
 *   pinger  &lt;--[ aeron:ipc stream 1002: responses ]--  echo
 *   (log buffers: term-length 4 MiB, in the run's scratch directory, /dev/shm when it has room)
 * </pre>
 *
 * <p>The media driver runs embedded in the echo process (or, for {@code aeron-ipc-jvm}, in the
 * single process) with {@link ThreadingMode#SHARED} and Aeron's default (backoff) idle strategy for
 * its agents: IPC data never passes through the driver, which only sets up the log buffers. The
 * term length is 4 MiB instead of the 64 MiB default so that a run's logs stay small in containers
 * with a small {@code /dev/shm}; a ping-pong never has more than one message in flight.
 */
public final class AeronSupport {

  static final String ECHO_FAMILY = "aeron-echo";

  /** The IPC channel every Aeron entry uses, one-way throughput included. */
  public static final String CHANNEL = "aeron:ipc?term-length=4m";
  static final int REQUEST_STREAM = 1001;
  static final int RESPONSE_STREAM = 1002;

  /** Room the run's scratch directory should have: 2 publications x 3 terms x 4 MiB, plus CnC. */
  public static final long DIR_BYTES = 64L << 20;

  /** JVM flags Agrona 2 needs on JDK 25 ({@code UnsafeApi} uses {@code jdk.internal.misc}). */
  public static final java.util.List<String> JVM_FLAGS =
      java.util.List.of(
          "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

  private static final Duration CONNECT_LIMIT = Duration.ofSeconds(60);

  private AeronSupport() {}

  /** {@code busy}: {@link BusySpinIdleStrategy}; {@code backoff}: Aeron's default backoff. */
  static IdleStrategy idleStrategy(String name) {
    return switch (name) {
      case "busy" -> new BusySpinIdleStrategy();
      case "backoff" -> new BackoffIdleStrategy();
      default -> throw new IllegalArgumentException("unknown idle strategy: " + name);
    };
  }

  /**
   * Launches the embedded media driver on {@code dir}.
   *
   * @param dir the Aeron directory (created; deleted when the driver closes)
   * @return the driver; close it last
   */
  public static MediaDriver launchDriver(String dir) {
    return MediaDriver.launchEmbedded(
        new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false));
  }

  /**
   * Connects a client to the driver on {@code dir}.
   *
   * @param dir the driver's Aeron directory
   * @return the client
   */
  public static Aeron connect(String dir) {
    return Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
  }

  /**
   * Waits, bounded, until {@code pub} has a subscriber and {@code sub} an image.
   *
   * @param pub a publication
   * @param sub a subscription
   * @throws TimeoutException if they are not connected within a minute
   * @throws InterruptedException if interrupted while waiting
   */
  public static void awaitConnected(Publication pub, Subscription sub)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + CONNECT_LIMIT.toNanos();
    while (!(pub.isConnected() && sub.isConnected())) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "Aeron streams not connected within " + CONNECT_LIMIT.toSeconds() + " s");
      }
      Thread.sleep(1);
    }
  }

  /** Child side ({@link EchoServerMain}): driver, client, echo loop until the parent is gone. */
  static void serveEcho(PeerArgs args) {
    String dir = args.get("dir");
    try (MediaDriver driver = launchDriver(dir);
        Aeron aeron = connect(driver.aeronDirectoryName())) {
      Subscription requests = aeron.addSubscription(CHANNEL, REQUEST_STREAM);
      ExclusivePublication responses = aeron.addExclusivePublication(CHANNEL, RESPONSE_STREAM);
      EchoServerMain.ready("");
      echo(requests, responses, idleStrategy(args.get("idle")), () -> false);
    }
  }

  /**
   * Echoes every whole request message back until {@code stop} says so or a stream closes. Sleeps
   * (1 ms steps) until the pinger has connected, so that a busy-spinning echo does not take a CPU
   * from the pinger's JVM while it starts.
   */
  static void echo(
      Subscription requests,
      Publication responses,
      IdleStrategy idle,
      java.util.function.BooleanSupplier stop) {
    while (!stop.getAsBoolean() && !requests.isConnected()) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    IdleStrategy offerIdle = new BusySpinIdleStrategy();
    FragmentAssembler assembler =
        new FragmentAssembler(
            (DirectBuffer buffer, int offset, int length, io.aeron.logbuffer.Header header) -> {
              long r;
              while ((r = responses.offer(buffer, offset, length)) < 0) {
                if (stop.getAsBoolean()) return; // the pinger is done; drop the response
                if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                  throw new IllegalStateException(
                      "response publication failed: " + Publication.errorString(r));
                }
                offerIdle.idle();
              }
            });
    while (!stop.getAsBoolean() && !requests.isClosed()) {
      idle.idle(requests.poll(assembler, 10));
    }
  }
}
