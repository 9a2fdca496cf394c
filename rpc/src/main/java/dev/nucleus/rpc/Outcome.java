package dev.nucleus.rpc;

/**
 * How a call ended at the server, as {@link ServerCall#serve} reports it and the transport carries
 * it back beside the reply frame (for the kernel transport, in the reply's registers). Used by
 * transports. What the reply frame holds for each:
 *
 * <pre>
 *   OK                   the result (nothing for void)
 *   DECLARED_FAILURE     i32 index of the exception in the method's throws clause, String message
 *   UNDECLARED_FAILURE   String class name, String message
 *   UNKNOWN_METHOD       nothing
 *   MALFORMED_REQUEST    String what was wrong, i64 offset in the request
 *   NOT_PERMITTED        nothing: the server does not take calls from the caller's space
 *   UNAVAILABLE          String detail: a relay could not deliver the call to the service's
 *                        provider, which is down (dead, restarting); nothing ran
 *   PROVIDER_DIED        String detail: a relay delivered the call, and the provider died before
 *                        it replied; the call may have run
 * </pre>
 *
 * <p>The last two come from a relay between the client and the provider (the root task relays
 * calls between a thread space and a process space), which, unlike the kernel, cannot fail the
 * client's own IPC; a client sees them as {@link PeerDeadException} in the send and the receive
 * phase.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class Outcome {

  /** The method ran and returned; the reply holds its result. */
  public static final int OK = 0;
  /** The method threw one of its declared exceptions. */
  public static final int DECLARED_FAILURE = 1;
  /** The method threw an exception it does not declare (or the reply could not be written). */
  public static final int UNDECLARED_FAILURE = 2;
  /** The server has no method with the id called; nothing ran. */
  public static final int UNKNOWN_METHOD = 3;
  /** The request failed validation; the implementation did not run. */
  public static final int MALFORMED_REQUEST = 4;
  /** The export takes calls only from the spaces granted it, and the caller's is not one; nothing ran. */
  public static final int NOT_PERMITTED = 5;
  /** A relay found the provider down and did not deliver the call; nothing ran. */
  public static final int UNAVAILABLE = 6;
  /** A relay delivered the call and the provider died before replying; the call may have run. */
  public static final int PROVIDER_DIED = 7;

  private Outcome() {}

  /**
   * Whether {@code outcome} is one of the codes above.
   *
   * @param outcome any int
   * @return true for OK .. PROVIDER_DIED
   */
  public static boolean isValid(int outcome) {
    return outcome >= OK && outcome <= PROVIDER_DIED;
  }

  /**
   * The code's name.
   *
   * @param outcome any int
   * @return e.g. {@code UNKNOWN_METHOD}, or {@code INVALID(7)}
   */
  public static String name(int outcome) {
    return switch (outcome) {
      case OK -> "OK";
      case DECLARED_FAILURE -> "DECLARED_FAILURE";
      case UNDECLARED_FAILURE -> "UNDECLARED_FAILURE";
      case UNKNOWN_METHOD -> "UNKNOWN_METHOD";
      case MALFORMED_REQUEST -> "MALFORMED_REQUEST";
      case NOT_PERMITTED -> "NOT_PERMITTED";
      case UNAVAILABLE -> "UNAVAILABLE";
      case PROVIDER_DIED -> "PROVIDER_DIED";
      default -> "INVALID(" + outcome + ")";
    };
  }
}
