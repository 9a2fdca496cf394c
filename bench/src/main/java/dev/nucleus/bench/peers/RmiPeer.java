package dev.nucleus.bench.peers;

import dev.nucleus.bench.MechanismRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.RemoteException;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * {@code rmi}: Java RMI on loopback. The child exports an {@link RmiEcho} on an ephemeral port
 * bound to the loopback address ({@code java.rmi.server.hostname=127.0.0.1}) and hands this side
 * its stub directly, serialized in its {@code READY} line, so no registry is involved. Calls go
 * over RMI's JRMP with its default client socket factory (TCP, connection reused across calls). A
 * null message is an empty byte array.
 */
final class RmiPeer implements Peer {

  static final String FAMILY = "rmi";

  /** Only the stub's own classes may be deserialized from the child's line. */
  private static final ObjectInputFilter STUB_FILTER =
      ObjectInputFilter.Config.createFilter(
          "maxdepth=20;jdk.proxy*;java.lang.reflect.Proxy;java.rmi.server.*;java.rmi.*;"
              + "sun.rmi.server.*;sun.rmi.transport.**;java.lang.*;"
              + RmiEcho.class.getName()
              + ";!*");

  @Override
  public String family() {
    return FAMILY;
  }

  @Override
  public String floor() {
    return MechanismRegistry.FLOOR_C_FUTEX;
  }

  @Override
  public String description() {
    return "Java RMI (JRMP) on loopback, byte[] echo";
  }

  /**
   * RMI's client and server paths need thousands of calls before C2 has compiled them; the p50
   * after the default warmup (half of 2,000) is about twice the steady state's on the bench VM.
   */
  @Override
  public int warmupRoundTrips() {
    return FRAMEWORK_WARMUP;
  }

  @Override
  public String unavailableReason(int payloadBytes) {
    return null;
  }

  @Override
  public PeerConnection connect(Scratch scratch, int payloadBytes) throws Exception {
    ChildJvm child =
        EchoServerMain.launch(
            scratch, FAMILY, List.of("-Djava.rmi.server.hostname=127.0.0.1"), List.of());
    try {
      String stubText = child.awaitReady(Duration.ofSeconds(60));
      RmiEcho stub;
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(stubText)))) {
        in.setObjectInputFilter(STUB_FILTER);
        stub = (RmiEcho) in.readObject();
      }
      return new Client(child, stub, new byte[payloadBytes]);
    } catch (Exception e) {
      child.close();
      throw e;
    }
  }

  /** Child side: export the echo object on loopback and print its stub; serve until killed. */
  static void serve(PeerArgs args) throws IOException, InterruptedException {
    RmiEcho stub =
        (RmiEcho) UnicastRemoteObject.exportObject(new Echo(), 0, null, new LoopbackSockets());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(stub);
    }
    EchoServerMain.ready(Base64.getEncoder().encodeToString(bytes.toByteArray()));
    Thread.sleep(Long.MAX_VALUE); // ParentWatch halts this JVM
  }

  /** The exported object. */
  private static final class Echo implements RmiEcho {
    @Override
    public byte[] echo(byte[] request) {
      return request;
    }
  }

  /** Server sockets bound to the loopback address only. */
  private record LoopbackSockets() implements RMIServerSocketFactory, Serializable {
    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    }
  }

  private static final class Client implements PeerConnection {
    private final ChildJvm child;
    private final RmiEcho stub;
    private final byte[] request;

    Client(ChildJvm child, RmiEcho stub, byte[] request) {
      this.child = child;
      this.stub = stub;
      this.request = request;
    }

    @Override
    public void roundTrip() throws RemoteException {
      byte[] response = stub.echo(request);
      if (response.length != request.length) {
        throw new IllegalStateException(
            "response of " + response.length + " bytes, expected " + request.length);
      }
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
