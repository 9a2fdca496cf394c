package dev.nucleus.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Statuses to publish, and ways to damage a segment's file, for the status segment's tests. */
public final class StatusFixtures {

  /** A time with nanoseconds, to see that both fields of a time survive. */
  public static final Instant STARTED = Instant.parse("2026-03-01T10:15:30.123456789Z");

  private StatusFixtures() {}

  /**
   * A system of three components (a process server with two threads, a thread client with one,
   * a failed one with none) in the states ps must show.
   */
  public static SystemStatus threeComponents(long rootPid) {
    final ComponentStatus kv = new ComponentStatus("kv", "process", "running", 2, 4250, 3, 120_345,
        STARTED.plusSeconds(60), List.of(
            new ThreadStatus(0x1_0002_0001L, "server-0", "receiving", "any"),
            new ThreadStatus(0x1_0002_0002L, "server-1", "waiting_for_reply", "clock/tick")));
    final ComponentStatus client = new ComponentStatus("client", "thread", "running", 3, rootPid, 0, 0, STARTED,
        List.of(new ThreadStatus(0x1_0003_0001L, "main", "sending", "kv/server-0")));
    final ComponentStatus crasher = new ComponentStatus("crasher", "process", "failed", 4, 0, 5, 7, STARTED,
        List.of());
    return new SystemStatus("demo", rootPid, STARTED, STARTED.plusSeconds(3600), List.of(kv, client, crasher));
  }

  /** {@code components} components of {@code threadsEach} idle threads each, named c0.. and t0... */
  public static SystemStatus many(long rootPid, int components, int threadsEach) {
    final List<ComponentStatus> list = new ArrayList<>();
    for (int c = 0; c < components; c++) {
      final List<ThreadStatus> threads = new ArrayList<>();
      for (int t = 0; t < threadsEach; t++) {
        threads.add(new ThreadStatus(c * 1000L + t, "t" + t, "idle", ""));
      }
      list.add(new ComponentStatus("c" + c, "thread", "running", c % 32_768, rootPid, 0, c, STARTED, threads));
    }
    return new SystemStatus("many", rootPid, STARTED, STARTED, list);
  }

  /** The pid of a process that has exited: no process has it (until the kernel reuses it). */
  public static long deadPid() throws IOException, InterruptedException {
    final Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  /** Writes {@code bytes} at {@code offset} of {@code file}, as a broken or hostile writer would. */
  public static void poke(Path file, long offset, byte... bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  /** Writes the u32 {@code v} at {@code offset} of {@code file} (little-endian). */
  public static void pokeInt(Path file, long offset, int v) throws IOException {
    poke(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
  }

  /** Writes the u64 {@code v} at {@code offset} of {@code file} (little-endian). */
  public static void pokeLong(Path file, long offset, long v) throws IOException {
    poke(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }
}
