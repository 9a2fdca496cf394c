package dev.nucleus.bench.oneway;

import dev.nucleus.bench.Targets;
import dev.nucleus.bench.Targets.Outcome;
import dev.nucleus.bench.Targets.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one-way targets of docs/performance.md (issue 13), judged on one bench's figures, each only
 * if everything it compares was measured: per message size,
 *
 * <ul>
 *   <li>{@code queue-process} against {@code aeron-ipc-oneway}: median rate at least
 *       {@value #PROCESS_GOAL}x Aeron's (met), at least Aeron's (bar met), else missed;
 *   <li>{@code queue-thread} against the better of {@code agrona-oneway} and {@code
 *       jctools-oneway}: median rate at least theirs (met or missed);
 * </ul>
 *
 * and once, over every Nucleus entry and size measured: no side allocates per message (each
 * under {@value #PER_MESSAGE_BYTES} B per message: a per-message allocation is at least one
 * 16-byte object). The round-trip target of {@code queue-pingpong-process} is judged with the
 * ping-pong entries ({@link Targets}).
 */
public final class OneWayTargets {

  /** How many times Aeron's median rate {@code queue-process}'s should be (the goal). */
  static final double PROCESS_GOAL = 2.0;

  /** Bytes per message under which a side counts as allocating nothing per message. */
  static final double PER_MESSAGE_BYTES = 1.0;

  private static final List<String> NUCLEUS = List.of(OneWayMechanism.QUEUE_PROCESS, OneWayMechanism.QUEUE_THREAD);

  private OneWayTargets() {}

  /**
   * The verdicts on {@code report}, sizes in order, then allocation.
   *
   * @param report the one-way figures of one bench
   * @return the verdicts its figures allow (none for an empty report)
   */
  public static List<Verdict> check(OneWayReport report) {
    final List<Verdict> out = new ArrayList<>();
    for (int bytes : Payload.SIZES) {
      againstAeron(out, report, bytes);
      againstInJvmPeers(out, report, bytes);
    }
    allocation(out, report);
    return out;
  }

  private static void againstAeron(List<Verdict> out, OneWayReport report, int bytes) {
    final Optional<OneWayResult> queue = report.find(OneWayMechanism.QUEUE_PROCESS, bytes);
    final Optional<OneWayResult> aeron = report.find(OneWayMechanism.AERON, bytes);
    if (queue.isEmpty() || aeron.isEmpty()) {
      return;
    }
    final double ratio = queue.get().medianRate() / aeron.get().medianRate();
    final Outcome outcome = ratio >= PROCESS_GOAL ? Outcome.MET : ratio >= 1.0 ? Outcome.BAR_MET : Outcome.MISSED;
    out.add(new Verdict(
        String.format(Locale.ROOT, "%s %d B throughput >= %sx %s (bar: >= 1x)", OneWayMechanism.QUEUE_PROCESS, bytes,
            Targets.times(PROCESS_GOAL), OneWayMechanism.AERON),
        outcome,
        String.format(Locale.ROOT, "%.2fx (%s vs %s)", ratio, rates(queue.get()), rates(aeron.get()))));
  }

  private static void againstInJvmPeers(List<Verdict> out, OneWayReport report, int bytes) {
    final Optional<OneWayResult> queue = report.find(OneWayMechanism.QUEUE_THREAD, bytes);
    final Optional<OneWayResult> agrona = report.find(OneWayMechanism.AGRONA, bytes);
    final Optional<OneWayResult> jctools = report.find(OneWayMechanism.JCTOOLS, bytes);
    if (queue.isEmpty() || agrona.isEmpty() && jctools.isEmpty()) {
      return;
    }
    final OneWayResult best = agrona.isEmpty() ? jctools.get()
        : jctools.isEmpty() || agrona.get().medianRate() >= jctools.get().medianRate() ? agrona.get() : jctools.get();
    final Optional<OneWayResult> other = best == agrona.orElse(null) ? jctools : agrona;
    final double ratio = queue.get().medianRate() / best.medianRate();
    final String otherName = best.name().equals(OneWayMechanism.AGRONA) ? OneWayMechanism.JCTOOLS
        : OneWayMechanism.AGRONA;
    out.add(new Verdict(
        String.format(Locale.ROOT, "%s %d B throughput >= the best of %s and %s", OneWayMechanism.QUEUE_THREAD, bytes,
            OneWayMechanism.AGRONA, OneWayMechanism.JCTOOLS),
        ratio >= 1.0,
        String.format(Locale.ROOT, "%.2fx %s (%s vs %s); %s", ratio, best.name(), rates(queue.get()), rates(best),
            other.map(o -> o.name() + " " + rates(o)).orElse(otherName + " not measured"))));
  }

  private static void allocation(List<Verdict> out, OneWayReport report) {
    final List<String> figures = new ArrayList<>();
    boolean met = true;
    for (OneWayResult r : report.results()) {
      if (!NUCLEUS.contains(r.name())) {
        continue;
      }
      if (r.senderBytesPerMessage() == null || r.receiverBytesPerMessage() == null) {
        met = false;
        figures.add(r.name() + " " + r.bytes() + " B not counted");
        continue;
      }
      met &= r.senderBytesPerMessage() < PER_MESSAGE_BYTES && r.receiverBytesPerMessage() < PER_MESSAGE_BYTES;
      figures.add(String.format(Locale.ROOT, "%s %d B %s / %s", r.name(), r.bytes(),
          OneWayTable.bytes(r.senderBytesPerMessage()), OneWayTable.bytes(r.receiverBytesPerMessage())));
    }
    if (figures.isEmpty()) {
      return;
    }
    out.add(new Verdict(
        "0 B per message: no Nucleus queue side allocates per message (sender / receiver, each < 1 B)",
        met,
        String.join(", ", figures)));
  }

  /** A result's median and spread, in millions of messages per second. */
  private static String rates(OneWayResult r) {
    return String.format(Locale.ROOT, "%.2f M msg/s, rounds %.2f..%.2f", r.medianRate() / 1e6, r.minRate() / 1e6,
        r.maxRate() / 1e6);
  }
}
