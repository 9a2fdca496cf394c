package dev.nucleus.bench.peers;

import dev.nucleus.bench.MessageSize;

/**
 * An IPC mechanism users pick today, seen as an echo server and its client. {@link PeerPingPong}
 * turns one into a bench mechanism: it opens a {@link PeerConnection} (which starts the echo side,
 * normally in a child process) and times {@link PeerConnection#roundTrip()}.
 *
 * <p>The echo side of a two-process peer is served by {@link EchoServerMain} in a {@link ChildJvm};
 * an in-JVM variant (a family name ending in {@code -jvm}, or gRPC's in-process transport) serves
 * on a thread of this JVM instead.
 */
public interface Peer {

  /**
   * Warmup round trips for peers built on large frameworks (gRPC, RMI); see {@link
   * #warmupRoundTrips()}.
   */
  int FRAMEWORK_WARMUP = 10_000;

  /**
   * The family name, e.g. {@code unix-socket}: the name of its null-message mechanism unless
   * {@link #mechanismName} says otherwise, and its child JVM's log name.
   */
  String family();

  /**
   * The name of this peer's mechanism carrying {@code payloadBytes} each way: by default the
   * {@linkplain #family() family} for the null message and {@code <family>-<size>} otherwise
   * ({@code unix-socket-64KiB}). A peer whose null message is a call of its own overrides it.
   */
  default String mechanismName(int payloadBytes) {
    return payloadBytes == 0 ? family() : family() + "-" + MessageSize.label(payloadBytes);
  }

  /** The floor this peer is judged against: a spin floor or {@code floor-c-futex}. */
  String floor();

  /** A one-line description for {@code nucleus bench --list}. */
  String description();

  /**
   * Whether the peer busy-waits (then it gets the spin iteration count) rather than blocking in the
   * kernel.
   */
  default boolean spins() {
    return false;
  }

  /**
   * Unrecorded round trips per run, or {@code -1} for the harness default (half the measured
   * count); see {@link dev.nucleus.bench.PingPong#defaultWarmup()}.
   */
  default int warmupRoundTrips() {
    return -1;
  }

  /**
   * Why the peer cannot run here with {@code payloadBytes} each way, or {@code null} if it can.
   * Cheap; called once per bench.
   */
  String unavailableReason(int payloadBytes);

  /**
   * Starts the echo side and connects to it.
   *
   * @param scratch the run's private directory, for sockets, FIFOs and child logs
   * @param payloadBytes bytes each way; {@code 0} is the null message (see {@link
   *     dev.nucleus.bench.MessageSize})
   * @throws Exception if the echo side cannot be started or reached (bounded: never hangs)
   */
  PeerConnection connect(Scratch scratch, int payloadBytes) throws Exception;
}
