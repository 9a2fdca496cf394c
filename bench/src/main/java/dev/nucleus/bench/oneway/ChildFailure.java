package dev.nucleus.bench.oneway;

/**
 * The one line a failing child JVM prints last on stderr, after its stack trace: the parent
 * quotes the tail of that log, which a long trace would otherwise fill.
 */
final class ChildFailure {

  private ChildFailure() {}

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
