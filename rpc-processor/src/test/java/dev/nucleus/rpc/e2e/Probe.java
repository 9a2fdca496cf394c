package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.Service;

/**
 * What the server sees of a call, one primitive at a time (so that every call fits a call lane),
 * and a call that holds its server thread until the test lets it go.
 */
@Service
public interface Probe {
  /**
   * The caller's thread id, as the server sees it.
   *
   * @return the id
   */
  long thread();

  /**
   * The caller's space number.
   *
   * @return the number
   */
  int space();

  /**
   * The caller's pid, 0 in this process.
   *
   * @return the pid
   */
  long pid();

  /**
   * Nanoseconds left before the call's deadline.
   *
   * @return the time left
   */
  long nanosLeft();

  /**
   * Returns {@code value}; a {@code value} of 7 first holds the server thread until the test lets
   * it go ({@link ProbeServer#release}), one of 9 makes it sleep 5 ms.
   *
   * @param value what to return
   * @return {@code value}
   */
  long echo(long value);
}
