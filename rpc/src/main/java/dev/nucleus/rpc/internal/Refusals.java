package dev.nucleus.rpc.internal;

import dev.nucleus.rpc.Frame;
import dev.nucleus.rpc.Outcome;

/**
 * The frames of an export's refusals of a request it cannot take (QUEUE_OPEN, LANE_OPEN, a call on
 * a lane), as docs/rpc-wire.md gives them: MALFORMED_REQUEST carries a String reason and an i64
 * offset (0: the request as a whole), UNAVAILABLE a String reason. Stateless.
 */
final class Refusals {

  private Refusals() {}

  /** Writes {@code what} and offset 0 into {@code reply}; returns MALFORMED_REQUEST. */
  static int malformed(Frame reply, String what) {
    reply.putString(what);
    reply.putLong(0);
    return Outcome.MALFORMED_REQUEST;
  }

  /** Writes {@code what} into {@code reply}; returns UNAVAILABLE. */
  static int unavailable(Frame reply, String what) {
    reply.putString(what);
    return Outcome.UNAVAILABLE;
  }
}
