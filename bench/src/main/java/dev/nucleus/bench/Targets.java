package dev.nucleus.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The performance targets of {@code docs/performance.md} ("Targets (same run)" and "LRPC
 * entries"), checked against one bench: every figure compared comes from that bench, as the
 * targets require. A target is checked only if everything it compares was measured (a {@code
 * --only} bench checks the targets its selection covers, and says nothing of the others).
 *
 * <p>A verdict is only as good as the run: on this VM a spin p50 moves between two phases and a
 * blocking p50 between two wake-up bands from one run to the next (see performance.md), so a
 * target between two mechanisms that land within a few percent of each other can be met in one
 * bench and missed in the next. The verdict reports what this bench measured, nothing more. The
 * two head-to-head targets are built to shed what can be shed of that: the spinning one is
 * judged on the ratios of runs that ran side by side (the phase cancels in each ratio), the
 * blocking one on the pair pinned to one CPU (the placement is the same for both); see {@link
 * #spinning} and {@link #blocking}.
 */
public final class Targets {

  /** How a target fared: its goal met, only its bar met (a target with a bar), or missed. */
  public enum Outcome {
    /** The goal is met. */
    MET("met"),
    /** The goal is missed but the bar, the least acceptable figure, is met. */
    BAR_MET("bar met"),
    /** Missed (the bar too, for a target with one). */
    MISSED("missed");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /**
     * How the summary and the JSON write it.
     *
     * @return {@code met}, {@code bar met} or {@code missed}
     */
    public String label() {
      return label;
    }
  }

  /**
   * One target's outcome in a bench.
   *
   * @param target the target, as performance.md states it
   * @param outcome met, bar met or missed
   * @param detail the figures it was judged on
   */
  public record Verdict(String target, Outcome outcome, String detail) {

    /**
     * A verdict on a target without a bar: met or missed.
     *
     * @param target the target
     * @param met whether this bench's figures meet it
     * @param detail the figures it was judged on
     */
    public Verdict(String target, boolean met, String detail) {
      this(target, met ? Outcome.MET : Outcome.MISSED, detail);
    }

    /**
     * Whether the target is met, at least at its bar.
     *
     * @return false only when missed
     */
    public boolean met() {
      return outcome != Outcome.MISSED;
    }
  }

  /**
   * Below this many bytes per round trip a figure is a one-off spread over the window (the JIT
   * changing tiers, a class loaded), not an allocation per round trip: the smallest object is 16
   * bytes, so a path that allocated on every round trip would show 16 or more.
   */
  static final double PER_ROUND_TRIP_BYTES = 1.0;

  /** What prints as 0.00. */
  private static final double ZERO_BYTES = 0.005;

  /** The most of one core an idle ADAPTIVE server may use. */
  static final double IDLE_CORE_LIMIT = 0.05;

  /** The most of {@code aeron-ipc}'s p99 that {@code nucleus-process-spin}'s may be. */
  static final double SPIN_P99_FRACTION = 1.0 / 3;

  /** The most of {@code floor-c-spin}'s p50 that {@code lrpc-process-null}'s may be (the goal). */
  static final double LRPC_FLOOR_GOAL = 1.15;

  /** The most of the raw kernel call's p50 that an LRPC null call's may be (the bar). */
  static final double LRPC_RAW_CALL_BAR = 1.3;

  /**
   * How many times below {@code grpc-kv-null}'s p50 (the same call as gRPC over TCP) {@code
   * lrpc-process-null}'s must be (issue 12).
   */
  static final int LRPC_BELOW_GRPC = 100;

  /**
   * The most of {@code floor-memcpy-1MiB}'s p50 that {@code lrpc-process-1MiB}'s may be: at
   * least half of memcpy's bandwidth.
   */
  static final double LRPC_BULK_BANDWIDTH = 2.0;

  /** The round trip over two one-way queues between two processes (issue 13). */
  public static final String QUEUE_PINGPONG_PROCESS = "queue-pingpong-process";

  /** The most of {@code floor-c-spin}'s p50 that {@code queue-pingpong-process}'s may be. */
  static final double QUEUE_PINGPONG_FLOOR = 1.2;

  private Targets() {}

  /**
   * The verdicts for {@code report}, in the order of performance.md's table; {@code
   * idleCoreFraction} is what an idle server cost, by mechanism name (see {@code IdleCost}).
   */
  public static List<Verdict> check(BenchReport report, Map<String, Double> idleCoreFraction) {
    final Map<String, MechanismResult> byName = new HashMap<>();
    for (MechanismResult r : report.results()) byName.put(r.name(), r);
    final List<Verdict> out = new ArrayList<>();
    ratio(out, byName, "nucleus-thread-spin", MechanismRegistry.FLOOR_JAVA_SPIN, 2.0);
    ratio(out, byName, "nucleus-thread-block", MechanismRegistry.FLOOR_C_FUTEX, 1.5);
    ratio(out, byName, "nucleus-thread-adaptive", MechanismRegistry.FLOOR_JAVA_SPIN, 3.0);
    ratio(out, byName, "nucleus-process-spin", MechanismRegistry.FLOOR_C_SPIN, 2.0);
    ratio(out, byName, "nucleus-process-block", MechanismRegistry.FLOOR_C_FUTEX, 1.3);
    ratio(out, byName, "nucleus-process-adaptive", MechanismRegistry.FLOOR_C_SPIN, 3.0);
    // LRPC (issue 12, item 6): the null call over a process binding against the floor (the goal)
    // and against the raw kernel call of the same placement (the bar); the thread binding has the
    // same bar.
    ratio(out, byName, MechanismRegistry.LRPC_PROCESS_NULL, MechanismRegistry.FLOOR_C_SPIN, LRPC_FLOOR_GOAL);
    overRawCall(out, byName, MechanismRegistry.LRPC_PROCESS_NULL, MechanismRegistry.NUCLEUS_PROCESS_SPIN);
    overRawCall(out, byName, MechanismRegistry.LRPC_THREAD_NULL, MechanismRegistry.NUCLEUS_THREAD_SPIN);
    // The same call as a gRPC unary call over TCP loopback: at least 100x slower (ratio of the
    // medians). Its RMI twin, rmi-kv-null, is reported in the table with no target.
    below(out, byName.get(MechanismRegistry.LRPC_PROCESS_NULL), byName.get(MechanismRegistry.GRPC_KV_NULL),
        LRPC_BELOW_GRPC);
    // A 1 MiB byte[] argument at no less than half of memcpy's bandwidth (full runs); the detail
    // adds the ratio to the transfer floor, what the binding itself adds.
    bulk(out, byName, "1MiB");
    // One-way queues (issue 13): a round trip over two queues, spinning, against the C floor; the
    // detail adds its ratio to the same two JVMs with no protocol, where that was measured.
    ratio(out, byName, QUEUE_PINGPONG_PROCESS, MechanismRegistry.FLOOR_C_SPIN, QUEUE_PINGPONG_FLOOR,
        overJavaFloor(byName.get(QUEUE_PINGPONG_PROCESS), byName.get(MechanismRegistry.FLOOR_JAVA_PROCESS_SPIN)));
    idleCoreFraction.forEach(
        (name, fraction) ->
            out.add(
                new Verdict(
                    "an idle " + name + " server uses < 5% of a core",
                    fraction < IDLE_CORE_LIMIT,
                    String.format(Locale.ROOT, "%.2f%%", 100 * fraction))));
    spinning(out, byName.get("nucleus-process-spin"), byName.get("aeron-ipc"));
    blocking(out, byName, MechanismRegistry.NUCLEUS_PROCESS_BLOCK, MechanismRegistry.PIPE);
    final MechanismResult adaptive = byName.get("nucleus-process-adaptive");
    below(out, adaptive, byName.get("unix-socket"), 10);
    below(out, adaptive, byName.get("grpc-tcp"), 50);
    allocation(out, report.results());
    return out;
  }

  private static void ratio(
      List<Verdict> out, Map<String, MechanismResult> byName, String name, String floor, double max) {
    ratio(out, byName, name, floor, max, "");
  }

  /** As {@link #ratio(List, Map, String, String, double)}, with {@code more} after the detail's figures. */
  private static void ratio(
      List<Verdict> out, Map<String, MechanismResult> byName, String name, String floor, double max, String more) {
    final MechanismResult r = byName.get(name);
    final MechanismResult f = byName.get(floor);
    if (r == null || f == null || p50(f) <= 0) {
      return;
    }
    final double ratio = (double) p50(r) / p50(f);
    out.add(
        new Verdict(
            String.format(Locale.ROOT, "%s p50 <= %sx %s", name, times(max), floor),
            ratio <= max,
            String.format(Locale.ROOT, "%.2fx (%d / %d ns)%s", ratio, p50(r), p50(f), more)));
  }

  /**
   * "; 1.05x floor-java-process-spin (500 ns)": what a round trip over the queues takes over the
   * same two JVMs with no protocol, or nothing if either was not measured.
   */
  private static String overJavaFloor(MechanismResult queue, MechanismResult javaFloor) {
    if (queue == null || javaFloor == null || p50(javaFloor) <= 0) {
      return "";
    }
    return String.format(Locale.ROOT, "; %.2fx %s (%d ns)", (double) p50(queue) / p50(javaFloor),
        MechanismRegistry.FLOOR_JAVA_PROCESS_SPIN, p50(javaFloor));
  }

  /**
   * A bulk LRPC entry ({@code lrpc-process-<size>}) against {@code floor-memcpy-<size>}, judged
   * as {@link #ratio} judges a floor ({@link #LRPC_BULK_BANDWIDTH}); the detail adds its ratio to
   * {@code floor-handoff-<size>} where that was measured: the same bytes moved to another core
   * with no protocol, so what is left over it is the binding's own cost, and what lies between
   * the two floors is the cost of crossing cores, which no binding avoids.
   */
  private static void bulk(List<Verdict> out, Map<String, MechanismResult> byName, String size) {
    final MechanismResult r = byName.get("lrpc-process-" + size);
    final MechanismResult memcpy = byName.get("floor-memcpy-" + size);
    final MechanismResult handoff = byName.get("floor-handoff-" + size);
    final String transfer = r == null || memcpy == null || handoff == null || p50(handoff) <= 0 || p50(memcpy) <= 0 ? ""
        : String.format(Locale.ROOT, "; %.2fx floor-handoff-%s (%d ns), which is itself %.2fx memcpy",
            (double) p50(r) / p50(handoff), size, p50(handoff), (double) p50(handoff) / p50(memcpy));
    ratio(out, byName, "lrpc-process-" + size, "floor-memcpy-" + size, LRPC_BULK_BANDWIDTH, transfer);
  }

  /**
   * An LRPC null call against the raw kernel call of the same placement, which it is built on:
   * met when its p50 is at most {@link #LRPC_RAW_CALL_BAR} times the raw call's, judged on the
   * medians as {@link #ratio} judges a floor. Both spin and their runs are interleaved, so the
   * detail adds the range of the per-run ratios when the runs pair up.
   */
  private static void overRawCall(List<Verdict> out, Map<String, MechanismResult> byName, String name, String raw) {
    final MechanismResult r = byName.get(name);
    final MechanismResult call = byName.get(raw);
    if (r == null || call == null || p50(call) <= 0) {
      return;
    }
    final double ratio = (double) p50(r) / p50(call);
    final double[] perRun = perRunRatios(r, call);
    final String range =
        perRun.length == 0
            ? ""
            : String.format(
                Locale.ROOT,
                "; per-run ratios %.2f..%.2f",
                Arrays.stream(perRun).min().orElseThrow(),
                Arrays.stream(perRun).max().orElseThrow());
    out.add(
        new Verdict(
            String.format(
                Locale.ROOT, "%s p50 <= %sx %s (the raw kernel call)", name, times(LRPC_RAW_CALL_BAR), raw),
            ratio <= LRPC_RAW_CALL_BAR,
            String.format(Locale.ROOT, "%.2fx (%d / %d ns)%s", ratio, p50(r), p50(call), range)));
  }

  /**
   * A target's factor as performance.md writes it: 2.0, 1.3, 1.15.
   *
   * @param max the factor
   * @return one decimal, or two where a tenth is not exact
   */
  public static String times(double max) {
    final double tenths = max * 10;
    return String.format(Locale.ROOT, tenths == Math.rint(tenths) ? "%.1f" : "%.2f", max);
  }

  /**
   * Spinning head to head (performance.md, "Head-to-head verdicts"): met when the median over the
   * runs of {@code p50(r)_i / p50(peer)_i} is at most 1.0 and {@code r}'s p99 at most {@link
   * #SPIN_P99_FRACTION} of {@code peer}'s. Runs are interleaved, so run i of each ran close
   * together in time, in the same phase of the VM; a ratio per run cancels the phase, which a
   * ratio of two medians does not. When the runs do not pair up, the ratio of the medians stands
   * in, and says so. The detail prints both ratios, then how the runs went: ahead in every run
   * (every ratio below 1.0), behind in every run (every ratio above), or else "parity within the
   * spread", which is what it is even when the median meets the rule: not a win.
   */
  private static void spinning(List<Verdict> out, MechanismResult r, MechanismResult peer) {
    if (r == null || peer == null || p50(peer) <= 0 || peer.rttNs().p99() <= 0) {
      return;
    }
    final double[] perRun = perRunRatios(r, peer);
    final double p50Ratio = perRun.length > 0 ? Medians.of(perRun) : (double) p50(r) / p50(peer);
    final double p99Ratio = (double) r.rttNs().p99() / peer.rttNs().p99();
    final String p50Basis =
        perRun.length > 0
            ? "median of " + perRun.length + " per-run ratios"
            : "ratio of the medians: runs not paired";
    final String detail =
        String.format(
            Locale.ROOT,
            "p50 %.2fx (%s; %d vs %d ns), p99 %.2fx (%d vs %d ns)%s",
            p50Ratio,
            p50Basis,
            p50(r),
            p50(peer),
            p99Ratio,
            r.rttNs().p99(),
            peer.rttNs().p99(),
            spread(perRun));
    out.add(
        new Verdict(
            r.name() + " vs " + peer.name() + " (busy spin): median per-run p50 ratio <= 1.0,"
                + " p99 <= 1/3 of " + peer.name() + "'s",
            p50Ratio <= 1.0 && p99Ratio <= SPIN_P99_FRACTION,
            detail));
  }

  /**
   * Blocking head to head, judged on the pinned twins ({@link Pinned}: each pair's two ends on one
   * CPU, so both are placed alike): {@code name-pinned}'s p50 no worse than {@code peer-pinned}'s.
   * The unpinned pair's figures, when measured, follow in the detail, marked placement-dependent
   * and not judged. No verdict without the pinned pair.
   */
  private static void blocking(List<Verdict> out, Map<String, MechanismResult> byName, String name,
      String peerName) {
    final MechanismResult r = byName.get(name + Pinned.SUFFIX);
    final MechanismResult peer = byName.get(peerName + Pinned.SUFFIX);
    if (r == null || peer == null) {
      return;
    }
    final MechanismResult unpinned = byName.get(name);
    final MechanismResult unpinnedPeer = byName.get(peerName);
    final String placementDependent =
        unpinned == null || unpinnedPeer == null
            ? ""
            : "; unpinned (placement-dependent, not judged): " + micros(unpinned, unpinnedPeer);
    out.add(
        new Verdict(
            r.name() + " p50 no worse than " + peer.name() + " (each pair on one CPU)",
            p50(r) <= p50(peer),
            micros(r, peer) + byRun(r, peer) + placementDependent));
  }

  /** The per-run p50 ratios of {@code r} to {@code peer}, or none if their runs do not pair up. */
  static double[] perRunRatios(MechanismResult r, MechanismResult peer) {
    final List<Long> a = r.p50PerRun();
    final List<Long> b = peer.p50PerRun();
    if (a.isEmpty() || a.size() != b.size() || b.stream().anyMatch(v -> v <= 0)) {
      return new double[0];
    }
    final double[] ratios = new double[a.size()];
    for (int i = 0; i < ratios.length; i++) ratios[i] = (double) a.get(i) / b.get(i);
    return ratios;
  }

  /** How the per-run ratios lie about 1.0 (see {@link #spinning}); nothing without them. */
  static String spread(double[] perRun) {
    if (perRun.length == 0) {
      return "";
    }
    final double min = Arrays.stream(perRun).min().orElseThrow();
    final double max = Arrays.stream(perRun).max().orElseThrow();
    final String where;
    if (max < 1.0) {
      where = "ahead in every run";
    } else if (min > 1.0) {
      where = "behind in every run";
    } else {
      where = "parity within the spread";
    }
    return String.format(Locale.ROOT, "; %s (per-run ratios %.2f..%.2f)", where, min, max);
  }

  private static String micros(MechanismResult r, MechanismResult peer) {
    return String.format(Locale.ROOT, "%.1f vs %.1f µs", p50(r) / 1000.0, p50(peer) / 1000.0);
  }

  private static void below(List<Verdict> out, MechanismResult r, MechanismResult peer, int factor) {
    if (r == null || peer == null || p50(r) <= 0) {
      return;
    }
    final double times = (double) p50(peer) / p50(r);
    out.add(
        new Verdict(
            r.name() + " p50 at least " + factor + "x below " + peer.name(),
            times >= factor,
            String.format(Locale.ROOT, "%.0fx (%d vs %d ns)", times, p50(r), p50(peer))));
  }

  private static void allocation(List<Verdict> out, List<MechanismResult> results) {
    final List<String> nonZero = new ArrayList<>();
    boolean met = true;
    int counted = 0;
    for (MechanismResult r : results) {
      if (r.allocation() == null) {
        continue;
      }
      counted++;
      final double client = r.allocation().clientBytesPerRoundTrip();
      final double server = r.allocation().serverBytesPerRoundTrip();
      if (client >= ZERO_BYTES || server >= ZERO_BYTES) {
        nonZero.add(String.format(Locale.ROOT, "%s %.2f / %.2f", r.name(), client, server));
      }
      met &= client < PER_ROUND_TRIP_BYTES && server < PER_ROUND_TRIP_BYTES;
    }
    if (counted == 0) {
      return;
    }
    final String detail;
    if (nonZero.isEmpty()) {
      detail = "0.00 / 0.00 in all " + counted;
    } else {
      detail = String.join(", ", nonZero) + (met ? " (one-off, under 1 B); the others 0.00" : "");
    }
    out.add(
        new Verdict(
            "0 B per round trip: no Nucleus entry allocates on every round trip (each side < 1 B)",
            met,
            detail));
  }

  /**
   * How {@code r} fared against {@code peer} run by run (run i of each ran close together in time,
   * runs being interleaved), or nothing if their runs were not kept or do not pair up. A median
   * can be decided by which runs landed in which of the VM's phases; this shows the spread.
   */
  static String byRun(MechanismResult r, MechanismResult peer) {
    final List<Long> a = r.p50PerRun();
    final List<Long> b = peer.p50PerRun();
    if (a.isEmpty() || a.size() != b.size()) {
      return "";
    }
    int ahead = 0;
    int level = 0;
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) < b.get(i)) {
        ahead++;
      } else if (a.get(i).equals(b.get(i))) {
        level++;
      }
    }
    return "; run by run: ahead in " + ahead + ", level in " + level + ", behind in "
        + (a.size() - ahead - level) + " of " + a.size();
  }

  private static long p50(MechanismResult r) {
    return r.rttNs().p50();
  }
}
