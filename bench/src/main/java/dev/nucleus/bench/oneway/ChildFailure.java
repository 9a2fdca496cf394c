package dev.nucleus.bench.oneway;

import dev.nucleus.bench.peers.PeerArgs;
import java.util.List;

/**
 * The one line a failing child JVM prints last on stderr, after its stack trace: the parent
 * quotes the tail of that log, which a long trace would otherwise fill.
 */
final class ChildFailure {

  /** What a child JVM's main runs, on its {@code key=value} arguments. */
  interface Body {
    void run(PeerArgs args) throws Exception;
  }

  private ChildFailure() {}

  /**
   * Runs {@code body} on {@code args}; if it throws, prints the stack trace and then {@link
   * #reason} on stderr and halts the JVM with status 1. Returns normally only if the body did.
   */
  static void runOrHalt(String[] args, Body body) {
    try {
      body.run(PeerArgs.parse(List.of(args)));
    } catch (Throwable t) {
      t.printStackTrace();
      System.err.println(reason(t)); // last: the parent quotes the log's tail
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
  }

  /** {@code failed: <exception>: <message>}, then each cause's, on one line. */
  static String reason(Throwable t) {
    final StringBuilder line = new StringBuilder("failed: ");
    for (Throwable e = t; e != null; e = e.getCause()) {
      if (e != t) {
        line.append("; caused by ");
      }
      line.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
      if (e.getCause() == e) {
        break;
      }
    }
    return line.toString().replace('\n', ' ');
  }
}
