package dev.nucleus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.RootTask;
import dev.nucleus.system.SystemDescriptor;
import dev.nucleus.system.SystemStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs a system in the foreground for {@code nucleus run} and {@code nucleus demo}: boots it, shows
 * a live status line (components, restarts, calls per second), and when it ends (a stop request,
 * the time limit, or an escalation) stops it in reverse start order and returns what it saw.
 */
final class SystemSession {

  /**
   * What a run saw.
   *
   * @param exitCode 0 stopped; {@link RootTask#EXIT_ESCALATED}; {@link RootTask#EXIT_BOOT_FAILED}
   * @param last the status just before the stop (null if the boot failed)
   * @param seconds how long the system ran
   * @param events the lines of the system's life (starts, deaths, restarts)
   * @param endMessage why it ended by itself, or empty
   */
  record Outcome(int exitCode, SystemStatus last, double seconds, List<String> events, String endMessage) {}

  private SystemSession() {}

  /** How long a run goes on past its limit for its {@code settled} condition to hold. */
  private static final long SETTLE_NANOS = 10_000_000_000L;

  /**
   * Runs {@code descriptor} until {@code stop} completes, {@code limit} passes (null: no limit) and
   * then {@code settled} holds (at most 10 s more), or the system escalates.
   */
  static Outcome run(SystemDescriptor descriptor, Path statusDir, Duration limit, Predicate<SystemStatus> settled,
      CompletableFuture<?> stop, PrintStream out) throws Exception {
    final List<String> events = new CopyOnWriteArrayList<>();
    final boolean tty = System.console() != null && System.console().isTerminal();
    final long t0 = System.nanoTime();
    final RootTask root;
    try {
      root = RootTask.boot(descriptor, statusDir, line -> {
        events.add(line);
        out.println((tty ? "\r\033[K" : "") + "  " + line);
      });
    } catch (IllegalStateException e) {
      return new Outcome(RootTask.EXIT_BOOT_FAILED, null, seconds(t0), events, e.getMessage());
    }
    SystemStatus last = root.status();
    try {
      out.println("  " + descriptor.name() + ": " + last.components().size() + " components up"
          + (root.statusPath() == null ? "" : "; status in " + root.statusPath() + " (nucleus ps)"));
      final CompletableFuture<Object> ended = CompletableFuture.anyOf(root.end(), stop);
      // The limit counts from the end of the boot: it is how long the system runs.
      final long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
      SystemStatus before = last;
      long at = System.nanoTime();
      while (!ended.isDone() && (System.nanoTime() - deadline < 0
          || !settled.test(last) && System.nanoTime() - deadline < SETTLE_NANOS)) {
        try {
          final long untilDeadline = (deadline - System.nanoTime()) / 1_000_000;
          ended.get(untilDeadline > 0 ? Math.min(tty ? 500 : 1000, untilDeadline) : 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // time for a status line
        }
        final SystemStatus now = root.status();
        final long when = System.nanoTime();
        final double perSecond = callsSince(before, now) * 1e9 / Math.max(1, when - at);
        before = now;
        at = when;
        last = now;
        if (!root.end().isDone()) {
          final String line = statusLine(now, perSecond, seconds(t0));
          out.print(tty ? "\r\033[K  " + line : "  " + line + System.lineSeparator());
          out.flush();
        }
      }
      if (tty) {
        out.println();
      }
    } finally {
      root.close();
    }
    final int code = root.end().getNow(RootTask.EXIT_STOPPED);
    return new Outcome(code, last, seconds(t0), events, root.endMessage());
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Calls served between two snapshots: per component, the growth of its count, or its whole
   * count where it dropped (a new instance counts from 0).
   */
  private static long callsSince(SystemStatus before, SystemStatus now) {
    long n = 0;
    for (ComponentStatus c : now.components()) {
      final long was = before.components().stream().filter(b -> b.name().equals(c.name()))
          .mapToLong(ComponentStatus::callsServed).findFirst().orElse(0);
      n += c.callsServed() >= was ? c.callsServed() - was : c.callsServed();
    }
    return n;
  }

  private static String statusLine(SystemStatus s, double callsPerSecond, double seconds) {
    final long running = s.components().stream().filter(c -> c.state().equals("running")).count();
    final long restarts = s.components().stream().mapToLong(ComponentStatus::restarts).sum();
    return String.format("%s  up %.1fs  components %d/%d running  restarts %d  calls/s %,.0f", s.system(), seconds,
        running, s.components().size(), restarts, callsPerSecond);
  }

  /** The summary table of a run. */
  static void printSummary(Outcome o, PrintStream out) {
    out.println();
    out.printf("Summary (%.1f s)%n", o.seconds());
    if (o.last() != null) {
      out.printf("  %-12s %-8s %-10s %8s %9s %12s%n", "component", "space", "state", "pid", "restarts", "calls served");
      for (ComponentStatus c : o.last().components()) {
        out.printf("  %-12s %-8s %-10s %8d %9d %12d%n", c.name(), c.isolation(), c.state(), c.pid(), c.restarts(),
            c.callsServed());
      }
    }
    if (!o.endMessage().isEmpty()) {
      out.println("  ended: " + o.endMessage());
    }
  }

  /** The run as JSON, for scripts. */
  static ObjectNode toJson(Outcome o) {
    final ObjectMapper m = new ObjectMapper();
    final ObjectNode root = m.createObjectNode();
    root.put("exit_code", o.exitCode()).put("seconds", o.seconds()).put("end_message", o.endMessage());
    if (o.last() != null) {
      root.put("system", o.last().system());
      final ArrayNode components = root.putArray("components");
      for (ComponentStatus c : o.last().components()) {
        components.addObject().put("name", c.name()).put("isolation", c.isolation()).put("state", c.state())
            .put("pid", c.pid()).put("restarts", c.restarts()).put("calls_served", c.callsServed());
      }
    }
    final ArrayNode events = root.putArray("events");
    o.events().forEach(events::add);
    return root;
  }
}
