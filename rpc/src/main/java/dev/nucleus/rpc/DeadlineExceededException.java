package dev.nucleus.rpc;

import java.util.Objects;

/**
 * The call's deadline passed. In the {@link Phase#SEND SEND} phase the request was not delivered
 * (an expired deadline before dispatch, or no server thread took it in time); in the
 * {@link Phase#RECEIVE RECEIVE} phase it was, and the server may have acted.
 */
public final class DeadlineExceededException extends RpcException {

  /** The phase the call was in when the deadline passed. */
  private final Phase phase;

  /**
   * An exception for a deadline that passed in {@code phase}.
   *
   * @param phase the phase the call was in
   * @param message what failed, naming the call
   */
  public DeadlineExceededException(Phase phase, String message) {
    super("deadline exceeded (" + Objects.requireNonNull(phase, "phase") + "): " + message);
    this.phase = phase;
  }

  /**
   * The phase the call was in when its deadline passed.
   *
   * @return SEND (not delivered) or RECEIVE (delivered)
   */
  public Phase phase() {
    return phase;
  }

  /**
   * {@return true if the deadline passed in the receive phase, after delivery}
   */
  @Override
  public boolean delivered() {
    return phase == Phase.RECEIVE;
  }
}
