package dev.nucleus.bench.peers;

import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.lrpc.Bench;
import dev.nucleus.bench.lrpc.BenchServer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.List;

/**
 * {@code rmi-kv-null}, {@code rmi-kv-1KiB}, {@code rmi-kv-64KiB}: the calls of the LRPC entries
 * ({@link KvConnection}) as Java RMI calls of {@link RmiKv}, on loopback, to a server in a child
 * JVM that exports an adapter over a {@link BenchServer}, the implementation the LRPC server
 * exports. The null call is {@code nothing()}, the sized one {@code take(byte[])}.
 *
 * <p>Found as an RMI client finds a service: the child creates its own registry on an ephemeral
 * loopback port, binds the exported object's stub there and prints the port in its {@code READY}
 * line; this side looks the stub up and calls it over JRMP with the default client sockets (one
 * TCP connection, reused across calls). RMI has no per-call deadline; a call that stalls is ended
 * by the run's watchdog, which kills the child.
 *
 * <pre>
 *   bench JVM (client)                              child JVM (EchoServerMain rmi-kv)
 *   registry.lookup("bench") ---------------------->  registry, ephemeral port
 *   stub.nothing() | stub.take(byte[])
 *     JRMP, TCP 127.0.0.1  ------------------------>  RMI connection thread -> BenchServer
 *     void | count  &lt;-------------------------------  answer
 * </pre>
 */
final class RmiKvPeer implements Peer {

  static final String FAMILY = "rmi-kv";

  /** The name the stub is bound under in the child's registry. */
  static final String NAME = "bench";

  private static final Duration READY_LIMIT = Duration.ofSeconds(60);

  @Override
  public String family() {
    return FAMILY;
  }

  @Override
  public String mechanismName(int payloadBytes) {
    return FAMILY + "-" + (payloadBytes == 0 ? "null" : MessageSize.label(payloadBytes));
  }

  @Override
  public String floor() {
    return MechanismRegistry.FLOOR_C_FUTEX;
  }

  @Override
  public String description() {
    return "the LRPC entries' Bench calls (null: nothing(); sized: take(byte[])) as Java RMI (JRMP) calls"
        + " on loopback, the stub looked up in the server's registry; like for like with lrpc-process-*";
  }

  /** As {@link RmiPeer#warmupRoundTrips()}: RMI's paths need thousands of calls to compile. */
  @Override
  public int warmupRoundTrips() {
    return FRAMEWORK_WARMUP;
  }

  @Override
  public String unavailableReason(int payloadBytes) {
    return null;
  }

  @Override
  public KvConnection connect(Scratch scratch, int payloadBytes) throws Exception {
    final ChildJvm child =
        EchoServerMain.launch(scratch, FAMILY, List.of("-Djava.rmi.server.hostname=127.0.0.1"), List.of());
    try {
      final int port = Integer.parseInt(child.awaitReady(READY_LIMIT));
      final Registry registry =
          LocateRegistry.getRegistry(
              InetAddress.getLoopbackAddress().getHostAddress(), port, new TimedSockets(READY_LIMIT));
      return new Client(child, (RmiKv) registry.lookup(NAME), payloadBytes);
    } catch (Exception e) {
      child.close();
      throw e;
    }
  }

  /**
   * Child side: a registry on an ephemeral loopback port, the {@link BenchServer} exported on
   * another and bound there; then serve until this JVM is halted.
   */
  static void serve() throws IOException, InterruptedException {
    final LoopbackSockets registrySockets = new LoopbackSockets();
    final Registry registry = LocateRegistry.createRegistry(0, null, registrySockets);
    final Adapter adapter = new Adapter(new BenchServer());
    final RmiKv stub = (RmiKv) UnicastRemoteObject.exportObject(adapter, 0, null, new LoopbackSockets());
    registry.rebind(NAME, stub);
    EchoServerMain.ready(Integer.toString(registrySockets.port()));
    try {
      Thread.sleep(Long.MAX_VALUE); // ParentWatch halts this JVM
    } finally {
      // RMI holds an exported object weakly: keep the adapter and the registry alive while serving.
      Reference.reachabilityFence(adapter);
      Reference.reachabilityFence(registry);
    }
  }

  /** The exported object: {@link RmiKv} over a {@link Bench}. */
  private record Adapter(Bench bench) implements RmiKv {
    @Override
    public void nothing() {
      bench.nothing();
    }

    @Override
    public long echo(long value) {
      return bench.echo(value);
    }

    @Override
    public int take(byte[] data) {
      return bench.take(data);
    }
  }

  /**
   * Server sockets bound to the loopback address only; remembers the port of the last one, so
   * that the child can say where its registry listens. Used by one thread (the child's main).
   */
  private static final class LoopbackSockets implements RMIServerSocketFactory {
    private volatile int port = -1;

    @Override
    public ServerSocket createServerSocket(int requested) throws IOException {
      final ServerSocket socket = new ServerSocket(requested, 50, InetAddress.getLoopbackAddress());
      port = socket.getLocalPort();
      return socket;
    }

    int port() {
      if (port < 0) throw new IllegalStateException("no server socket created yet");
      return port;
    }
  }

  /** Client sockets with a read timeout: a registry that stops answering fails the lookup. */
  private record TimedSockets(Duration readTimeout) implements RMIClientSocketFactory {
    @Override
    public Socket createSocket(String host, int port) throws IOException {
      final Socket socket = new Socket(host, port);
      socket.setSoTimeout((int) readTimeout.toMillis());
      return socket;
    }
  }

  private static final class Client extends KvConnection {
    private final ChildJvm child;
    private final RmiKv stub;

    Client(ChildJvm child, RmiKv stub, int payloadBytes) {
      super(payloadBytes);
      this.child = child;
      this.stub = stub;
    }

    @Override
    void nothing() throws IOException {
      stub.nothing();
    }

    @Override
    long echo(long value) throws IOException {
      return stub.echo(value);
    }

    @Override
    int take(byte[] data) throws IOException {
      return stub.take(data);
    }

    @Override
    public void abort() {
      child.kill(); // the connection drops: a blocked call fails
    }

    @Override
    public void close() {
      child.close();
    }
  }
}
