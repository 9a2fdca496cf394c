package dev.nucleus.rpc;

/**
 * Where a binding finds the server of a service whose provider may restart, each instance at a
 * new id: the name server of a system. A binding made with a locator
 * ({@link KernelBinding#located}) keeps calling the id it has; only when a call finds the provider
 * gone (peer dead, a stale id, or a relay's UNAVAILABLE) does it ask the locator, so the common
 * call does no lookup.
 *
 * <p>Implementations are thread-safe: every calling thread of a binding uses its locator.
 */
public interface ServerLocator {

  /**
   * The id of the provider's current instance, as the caller's space reaches it. Does not wait
   * for a provider that is down. May block briefly (a call to the name server).
   *
   * @return the id, or {@link dev.nucleus.kernel.ThreadId#NIL} if no instance is up now
   */
  long server();

  /**
   * Waits until the provider is up again after a call to {@code failed} found it gone, and
   * returns the id to call now: a new instance's, or {@code failed} itself where the id stays the
   * same across restarts (a relay). Blocks up to {@code deadline}.
   *
   * @param failed the id the failed call went to
   * @param deadline absolute on the {@link dev.nucleus.kernel.Timeout#now()} clock, or
   *     {@link Deadlines#NONE}
   * @return the id, or {@link dev.nucleus.kernel.ThreadId#NIL} if the deadline passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  long awaitServer(long failed, long deadline) throws InterruptedException;
}
