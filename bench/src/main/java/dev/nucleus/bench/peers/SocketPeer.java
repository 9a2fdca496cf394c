package dev.nucleus.bench.peers;

import dev.nucleus.bench.MechanismRegistry;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code unix-socket} and {@code tcp-loopback}: one JDK {@link SocketChannel} in blocking mode,
 * over a {@link UnixDomainSocketAddress} in the run's scratch directory or over TCP on the loopback
 * address with {@code TCP_NODELAY} on both ends; a null message is one byte. The {@code -jvm}
 * variants serve on a thread of this JVM instead of a child process.
 *
 * <p>The echo side listens (a Unix socket file, or an ephemeral TCP port that it reports in its
 * {@code READY} line), accepts one connection and echoes fixed-size messages until EOF.
 */
final class SocketPeer implements Peer {

  static final String UNIX_FAMILY = "unix-socket";
  static final String TCP_FAMILY = "tcp-loopback";

  private static final Duration READY_LIMIT = Duration.ofSeconds(60);

  private final boolean unix;
  private final boolean sameJvm;

  private SocketPeer(boolean unix, boolean sameJvm) {
    this.unix = unix;
    this.sameJvm = sameJvm;
  }

  /** Unix domain socket; {@code sameJvm}: both ends in this JVM ({@code unix-socket-jvm}). */
  static SocketPeer unix(boolean sameJvm) {
    return new SocketPeer(true, sameJvm);
  }

  /** TCP over loopback; {@code sameJvm}: both ends in this JVM ({@code tcp-loopback-jvm}). */
  static SocketPeer tcp(boolean sameJvm) {
    return new SocketPeer(false, sameJvm);
  }

  private String baseFamily() {
    return unix ? UNIX_FAMILY : TCP_FAMILY;
  }

  @Override
  public String family() {
    return baseFamily() + (sameJvm ? "-jvm" : "");
  }

  @Override
  public String floor() {
    return MechanismRegistry.FLOOR_C_FUTEX;
  }

  @Override
  public String description() {
    return (unix
            ? "JDK SocketChannel on a UnixDomainSocketAddress"
            : "JDK SocketChannel, TCP loopback, TCP_NODELAY")
        + (sameJvm ? ", echo on a thread of this JVM" : "");
  }

  @Override
  public String unavailableReason(int payloadBytes) {
    return null;
  }

  @Override
  public PeerConnection connect(Scratch scratch, int payloadBytes) throws Exception {
    int n = Math.max(1, payloadBytes);
    Path socketFile = scratch.resolve("echo.sock");
    ChildJvm child = null;
    Thread server = null;
    SocketChannel ch = null;
    try {
      SocketAddress address;
      if (sameJvm) {
        CompletableFuture<SocketAddress> bound = new CompletableFuture<>();
        server =
            Thread.ofPlatform()
                .daemon()
                .name(family() + "-echo")
                .start(() -> serveQuietly(unix, socketFile, n, bound));
        address = bound.get(READY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        child =
            EchoServerMain.launch(
                scratch, baseFamily(), List.of(), PeerArgs.words("bytes", n, "path", socketFile));
        String info = child.awaitReady(READY_LIMIT);
        address =
            unix
                ? UnixDomainSocketAddress.of(socketFile)
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(info));
      }
      ch = SocketChannel.open(address);
      if (!unix) ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      return new Client(child, server, ch, n);
    } catch (Exception e) {
      if (ch != null) ch.close();
      if (child != null) child.close();
      if (server != null) server.interrupt();
      throw e instanceof ExecutionException ee && ee.getCause() instanceof Exception c ? c : e;
    }
  }

  /** Child side ({@link EchoServerMain}): listen, report readiness, echo one client until EOF. */
  static void serve(String family, PeerArgs args) throws IOException {
    CompletableFuture<SocketAddress> bound = new CompletableFuture<>();
    bound.thenAccept(
        a ->
            EchoServerMain.ready(
                a instanceof InetSocketAddress i ? Integer.toString(i.getPort()) : ""));
    serve(family.equals(UNIX_FAMILY), Path.of(args.get("path")), args.getInt("bytes"), bound);
  }

  private static void serveQuietly(
      boolean unix, Path path, int n, CompletableFuture<SocketAddress> bound) {
    try {
      serve(unix, path, n, bound);
    } catch (IOException e) {
      bound.completeExceptionally(e); // no effect once bound; the client then sees EOF
    }
  }

  private static void serve(boolean unix, Path path, int n, CompletableFuture<SocketAddress> bound)
      throws IOException {
    try (ServerSocketChannel listener =
        unix
            ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
            : ServerSocketChannel.open(StandardProtocolFamily.INET)) {
      listener.bind(
          unix
              ? UnixDomainSocketAddress.of(path)
              : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          1);
      bound.complete(listener.getLocalAddress());
      try (SocketChannel ch = listener.accept()) {
        if (!unix) ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ByteBuffer buf = ByteBuffer.allocateDirect(n);
        while (ChannelIo.readFully(ch, buf)) ChannelIo.writeFully(ch, buf);
      }
    }
  }

  private static final class Client implements PeerConnection {
    private final ChildJvm child; // null for the -jvm variants
    private final Thread server; // null unless -jvm
    private final SocketChannel ch;
    private final ByteBuffer request;
    private final ByteBuffer response;

    Client(ChildJvm child, Thread server, SocketChannel ch, int n) {
      this.child = child;
      this.server = server;
      this.ch = ch;
      this.request = ByteBuffer.allocateDirect(n);
      this.response = ByteBuffer.allocateDirect(n);
    }

    @Override
    public void roundTrip() throws IOException {
      ChannelIo.writeFully(ch, request);
      if (!ChannelIo.readFully(ch, response)) throw new EOFException("echo side closed the socket");
    }

    @Override
    public void abort() {
      if (child != null) child.kill();
      try {
        ch.close(); // wakes a thread blocked in read
      } catch (IOException ignored) {
        // closed is closed
      }
    }

    @Override
    public void close() throws IOException {
      ch.close(); // the echo side reads EOF and ends
      if (child != null) child.close();
      if (server != null) {
        try {
          server.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (server.isAlive()) throw new IOException("echo thread did not end");
      }
    }
  }
}
