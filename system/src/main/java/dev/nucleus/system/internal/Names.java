package dev.nucleus.system.internal;

import dev.nucleus.rpc.Service;
import java.util.List;

/**
 * What a process component asks of the root task, over LRPC to the server the root exports in the
 * component's gate space (offered to the process as {@link #NAME}): where its imports are, and
 * how it is doing.
 */
@Service(name = "nucleus.Names")
public interface Names {

  /** The name the root offers this service to a process component under. */
  String NAME = "nucleus.names";

  /** {@link #resolve}'s answer for a service this component may not import. */
  long NOT_IMPORTED = -1L;

  /**
   * The id, reachable from the calling process, of the service imported as {@code service}: the
   * provider's export (a connected process) or a relay in the caller's gate (a thread provider).
   * Waits up to {@code waitNanos} while the provider is not up.
   *
   * @param service an import of the calling component
   * @param waitNanos how long to wait for the provider at most
   * @return the id; 0 (NIL) if it was not up in time; {@link #NOT_IMPORTED} if the component may
   *     not import it
   */
  long resolve(String service, long waitNanos);

  /**
   * How many times the provider of the import {@code service} has died so far, once that is more
   * than {@code seen}; waits up to {@code waitNanos} for it to be.
   *
   * @param service an import of the calling component
   * @param seen the count the caller knows
   * @param waitNanos how long to wait at most
   * @return the count (possibly still {@code seen}), or {@link #NOT_IMPORTED}
   */
  long deaths(String service, long seen, long waitNanos);

  /**
   * The component's figures, for the status segment: sent a few times a second.
   *
   * @param callsServed requests its exports have served, in all
   * @param threadIds the ids of its IPC threads
   * @param threadNames their names, in the same order
   */
  void report(long callsServed, long[] threadIds, List<String> threadNames);
}
