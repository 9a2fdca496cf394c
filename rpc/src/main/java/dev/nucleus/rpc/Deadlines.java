package dev.nucleus.rpc;

import dev.nucleus.kernel.Timeout;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-call deadlines. Every call has one, fixed when the proxy begins it: the innermost
 * {@link #within} around the call if there is one, else the binding's default timeout from now.
 * The deadline travels with the call, and the server reads it from {@link ServerCall}.
 *
 * <pre>{@code
 * long v = Deadlines.within(Duration.ofMillis(50), () -> keyValue.get(1));
 * }</pre>
 *
 * <p>A deadline only shrinks: a {@code within} inside another keeps the earlier of the two. It
 * applies to the calls the body makes on its own thread (a scoped value: threads the body starts
 * do not inherit it, except through structured concurrency). Deadlines are absolute nanoseconds on
 * the {@link Timeout#now()} clock; {@link #NONE} means none. A call whose deadline has passed
 * before it is delivered fails with {@link DeadlineExceededException} in the SEND phase.
 *
 * <p>Cost: the common case (no {@code within}) reads an unbound scoped value and allocates
 * nothing; each {@code within} allocates a little. Stateless and thread-safe.
 */
public final class Deadlines {

  /** The deadline of a call without one: it waits as long as it takes. */
  public static final long NONE = Long.MAX_VALUE;

  /** The latest deadline {@link Timeout#at} encodes: 2^62 - 1. */
  private static final long LATEST_ABSOLUTE_TIMEOUT = (1L << 62) - 1;

  private static final ScopedValue<Long> DEADLINE = ScopedValue.newInstance();

  /**
   * A body that returns a value.
   *
   * @param <T> its result
   * @param <X> the exception it may throw
   */
  @FunctionalInterface
  public interface Body<T, X extends Throwable> {
    /**
     * Runs the body.
     *
     * @return its result
     * @throws X what it throws
     */
    T call() throws X;
  }

  /**
   * A body that returns nothing.
   *
   * @param <X> the exception it may throw
   */
  @FunctionalInterface
  public interface VoidBody<X extends Throwable> {
    /**
     * Runs the body.
     *
     * @throws X what it throws
     */
    void run() throws X;
  }

  private Deadlines() {}

  /**
   * Runs {@code body} with the calls it makes bound to a deadline {@code timeout} from now (or
   * the enclosing one, if earlier).
   *
   * @param <T> the body's result
   * @param <X> the exception the body may throw
   * @param timeout how long the calls may take, from now; zero or negative means already expired
   * @param body the code that makes the calls
   * @return what the body returns
   * @throws X what the body throws
   */
  public static <T, X extends Throwable> T within(Duration timeout, Body<T, X> body) throws X {
    Objects.requireNonNull(body, "body");
    return ScopedValue.where(DEADLINE, deadlineIn(timeout)).call(body::call);
  }

  /**
   * Runs {@code body} with the calls it makes bound to a deadline {@code timeout} from now (or
   * the enclosing one, if earlier).
   *
   * @param <X> the exception the body may throw
   * @param timeout how long the calls may take, from now; zero or negative means already expired
   * @param body the code that makes the calls
   * @throws X what the body throws
   */
  public static <X extends Throwable> void within(Duration timeout, VoidBody<X> body) throws X {
    Objects.requireNonNull(body, "body");
    ScopedValue.where(DEADLINE, deadlineIn(timeout)).call(() -> {
      body.run();
      return null;
    });
  }

  /**
   * The deadline of a call that begins now: the innermost {@link #within}'s, else
   * {@code defaultTimeout} from now. Used by bindings; allocates nothing.
   *
   * @param defaultTimeout the binding's default, a {@link Timeout} encoding: NEVER or relative
   * @return an absolute deadline on the {@link Timeout#now()} clock, or {@link #NONE}
   */
  public static long current(long defaultTimeout) {
    if (DEADLINE.isBound()) {
      return DEADLINE.get();
    }
    return defaultTimeout == Timeout.NEVER ? NONE : Timeout.deadline(defaultTimeout);
  }

  /**
   * As {@link #current(long)}, with the clock already read: a relative {@code defaultTimeout}
   * counts from {@code now}, so that a binding that reads the clock once per call can use the same
   * reading for the deadline left that the call carries.
   *
   * @param defaultTimeout the binding's default, a {@link Timeout} encoding: NEVER or relative
   * @param now the {@link Timeout#now()} clock, read as the call begins
   * @return an absolute deadline on that clock, or {@link #NONE}
   */
  public static long current(long defaultTimeout, long now) {
    if (DEADLINE.isBound()) {
      return DEADLINE.get();
    }
    if (defaultTimeout == Timeout.NEVER) {
      return NONE;
    }
    if (defaultTimeout >= Timeout.at(0)) { // an absolute timeout: its own deadline
      return Timeout.deadline(defaultTimeout);
    }
    final long d = now + defaultTimeout;
    return d < 0 ? NONE : d;
  }

  /**
   * Nanoseconds left before {@code deadline}.
   *
   * @param deadline an absolute deadline on the {@link Timeout#now()} clock, or {@link #NONE}
   * @return 0 if it has passed, {@link Long#MAX_VALUE} for NONE, else the nanoseconds left
   */
  public static long remainingNanos(long deadline) {
    if (deadline == NONE) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, deadline - Timeout.now());
  }

  /**
   * The deadline as a kernel {@link Timeout}, for an IPC bounded by it.
   *
   * @param deadline an absolute deadline on the {@link Timeout#now()} clock, or {@link #NONE}
   * @return {@link Timeout#NEVER} for NONE (or a deadline beyond the clock's range), else
   *     {@code Timeout.at(deadline)}
   */
  public static long toTimeout(long deadline) {
    if (deadline > LATEST_ABSOLUTE_TIMEOUT) {
      return Timeout.NEVER;
    }
    return Timeout.at(Math.max(0, deadline));
  }

  private static long deadlineIn(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    final long now = Timeout.now();
    final long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
    final long mine = nanos > NONE - now ? NONE : now + nanos;
    return DEADLINE.isBound() ? Math.min(mine, DEADLINE.get()) : mine;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
