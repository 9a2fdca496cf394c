package dev.nucleus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nucleus.system.ComponentStatus;
import dev.nucleus.system.SystemDescriptor;
import dev.nucleus.system.SystemStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nucleus demo}: runs the bundled example system (examples/systems/kv.toml) from its
 * descriptor for a few seconds, then checks and summarises what happened.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the bundled example system from its descriptor for a few seconds.",
      "",
      "A key-value store in a process space of its own; clients in a thread space and in another"
          + " process; a ticker that owns a timer driver. The store crashes midway and the"
          + " supervisor restarts it while the clients go on. The descriptor is"
          + " examples/systems/kv.toml: `nucleus run examples/systems/kv.toml` runs it until Ctrl-C."
    })
final class DemoCommand implements Callable<Integer> {

  /** Where the bundled descriptor is, on the class path. */
  static final String DESCRIPTOR = "dev/nucleus/examples/systems/kv.toml";

  @Option(names = "--seconds", defaultValue = "3", description = "how long the system runs once booted (default ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the summary as JSON to FILE (its directory must exist)")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (!(seconds >= 3 && seconds <= 600)) {
      System.err.println("demo: --seconds must be in [3, 600] (the store crashes 1.5 s after it starts)");
      return 2;
    }
    if (json != null) {
      final String problem = OutputFile.problem(json).orElse(null);
      if (problem != null) {
        System.err.println("demo: cannot write --json " + json + ": " + problem);
        return 2;
      }
    }
    final String toml;
    // From the examples' jar, another module: through the class loader, which sees its resources.
    try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(DESCRIPTOR)) {
      if (in == null) {
        System.err.println("demo: the bundled descriptor " + DESCRIPTOR + " is missing from the class path");
        return 1;
      }
      toml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    final SystemDescriptor d = SystemDescriptor.parse(toml, Path.of("examples/systems/kv.toml"),
        Thread.currentThread().getContextClassLoader());
    final PrintStream out = System.out;
    out.println("nucleus demo: the system of examples/systems/kv.toml, for " + seconds + " s");
    // Past its time, the run goes on (a few seconds at most) until the store is back from its last
    // restart and serving: the summary shows a system that recovered, not one caught mid-restart.
    final SystemSession.Outcome o = SystemSession.run(d, null, Duration.ofNanos((long) (seconds * 1e9)),
        DemoCommand::recovered, new CompletableFuture<>(), out);
    SystemSession.printSummary(o, out);
    final String verdict = verdict(o);
    out.println(verdict.isEmpty() ? "demo: OK (the store was restarted; its clients went on)" : "demo: FAILED: " + verdict);
    out.flush();
    if (json != null) {
      try (OutputStream file = Files.newOutputStream(json)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file, SystemSession.toJson(o));
      } catch (IOException e) {
        System.err.println("demo: cannot write --json " + json + ": " + OutputFile.reason(e) + " (the summary is above)");
        return 1;
      }
      out.println("demo: wrote " + json);
    }
    return verdict.isEmpty() ? 0 : 1;
  }

  /** Whether the store has restarted at least once and its instance now serves. */
  static boolean recovered(SystemStatus s) {
    return s.components().stream().anyMatch(c -> c.name().equals("kv") && c.restarts() >= 1
        && c.state().equals("running") && c.callsServed() > 0);
  }

  /** What went wrong, or empty: the store restarted at least once, and nobody else did. */
  static String verdict(SystemSession.Outcome o) {
    if (o.last() == null || o.exitCode() != 0) {
      return "the system ended with exit code " + o.exitCode() + " " + o.endMessage();
    }
    for (ComponentStatus c : o.last().components()) {
      if (c.name().equals("kv") && c.restarts() < 1) {
        return "the store was never restarted";
      }
      if (c.name().equals("kv") && c.callsServed() < 1) {
        return "the store's last instance served no call";
      }
      if (!c.name().equals("kv") && c.restarts() > 0) {
        return c.name() + " was restarted " + c.restarts() + " time(s): only the store should be";
      }
    }
    return "";
  }
}
