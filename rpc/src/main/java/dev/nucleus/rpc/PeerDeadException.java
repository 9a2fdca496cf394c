package dev.nucleus.rpc;

import java.util.Objects;

/**
 * The server's space (or the thread serving the call) died. In the {@link Phase#SEND SEND} phase
 * the request was not delivered; in the {@link Phase#RECEIVE RECEIVE} phase it was, and the server
 * may have acted before it died.
 */
public final class PeerDeadException extends RpcException {

  /** The phase the call was in when the peer died. */
  private final Phase phase;

  /**
   * An exception for a peer that died while the call was in {@code phase}.
   *
   * @param phase the phase the call was in
   * @param message what failed, naming the call
   */
  public PeerDeadException(Phase phase, String message) {
    super("peer dead (" + Objects.requireNonNull(phase, "phase") + "): " + message);
    this.phase = phase;
  }

  /**
   * The phase the call was in when the peer died.
   *
   * @return SEND (not delivered) or RECEIVE (delivered)
   */
  public Phase phase() {
    return phase;
  }

  /**
   * {@return true if the peer died in the receive phase, after delivery}
   */
  @Override
  public boolean delivered() {
    return phase == Phase.RECEIVE;
  }
}
