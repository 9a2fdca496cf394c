package dev.nucleus.bench.peers;

import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.PingPong;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * {@code aeron-ipc}, {@code aeron-ipc-backoff} and {@code aeron-ipc-jvm}: Aeron over {@code
 * aeron:ipc} with an embedded media driver, a request stream and a response stream (see {@link
 * AeronSupport}).
 *
 * <pre>
 *   aeron-ipc[-backoff]:  bench JVM --starts--> echo child (media driver + echo loop)
 *                                   --starts--> pinger child (times round trips, writes histogram)
 *   aeron-ipc-jvm:        bench JVM --starts--> one child: driver, echo thread, pinger thread
 * </pre>
 *
 * <p>Unlike the other peers, the round trips are timed in a child JVM ({@link AeronPingerMain}):
 * Agrona needs {@code --add-exports java.base/jdk.internal.misc}, which the bench JVM is not
 * started with. The child times each round trip exactly as {@link PeerPingPong} does and hands back
 * its histogram in a file. {@code aeron-ipc} and {@code -jvm} busy-spin on both sides ({@code
 * BusySpinIdleStrategy}); {@code -backoff} uses Aeron's default {@code BackoffIdleStrategy} (spin,
 * yield, then park 1 µs..1 ms).
 */
public final class AeronPingPong implements PingPong {

  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final int SPIN_RUN_ITERATIONS = 100_000;
  private static final int SWEEP_ITERATIONS = 20_000;

  private final String idle;
  private final boolean sameJvm;
  private final int payloadBytes;

  private AeronPingPong(String idle, boolean sameJvm, int payloadBytes) {
    this.idle = idle;
    this.sameJvm = sameJvm;
    this.payloadBytes = payloadBytes;
  }

  /** {@code aeron-ipc}: two processes, busy spin; {@code payloadBytes} each way (0 = empty). */
  public static AeronPingPong busySpin(int payloadBytes) {
    return new AeronPingPong("busy", false, payloadBytes);
  }

  /** {@code aeron-ipc-backoff}: two processes, Aeron's default backoff idle strategy. */
  public static AeronPingPong backoff() {
    return new AeronPingPong("backoff", false, 0);
  }

  /** {@code aeron-ipc-jvm}: one process, two threads, busy spin. */
  public static AeronPingPong sameJvm() {
    return new AeronPingPong("busy", true, 0);
  }

  private String family() {
    return "aeron-ipc" + (idle.equals("backoff") ? "-backoff" : "") + (sameJvm ? "-jvm" : "");
  }

  @Override
  public String name() {
    return family() + (payloadBytes == 0 ? "" : "-" + MessageSize.label(payloadBytes));
  }

  @Override
  public String floor() {
    if (idle.equals("backoff")) return MechanismRegistry.FLOOR_C_FUTEX;
    return sameJvm ? MechanismRegistry.FLOOR_JAVA_SPIN : MechanismRegistry.FLOOR_C_SPIN;
  }

  @Override
  public String description() {
    return "Aeron "
        + "aeron:ipc, embedded media driver, "
        + (idle.equals("busy") ? "busy spin" : "default backoff idle strategy")
        + (sameJvm ? ", both ends in one JVM" : ", two processes")
        + (payloadBytes == 0 ? "" : ", " + MessageSize.label(payloadBytes) + " each way");
  }

  /**
   * Busy spin: {@value #SPIN_RUN_ITERATIONS} round trips (half the spin default: each run starts
   * two JVMs and a media driver, and spins on both CPUs of the bench VM), {@value
   * #SWEEP_ITERATIONS} for the larger sizes of the sweep (64 KiB copies take ~15 µs); backoff: the
   * blocking default.
   */
  @Override
  public int defaultIterations() {
    if (!idle.equals("busy")) return BLOCKING_ITERATIONS;
    return payloadBytes == 0 ? SPIN_RUN_ITERATIONS : SWEEP_ITERATIONS;
  }

  @Override
  public MessageSize messageSize() {
    return new MessageSize(family(), payloadBytes, payloadBytes != 0);
  }

  @Override
  public String unavailableReason() {
    try {
      Class.forName("io.aeron.driver.MediaDriver", false, AeronPingPong.class.getClassLoader());
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return "Aeron (io.aeron:aeron-all) not on the class path";
    }
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    try (Scratch scratch = Scratch.createInMemory(AeronSupport.DIR_BYTES)) {
      Path dir = scratch.resolve("aeron");
      Path out = scratch.resolve("round-trips.hgrm");
      ChildJvm echo = null;
      ChildJvm pinger = null;
      try {
        if (!sameJvm) {
          echo =
              EchoServerMain.launch(
                  scratch,
                  AeronSupport.ECHO_FAMILY,
                  AeronSupport.JVM_FLAGS,
                  PeerArgs.words("dir", dir, "idle", idle));
          echo.awaitReady(READY_LIMIT);
        }
        pinger =
            ChildJvm.start(
                scratch,
                "aeron-pinger",
                AeronPingerMain.class,
                AeronSupport.JVM_FLAGS,
                PeerArgs.words(
                    "dir", dir,
                    "idle", idle,
                    "bytes", payloadBytes,
                    "warmup", warmup,
                    "iterations", iterations,
                    "out", out,
                    "embedded", sameJvm));
        // Bounded: the pinger gives up by itself after a 5 s stall; this is the backstop.
        pinger.awaitSuccess(Duration.ofSeconds(120 + ((long) warmup + iterations) / 1000));
        Histogram h =
            Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Files.readAllBytes(out)), 0);
        if (h.getTotalCount() != iterations) {
          throw new IllegalStateException(
              "pinger recorded " + h.getTotalCount() + " round trips, expected " + iterations);
        }
        roundTripsNs.add(h);
      } finally {
        try {
          if (pinger != null) pinger.close();
        } finally {
          if (echo != null) echo.close();
        }
      }
    }
  }
}
