package dev.nucleus.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code floor-c-spin} and {@code floor-c-futex}: the hardware floors, measured by small C programs
 * (sources in {@code bench/src/main/c}, described in {@code floor_common.h}) in which a process and
 * its forked child ping-pong two cache lines of shared memory, spinning or futex-waiting.
 *
 * <p>Each {@link #run} starts the compiled program with the warmup and iteration counts, waits for
 * it (bounded: the program stops itself at its wall-clock limit, and this side kills it a little
 * later still), then reads the round trips the program wrote as little-endian int64 ns into the
 * histogram. The program is compiled with the system C compiler on first use ({@link
 * #unavailableReason()} triggers it); without a compiler the floor is unavailable.
 */
public final class CFloor implements PingPong {

  /**
   * The wall-clock limit of one run: this much, plus 1 ms per round trip (futex ones take ~50 µs).
   */
  private static final long BASE_LIMIT_S = 60;

  /** How long after the program's own limit this side kills it. */
  private static final long GRACE_S = 10;

  private final String name;
  private final String source;
  private final int defaultIterations;
  private final String description;

  private CFloor(String name, String source, int defaultIterations, String description) {
    this.name = name;
    this.source = source;
    this.defaultIterations = defaultIterations;
    this.description = description;
  }

  /** Two processes spinning on two shared cache lines with the CPU pause hint. */
  public static CFloor spin() {
    return new CFloor(
        MechanismRegistry.FLOOR_C_SPIN,
        "floor_spin.c",
        SPIN_ITERATIONS,
        "C, two processes, shared cache lines, pause-spin");
  }

  /** Two processes waking each other with shared FUTEX_WAIT / FUTEX_WAKE on every round trip. */
  public static CFloor futex() {
    return new CFloor(
        MechanismRegistry.FLOOR_C_FUTEX,
        "floor_futex.c",
        BLOCKING_ITERATIONS,
        "C, two processes, shared cache lines, FUTEX_WAIT/FUTEX_WAKE");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String floor() {
    return null;
  }

  @Override
  public String unavailableReason() {
    return CCompiler.shared().compile(source).unavailableReason();
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public int defaultIterations() {
    return defaultIterations;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs)
      throws IOException, InterruptedException {
    CCompiler.Result compiled = CCompiler.shared().compile(source);
    if (compiled.binary() == null) throw new IllegalStateException(compiled.unavailableReason());
    Path dir = CCompiler.shared().workDir();
    Path out = Files.createTempFile(dir, name + "-", ".rtt");
    Path log = Files.createTempFile(dir, name + "-", ".log");
    long limitS = BASE_LIMIT_S + ((long) warmup + iterations) / 1000;
    Process p = null;
    try {
      p =
          new ProcessBuilder(
                  compiled.binary().toString(),
                  Integer.toString(warmup),
                  Integer.toString(iterations),
                  out.toString(),
                  Long.toString(limitS))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(limitS + GRACE_S, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            name + " did not finish within " + (limitS + GRACE_S) + " s");
      }
      if (p.exitValue() != 0) {
        String msg = Files.readString(log, StandardCharsets.UTF_8).strip();
        throw new IllegalStateException(
            name + " exited with status " + p.exitValue() + (msg.isEmpty() ? "" : ": " + msg));
      }
      readInto(out, iterations, roundTripsNs);
    } finally {
      if (p != null && p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly); // the forked ponger
        p.destroyForcibly();
        p.waitFor(GRACE_S, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(log);
    }
  }

  private void readInto(Path out, int iterations, Histogram h) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    if (buf.remaining() != (long) iterations * Long.BYTES) {
      throw new IllegalStateException(
          name
              + " wrote "
              + buf.remaining()
              + " bytes, expected "
              + (long) iterations * Long.BYTES);
    }
    while (buf.hasRemaining()) Latencies.record(h, buf.getLong());
  }
}
