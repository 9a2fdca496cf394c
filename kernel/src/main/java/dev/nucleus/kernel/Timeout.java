package dev.nucleus.kernel;

import java.time.Duration;

/**
 * Timeouts of the IPC operations, one parameter family encoded in a {@code long} so that passing
 * one allocates nothing (L4 X.2 encodes them in 16 bits; we have room for nanoseconds):
 *
 * <pre>
 *   NEVER            -1
 *   ZERO              0                      poll: fail with NO_PARTNER if no partner is waiting
 *   relative(ns)      1 .. 2^62-1            ns from the start of the phase
 *   at(deadline)      2^62 | deadline        absolute, on the {@link #now()} clock (0 .. 2^62-1)
 * </pre>
 *
 * Anything else (other negative values) is rejected by the IPC operations with
 * {@link Status#INVALID_ARGUMENT}. The send and the receive phase of a call each take one.
 * Only ZERO means "do not wait": an absolute deadline already past still waits for its first
 * check and then fails with TIMEOUT, unless a partner is already waiting.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class Timeout {

  /** Wait as long as it takes. */
  public static final long NEVER = -1L;
  /** Do not wait: only a partner already waiting completes the operation. */
  public static final long ZERO = 0L;

  static final long ABSOLUTE_FLAG = 1L << 62;
  static final long VALUE_MASK = ABSOLUTE_FLAG - 1;
  private static final long ORIGIN = System.nanoTime();

  private Timeout() {}

  /**
   * A relative timeout of {@code nanos}, counted from the start of the phase it is given to.
   *
   * @param nanos nanoseconds, 0..2^62-1; 0 is {@link #ZERO}
   * @return the encoded timeout
   * @throws IllegalArgumentException if {@code nanos} is out of range
   */
  public static long relative(long nanos) {
    if (nanos < 0 || nanos > VALUE_MASK) {
      throw new IllegalArgumentException("relative timeout must be in [0, 2^62) ns, got " + nanos);
    }
    return nanos;
  }

  /**
   * A relative timeout of {@code d}, counted from the start of the phase it is given to.
   *
   * @param d the duration; not negative, below 2^62 ns; zero is {@link #ZERO}
   * @return the encoded timeout
   * @throws IllegalArgumentException if {@code d} is negative or too long
   * @throws ArithmeticException if {@code d} overflows a long in nanoseconds
   */
  public static long relative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("relative timeout must not be negative, got " + d);
    }
    return relative(d.toNanos());
  }

  /**
   * An absolute deadline on the {@link #now()} clock. A deadline already past gives TIMEOUT, not
   * NO_PARTNER, unless a partner is already waiting.
   *
   * @param deadline nanoseconds on the {@link #now()} clock, 0..2^62-1
   * @return the encoded timeout
   * @throws IllegalArgumentException if {@code deadline} is out of range
   */
  public static long at(long deadline) {
    if (deadline < 0 || deadline > VALUE_MASK) {
      throw new IllegalArgumentException("deadline must be in [0, 2^62) on Timeout.now(), got " + deadline);
    }
    return ABSOLUTE_FLAG | deadline;
  }

  /**
   * The clock of absolute deadlines: monotonic nanoseconds since this class was loaded (in this
   * JVM; another process's clock has another origin).
   *
   * @return nanoseconds on this clock
   */
  public static long now() {
    return System.nanoTime() - ORIGIN;
  }

  /**
   * Whether {@code t} is a valid encoding: one the IPC operations accept without
   * INVALID_ARGUMENT.
   *
   * @param t any long
   * @return true for NEVER, ZERO, a relative and an absolute timeout
   */
  public static boolean isValid(long t) {
    return t >= NEVER;
  }

  /**
   * The deadline of a phase starting now on the {@link #now()} clock, or {@code Long.MAX_VALUE}
   * for NEVER. Only for valid, non-zero encodings.
   *
   * @param t a valid timeout other than ZERO
   * @return the deadline on the {@link #now()} clock
   */
  public static long deadline(long t) {
    if (t == NEVER) {
      return Long.MAX_VALUE;
    }
    if ((t & ABSOLUTE_FLAG) != 0) {
      return t & VALUE_MASK;
    }
    final long d = now() + t;
    return d < 0 ? Long.MAX_VALUE : d;
  }

  /**
   * The timeout {@code t} as the absolute one it stands for now: NEVER, ZERO and absolute
   * timeouts unchanged, a relative one as {@code at(now + t)}, or NEVER if that is beyond the
   * clock's range. A wait that may start again (after a restart) uses it so as not to extend its
   * deadline.
   *
   * @param t a valid timeout
   * @return NEVER, ZERO or an absolute timeout
   */
  public static long absolute(long t) {
    if (t == NEVER || t == ZERO || (t & ABSOLUTE_FLAG) != 0) {
      return t;
    }
    final long deadline = deadline(t);
    return deadline > VALUE_MASK ? NEVER : at(deadline);
  }

  /**
   * Human-readable form, e.g. {@code never}, {@code zero}, {@code 5000000ns}, {@code at 123ns}.
   *
   * @param t any long
   * @return the timeout it encodes, or {@code invalid(t)}
   */
  public static String toString(long t) {
    if (t == NEVER) {
      return "never";
    }
    if (t == ZERO) {
      return "zero";
    }
    if (t < 0) {
      return "invalid(" + t + ")";
    }
    return (t & ABSOLUTE_FLAG) != 0 ? "at " + (t & VALUE_MASK) + "ns" : t + "ns";
  }
}
