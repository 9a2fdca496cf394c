package dev.nucleus.bench.oneway;

import static dev.nucleus.bench.oneway.LinePingPong.PING;
import static dev.nucleus.bench.oneway.LinePingPong.PONG;
import static dev.nucleus.bench.oneway.LinePingPong.WORD;

import dev.nucleus.bench.peers.ChildJvm;
import dev.nucleus.bench.peers.ParentWatch;
import dev.nucleus.bench.peers.PeerArgs;
import dev.nucleus.kernel.SharedRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The echo of {@link LinePingPong}, in its own JVM: {@code LineEchoMain region=HANDLE parent=PID
 * total=N}. Maps the parent's region, prints READY, and answers round trips 1..N (spin until PING
 * holds the next number, store it to PONG), then exits 0. A stall (no ping for {@link
 * ThroughputLoop#STALL}) exits 1 with the reason on stderr; EOF on stdin halts it at once.
 */
public final class LineEchoMain {

  private LineEchoMain() {}

  /**
   * Runs the echo.
   *
   * @param args the {@code key=value} arguments above
   */
  public static void main(String[] args) {
    ParentWatch.start(); // halts this JVM when the bench that started it is gone
    ChildFailure.runOrHalt(args, LineEchoMain::run);
    Runtime.getRuntime().halt(0);
  }

  private static void run(PeerArgs a) {
    final long total = Long.parseLong(a.get("total"));
    final long stallNs = ThroughputLoop.STALL.toNanos();
    try (Arena arena = Arena.ofShared()) {
      final MemorySegment lines = SharedRegion.map(Long.parseLong(a.get("region")), Long.parseLong(a.get("parent")),
          2 * LinePingPong.LINE_PAIR, arena);
      System.out.println(ChildJvm.READY);
      System.out.flush();
      for (long seq = 1; seq <= total; seq++) {
        long since = 0;
        int spins = 0;
        while ((long) WORD.getAcquire(lines, PING) != seq) {
          Thread.onSpinWait();
          if (++spins % (1 << 12) == 0) {
            final long now = System.nanoTime();
            if (since == 0) {
              since = now;
            } else if (now - since > stallNs) {
              throw new IllegalStateException("no ping " + seq + " within " + stallNs / 1_000_000 + " ms");
            }
          }
        }
        WORD.setRelease(lines, PONG, seq);
      }
    }
  }
}
