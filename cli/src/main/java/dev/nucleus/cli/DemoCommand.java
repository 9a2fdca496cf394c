package dev.nucleus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nucleus demo}: boots the {@link DemoSystem}, shows progress, ends with a summary. The
 * JSON file is checked before the run and written after the summary is printed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Boot a small system of spaces and watch IPC at work.",
      "",
      "Thread spaces of one kernel: a server thread pool on an endpoint, clients doing"
          + " call/replyWait, notifications, a timer interrupt delivered to a driver, and a space"
          + " that fails on purpose while its partners carry on."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--clients", defaultValue = "3", description = "client spaces (default ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--calls", defaultValue = "50000", description = "calls per client (default ${DEFAULT-VALUE})")
  int calls;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the summary as JSON to FILE (its directory must exist)")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || clients > 32 || calls < 1) {
      System.err.println("demo: --clients must be in [1, 32] and --calls >= 1");
      return 2;
    }
    if (json != null) {
      final String problem = OutputFile.problem(json).orElse(null);
      if (problem != null) {
        System.err.println("demo: cannot write --json " + json + ": " + problem);
        return 2;
      }
    }
    final PrintStream out = System.out;
    final DemoSystem.Report r = new DemoSystem(clients, calls, line -> out.println("  " + line)).run();
    printSummary(r, out);
    final boolean ok = r.clients().stream().allMatch(c -> c.errors() == 0) && r.crasherEnded()
        && r.crashStatus().startsWith("PEER_DEAD");
    out.println(ok ? "demo: OK" : "demo: FAILED (see above)");
    out.flush();
    if (json != null) {
      try (OutputStream file = Files.newOutputStream(json)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file, toJson(r));
      } catch (IOException e) {
        System.err.println("demo: cannot write --json " + json + ": " + OutputFile.reason(e) + " (the summary is above)");
        return 1;
      }
      out.println("demo: wrote " + json);
    }
    return ok ? 0 : 1;
  }

  private static void printSummary(DemoSystem.Report r, PrintStream out) {
    out.println();
    out.println("Summary (" + String.format("%.1f", r.seconds()) + " s)");
    out.println("  call/replyWait round trips, ns:");
    out.printf("    %-10s %8s %6s %8s %8s %8s %8s %10s%n", "client", "calls", "errors", "p50", "p90", "p99", "p99.9", "max");
    final Histogram all = new Histogram(3_600_000_000_000L, 3);
    for (DemoSystem.ClientResult c : r.clients()) {
      row(out, c.name(), c.calls(), c.errors(), c.latencyNs());
      all.add(c.latencyNs());
    }
    row(out, "all", all.getTotalCount(), r.clients().stream().mapToLong(DemoSystem.ClientResult::errors).sum(), all);
    out.println("  kv-server workers served: " + new TreeMap<>(r.servedPerWorker()));
    out.println("  notifications: " + r.notifications() + " deliveries, bits seen 0x" + Long.toHexString(r.notificationBits()));
    out.println("  timer interrupt: " + r.interruptOccurrences() + " firings in " + r.interruptDeliveries()
        + " acknowledged deliveries");
    out.println("  fault containment: crasher ended=" + r.crasherEnded() + " (" + r.crasherFailure()
        + "); watcher's call: " + r.crashStatus() + "; kv calls served after the crash: " + r.callsAfterCrash());
  }

  private static void row(PrintStream out, String name, long calls, long errors, Histogram h) {
    out.printf("    %-10s %8d %6d %8d %8d %8d %8d %10d%n", name, calls, errors,
        h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9), h.getMaxValue());
  }

  private static ObjectNode toJson(DemoSystem.Report r) {
    final ObjectMapper m = new ObjectMapper();
    final ObjectNode root = m.createObjectNode();
    final ArrayNode clients = root.putArray("clients");
    for (DemoSystem.ClientResult c : r.clients()) {
      final ObjectNode n = clients.addObject();
      n.put("name", c.name()).put("calls", c.calls()).put("errors", c.errors());
      final ObjectNode rtt = n.putObject("rtt_ns");
      final Histogram h = c.latencyNs();
      rtt.put("p50", h.getValueAtPercentile(50)).put("p90", h.getValueAtPercentile(90))
          .put("p99", h.getValueAtPercentile(99)).put("p999", h.getValueAtPercentile(99.9)).put("max", h.getMaxValue());
    }
    final ObjectNode workers = root.putObject("served_per_worker");
    for (Map.Entry<String, Long> e : new TreeMap<>(r.servedPerWorker()).entrySet()) {
      workers.put(e.getKey(), e.getValue());
    }
    root.put("notifications", r.notifications());
    root.put("interrupt_deliveries", r.interruptDeliveries());
    root.put("interrupt_occurrences", r.interruptOccurrences());
    root.put("crash_status", r.crashStatus());
    root.put("crasher_ended", r.crasherEnded());
    root.put("calls_after_crash", r.callsAfterCrash());
    root.put("seconds", r.seconds());
    return root;
  }
}
