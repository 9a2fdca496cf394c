package dev.nucleus.bench.peers;

import java.io.IOException;

/**
 * The client end of a peer's echo session: one null (or fixed-size) request and its response per
 * {@link #roundTrip()}. Opened by {@link Peer#connect}, which also starts the echo side.
 *
 * <p>Thread-safety: one measuring thread calls {@link #roundTrip()} and {@link #close()}; a
 * watchdog thread may call {@link #abort()} at any time.
 */
public interface PeerConnection extends AutoCloseable {

  /**
   * Sends one request and waits until the whole response has arrived.
   *
   * @throws Exception if the partner is lost or the connection was {@linkplain #abort() aborted}
   */
  void roundTrip() throws Exception;

  /**
   * Makes a blocked or later {@link #roundTrip()} fail promptly: kills the echo side and closes
   * whatever a blocked call waits on. Idempotent; callable from any thread.
   */
  void abort();

  /**
   * Ends the session: closes the client end, ends the echo side, waits (bounded) until it is gone.
   * If interrupted, it still kills the echo side and keeps the interrupt status.
   */
  @Override
  void close() throws IOException;
}
