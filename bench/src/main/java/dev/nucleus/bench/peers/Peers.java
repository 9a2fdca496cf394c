package dev.nucleus.bench.peers;

import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.PingPong;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The IPC mechanisms users pick today, as bench mechanisms, in table order. Each runs a null
 * request/response ping-pong between this JVM and an echo server in a child JVM; the {@code -jvm}
 * and {@code grpc-inprocess} variants keep both ends in one JVM.
 *
 * <table>
 *   <caption>peers and the floor each is judged against</caption>
 *   <tr><th>name</th><th>what</th><th>floor</th></tr>
 *   <tr><td>pipe, fifo</td><td>anonymous / named pipes</td><td>floor-c-futex</td></tr>
 *   <tr><td>unix-socket, tcp-loopback</td><td>JDK SocketChannel</td><td>floor-c-futex</td></tr>
 *   <tr><td>posix-mq</td><td>POSIX message queues through FFM</td><td>floor-c-futex</td></tr>
 *   <tr><td>aeron-ipc</td><td>Aeron IPC, busy spin</td><td>floor-c-spin</td></tr>
 *   <tr><td>aeron-ipc-backoff</td><td>Aeron IPC, default idle strategy</td><td>floor-c-futex</td></tr>
 *   <tr><td>grpc-tcp, grpc-uds</td><td>gRPC-java unary over Netty</td><td>floor-c-futex</td></tr>
 *   <tr><td>rmi</td><td>Java RMI on loopback</td><td>floor-c-futex</td></tr>
 *   <tr><td>grpc-kv-null, rmi-kv-null</td><td>the LRPC entries' calls over gRPC (TCP) and RMI</td>
 *       <td>floor-c-futex</td></tr>
 * </table>
 *
 * <p>The kv peers ({@link #kv}) are not echoes: they make the calls the LRPC entries time, of the
 * same service ({@link dev.nucleus.bench.lrpc.Bench}), so that {@code lrpc-process-null} and
 * {@code lrpc-process-<size>} have peers to be compared with like for like (issue 12: "the same
 * interface over gRPC and over RMI").
 */
public final class Peers {

  private Peers() {}

  /** The two-process peers, null messages, in table order. */
  public static List<PingPong> twoProcess() {
    return families().stream().map(f -> f.apply(0)).toList();
  }

  /** The in-JVM variants, null messages: where cheap, the same mechanism without a process hop. */
  public static List<PingPong> inJvm() {
    return List.of(
        new PeerPingPong(SocketPeer.unix(true)),
        new PeerPingPong(SocketPeer.tcp(true)),
        AeronPingPong.sameJvm(),
        new PeerPingPong(GrpcPeer.inProcess()));
  }

  /**
   * The message-size sweep of the two-process peers that carry a payload: each at every size of
   * {@link MessageSize#SWEEP_BYTES}, grouped by peer. ({@code aeron-ipc-backoff} is left out: its
   * latency is its idle strategy's, not its payload's.)
   */
  public static List<PingPong> sweep() {
    List<PingPong> out = new ArrayList<>();
    for (IntFunction<PingPong> family : families()) {
      if (family.apply(0).name().equals("aeron-ipc-backoff")) continue;
      for (int bytes : MessageSize.SWEEP_BYTES) out.add(family.apply(bytes));
    }
    return out;
  }

  /** Argument sizes of the sized kv peers: the LRPC bulk sizes up to 64 KiB (1 MiB costs minutes a run). */
  public static final int[] KV_BULK_BYTES = {1 << 10, 64 << 10};

  /**
   * The kv peers with a {@code byte[]} argument of {@code payloadBytes} ({@code take}), or, for
   * {@code 0}, their null call ({@code nothing}): {@code grpc-kv-<size>} then {@code rmi-kv-<size>}
   * ({@code grpc-kv-null}, {@code rmi-kv-null} for 0). Each server runs in a fresh child JVM per
   * run; the sized ones are size-sweep members of the null ones' series.
   */
  public static List<PingPong> kv(int payloadBytes) {
    return List.of(
        new PeerPingPong(new GrpcKvPeer(), payloadBytes),
        new PeerPingPong(new RmiKvPeer(), payloadBytes));
  }

  /** Each two-process peer as payload size -> mechanism, in table order. */
  private static List<IntFunction<PingPong>> families() {
    return List.of(
        bytes -> new PeerPingPong(new PipePeer(), bytes),
        bytes -> new PeerPingPong(new FifoPeer(), bytes),
        bytes -> new PeerPingPong(SocketPeer.unix(false), bytes),
        bytes -> new PeerPingPong(SocketPeer.tcp(false), bytes),
        bytes -> new PeerPingPong(new PosixMqPeer(), bytes),
        AeronPingPong::busySpin,
        bytes -> AeronPingPong.backoff(),
        bytes -> new PeerPingPong(GrpcPeer.tcp(), bytes),
        bytes -> new PeerPingPong(GrpcPeer.uds(), bytes),
        bytes -> new PeerPingPong(new RmiPeer(), bytes));
  }
}
