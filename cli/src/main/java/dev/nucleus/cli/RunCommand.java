package dev.nucleus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nucleus.system.DescriptorException;
import dev.nucleus.system.RootTask;
import dev.nucleus.system.Signals;
import dev.nucleus.system.SystemDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nucleus run system.toml}: boots the system a descriptor describes and runs it in the
 * foreground until Ctrl-C or SIGTERM (an orderly stop in reverse start order, exit 0), or until a
 * group exceeds its restart intensity (exit 3).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a system of components from its descriptor, in the foreground.",
      "",
      "Shows a live status line; Ctrl-C or SIGTERM stops the components in reverse start order"
          + " and exits 0. Exit 2: a bad descriptor or a component that does not start;"
          + " exit 3: a group exceeded its restart intensity. `nucleus ps` in another terminal shows"
          + " the components, their threads and IPC states."
    })
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DESCRIPTOR", description = "the system's TOML descriptor")
  Path descriptor;

  @Option(names = "--for", paramLabel = "SECONDS", description = "stop after this many seconds (default: run until stopped)")
  Double seconds;

  @Option(names = "--status-dir", paramLabel = "DIR", defaultValue = "/dev/shm",
      description = "where to publish the status segment nucleus ps reads (default ${DEFAULT-VALUE})")
  Path statusDir;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the summary as JSON to FILE")
  Path json;

  @Override
  public Integer call() throws Exception {
    final SystemDescriptor d;
    try {
      d = SystemDescriptor.load(descriptor, Thread.currentThread().getContextClassLoader());
    } catch (DescriptorException e) {
      System.err.println("run: " + e.getMessage());
      return 2;
    }
    if (seconds != null && !(seconds > 0)) {
      System.err.println("run: --for must be a positive number of seconds");
      return 2;
    }
    if (json != null && OutputFile.problem(json).isPresent()) {
      System.err.println("run: cannot write --json " + json + ": " + OutputFile.problem(json).get());
      return 2;
    }
    final CompletableFuture<Void> stop = new CompletableFuture<>();
    // An orderly stop on Ctrl-C and SIGTERM, instead of the JVM's exit with 130 or 143.
    Signals.handle("INT", () -> stop.complete(null));
    Signals.handle("TERM", () -> stop.complete(null));
    final PrintStream out = System.out;
    out.println("nucleus run: " + d.name() + " from " + descriptor);
    final SystemSession.Outcome o = SystemSession.run(d, statusDir,
        seconds == null ? null : Duration.ofNanos((long) (seconds * 1e9)), status -> true, stop, out);
    SystemSession.printSummary(o, out);
    if (json != null) {
      try (OutputStream file = Files.newOutputStream(json)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file, SystemSession.toJson(o));
      } catch (IOException e) {
        System.err.println("run: cannot write --json " + json + ": " + OutputFile.reason(e));
        return 1;
      }
    }
    if (o.exitCode() == RootTask.EXIT_BOOT_FAILED) {
      System.err.println("run: " + o.endMessage());
    } else if (o.exitCode() != RootTask.EXIT_STOPPED) {
      System.err.println("run: " + o.endMessage());
    }
    return o.exitCode();
  }
}
