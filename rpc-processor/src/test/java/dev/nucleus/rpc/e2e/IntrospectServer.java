package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.ServerCall;

/** An {@link Introspect} that reports the caller and the deadline as the server sees them (no nesting). */
final class IntrospectServer implements Introspect {
  @Override
  public CallInfo whoIsCalling(int depth) {
    final ServerCall call = ServerCall.current();
    return new CallInfo(call.callerSpace(), call.callerThread(), call.callerPid(), call.remainingNanos(), 0);
  }
}
