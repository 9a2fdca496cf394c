package dev.nucleus.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntSupplier;

/** What a command printed and returned, with System.out and System.err captured while it ran. */
record Captured(int exit, String out, String err) {

  /** Runs {@code command} with stdout and stderr captured; restores them afterwards. */
  static Captured run(IntSupplier command) {
    final PrintStream savedOut = System.out;
    final PrintStream savedErr = System.err;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = command.getAsInt();
    } finally {
      System.out.flush();
      System.err.flush();
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new Captured(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code nucleus args...} in this JVM. */
  static Captured nucleus(String... args) {
    return run(() -> Main.run(args));
  }

  List<String> errLines() {
    return err.lines().toList();
  }
}
