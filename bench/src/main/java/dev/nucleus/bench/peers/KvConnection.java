package dev.nucleus.bench.peers;

import java.io.IOException;
import java.util.Arrays;

/**
 * The client end of a kv peer ({@code grpc-kv-*}, {@code rmi-kv-*}): the operations of the LRPC
 * entries' service, {@link dev.nucleus.bench.lrpc.Bench}, called over another framework, so that
 * {@code lrpc-process-null} and {@code lrpc-process-<size>} have peers that make the same calls.
 * Issue 12 asks for "the same {@code KeyValue} interface over gRPC and over RMI"; the LRPC entries
 * time {@code Bench}, so the peers serve {@code Bench}, and with the same implementation
 * ({@link dev.nucleus.bench.lrpc.BenchServer}).
 *
 * <p>A round trip is what the LRPC entry of the same size times: {@link #nothing()} for the null
 * call ({@code lrpc-process-null}), else {@link #take} of a {@code byte[]} of the payload's size,
 * whose answer must be that size ({@code lrpc-process-1KiB} ...). {@link #echo} is the probe that
 * a value crosses intact; it is not timed.
 *
 * <p>Thread-safety: as {@link PeerConnection}; one measuring thread makes the calls.
 */
abstract class KvConnection implements PeerConnection {

  /** The argument of every {@link #take}, or {@code null} for the null call. */
  private final byte[] payload;

  /** A connection whose round trip carries {@code payloadBytes} ({@code 0}: the null call). */
  KvConnection(int payloadBytes) {
    if (payloadBytes < 0) throw new IllegalArgumentException("payloadBytes < 0: " + payloadBytes);
    if (payloadBytes == 0) {
      payload = null;
    } else {
      payload = new byte[payloadBytes];
      Arrays.fill(payload, (byte) 7); // as LrpcBulkPingPong's
    }
  }

  /**
   * {@code Bench.nothing()}: the null call; blocks until the server has answered.
   *
   * @throws IOException if the call fails (the server gone, a connection aborted, a deadline)
   */
  abstract void nothing() throws IOException;

  /**
   * {@code Bench.echo(long)}: one word each way; blocks until the server has answered.
   *
   * @return what the server answered ({@code value} from a correct one)
   * @throws IOException if the call fails
   */
  abstract long echo(long value) throws IOException;

  /**
   * {@code Bench.take(byte[])}: the bytes to the server, their count back; blocks until the
   * server has answered.
   *
   * @return what the server answered ({@code data.length} from a correct one)
   * @throws IOException if the call fails
   */
  abstract int take(byte[] data) throws IOException;

  /**
   * One call of this connection's size.
   *
   * @throws IllegalStateException if the server took another number of bytes than were sent
   */
  @Override
  public final void roundTrip() throws IOException {
    if (payload == null) {
      nothing();
      return;
    }
    final int taken = take(payload);
    if (taken != payload.length) {
      throw new IllegalStateException("the server took " + taken + " bytes of " + payload.length);
    }
  }
}
