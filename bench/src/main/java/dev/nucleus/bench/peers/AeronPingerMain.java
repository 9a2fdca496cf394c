package dev.nucleus.bench.peers;

import dev.nucleus.bench.Latencies;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.agrona.BufferUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The measuring side of the Aeron peers, in its own JVM (Agrona needs JVM flags the bench JVM does
 * not have): {@code AeronPingerMain dir=D idle=busy|backoff bytes=N warmup=W iterations=I out=FILE
 * embedded=true|false}. Times each request/response round trip like {@link PeerPingPong} does,
 * writes the histogram (HdrHistogram's compressed encoding) to {@code out}, and exits 0; on any
 * failure it prints why on stderr and exits 1.
 *
 * <p>{@code embedded=false}: connects to the media driver that the echo child runs on {@code dir}.
 * {@code embedded=true} ({@code aeron-ipc-jvm}): runs the driver and the echo loop (on a second
 * thread) itself.
 *
 * <p>Bounds: each wait re-checks the clock every {@value #CHECK_EVERY} idle steps and fails after
 * {@link PeerPingPong#STALL} without an answer; the JVM halts when its parent goes away.
 */
public final class AeronPingerMain {

  private static final int CHECK_EVERY = 1 << 10;

  private AeronPingerMain() {}

  public static void main(String[] args) {
    ParentWatch.start();
    try {
      run(PeerArgs.parse(Arrays.asList(args)));
    } catch (Throwable t) {
      t.printStackTrace();
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
    Runtime.getRuntime().halt(0);
  }

  private static void run(PeerArgs a) throws Exception {
    String dir = a.get("dir");
    boolean embedded = a.getBoolean("embedded");
    int warmup = a.getInt("warmup");
    int iterations = a.getInt("iterations");
    Histogram h = Latencies.newHistogram();
    MediaDriver driver = embedded ? AeronSupport.launchDriver(dir) : null;
    try (Aeron aeron = AeronSupport.connect(dir)) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread echo = null;
      try {
        if (embedded) echo = startEcho(aeron, AeronSupport.idleStrategy(a.get("idle")), stop);
        ping(
            aeron,
            AeronSupport.idleStrategy(a.get("idle")),
            a.getInt("bytes"),
            warmup,
            iterations,
            h);
      } finally {
        // The echo thread must be gone before the client closes and unmaps its log buffers.
        stop.set(true);
        if (echo != null) {
          echo.join(TimeUnit.SECONDS.toMillis(5));
          if (echo.isAlive()) throw new IllegalStateException("echo thread did not stop");
        }
      }
    } finally {
      if (driver != null) driver.close();
    }
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int len = h.encodeIntoCompressedByteBuffer(buf);
    Files.write(Path.of(a.get("out")), Arrays.copyOf(buf.array(), len));
  }

  /** Starts the in-process echo loop ({@code aeron-ipc-jvm}) on its own thread. */
  private static Thread startEcho(Aeron aeron, IdleStrategy idle, AtomicBoolean stop) {
    Subscription requests =
        aeron.addSubscription(AeronSupport.CHANNEL, AeronSupport.REQUEST_STREAM);
    ExclusivePublication responses =
        aeron.addExclusivePublication(AeronSupport.CHANNEL, AeronSupport.RESPONSE_STREAM);
    return Thread.ofPlatform()
        .name("aeron-echo")
        .daemon()
        .start(() -> AeronSupport.echo(requests, responses, idle, stop::get));
  }

  /** A response counter the fragment handler bumps; read by the pinging loop. */
  private static final class Responses {
    long count;
  }

  private static void ping(
      Aeron aeron, IdleStrategy idle, int bytes, int warmup, int iterations, Histogram h)
      throws Exception {
    ExclusivePublication requests =
        aeron.addExclusivePublication(AeronSupport.CHANNEL, AeronSupport.REQUEST_STREAM);
    Subscription responses =
        aeron.addSubscription(AeronSupport.CHANNEL, AeronSupport.RESPONSE_STREAM);
    AeronSupport.awaitConnected(requests, responses);
    UnsafeBuffer request =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(bytes, 64), 64));
    Responses got = new Responses();
    FragmentAssembler assembler =
        new FragmentAssembler((buffer, offset, length, header) -> got.count++);
    final long stallNs = PeerPingPong.STALL.toNanos();
    final long total = (long) warmup + iterations;
    for (long i = 0; i < total; i++) {
      final long t0 = System.nanoTime();
      long r;
      int idles = 0;
      while ((r = requests.offer(request, 0, bytes)) < 0) {
        if (r == Publication.CLOSED
            || r == Publication.MAX_POSITION_EXCEEDED
            || r == Publication.NOT_CONNECTED) {
          throw new IllegalStateException("request publication: " + Publication.errorString(r));
        }
        idle.idle();
        if (++idles == CHECK_EVERY) {
          idles = 0;
          checkStall(t0, stallNs, i);
        }
      }
      idle.reset();
      final long expected = got.count + 1;
      while (got.count < expected) {
        int fragments = responses.poll(assembler, 10);
        idle.idle(fragments);
        if (fragments == 0 && ++idles == CHECK_EVERY) {
          idles = 0;
          checkStall(t0, stallNs, i);
        }
      }
      final long t1 = System.nanoTime();
      if (i >= warmup) Latencies.record(h, t1 - t0);
    }
  }

  private static void checkStall(long t0, long stallNs, long i) throws TimeoutException {
    if (System.nanoTime() - t0 > stallNs) {
      throw new TimeoutException(
          "no answer to round trip "
              + (i + 1)
              + " within "
              + TimeUnit.NANOSECONDS.toSeconds(stallNs)
              + " s");
    }
  }
}
