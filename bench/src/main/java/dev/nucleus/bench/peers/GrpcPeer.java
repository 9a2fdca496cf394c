package dev.nucleus.bench.peers;

import dev.nucleus.bench.MechanismRegistry;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code grpc-tcp}, {@code grpc-uds} and {@code grpc-inprocess}: gRPC-java unary calls of a {@code
 * byte[]} echo method, defined by hand (a {@link MethodDescriptor} with a byte-array marshaller, so
 * no protoc), through the blocking stub API ({@link ClientCalls#blockingUnaryCall}).
 *
 * <p>Transports: Netty over TCP loopback (Netty's default NIO transport, as {@code
 * NettyChannelBuilder.forAddress(host, port)} gives it); Netty's native epoll transport over a Unix
 * domain socket in the run's scratch directory; and gRPC's in-process transport with both ends in
 * this JVM (the in-JVM variant). The server runs the handler on gRPC's default executor, as a
 * service does unless it opts into {@code directExecutor()}. A null message is an empty byte array
 * (gRPC still frames it with HTTP/2 headers).
 */
final class GrpcPeer implements Peer {

  static final String TCP_FAMILY = "grpc-tcp";
  static final String UDS_FAMILY = "grpc-uds";
  static final String INPROCESS_FAMILY = "grpc-inprocess";

  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final AtomicLong NEXT = new AtomicLong();

  /**
   * Netty logs (through java.util.logging) that Unix domain sockets ignore gRPC's SO_KEEPALIVE:
   * true and harmless, and not bench output. Strong references keep the levels.
   */
  private static final List<Logger> QUIET =
      List.of(Logger.getLogger("io.netty.bootstrap"), Logger.getLogger("io.grpc"));

  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("nucleus.bench.Echo/Echo")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();

  private final String family;

  private GrpcPeer(String family) {
    this.family = family;
  }

  static GrpcPeer tcp() {
    return new GrpcPeer(TCP_FAMILY);
  }

  static GrpcPeer uds() {
    return new GrpcPeer(UDS_FAMILY);
  }

  static GrpcPeer inProcess() {
    return new GrpcPeer(INPROCESS_FAMILY);
  }

  @Override
  public String family() {
    return family;
  }

  @Override
  public String floor() {
    return MechanismRegistry.FLOOR_C_FUTEX;
  }

  @Override
  public String description() {
    return switch (family) {
      case TCP_FAMILY -> "gRPC-java unary, Netty (NIO) over TCP loopback, blocking stub";
      case UDS_FAMILY -> "gRPC-java unary, Netty epoll over a Unix domain socket, blocking stub";
      default -> "gRPC-java unary, in-process transport, both ends in this JVM";
    };
  }

  /**
   * gRPC's client and server paths need thousands of calls before C2 has compiled them; the p50
   * after the default warmup (half of 2,000) is about twice the steady state's on the bench VM.
   */
  @Override
  public int warmupRoundTrips() {
    return FRAMEWORK_WARMUP;
  }

  @Override
  public String unavailableReason(int payloadBytes) {
    if (family.equals(UDS_FAMILY) && !Epoll.isAvailable()) {
      Throwable cause = Epoll.unavailabilityCause();
      return "Netty epoll transport unavailable: "
          + (cause == null ? "unknown" : cause.getMessage());
    }
    return null;
  }

  static ServerServiceDefinition service() {
    return ServerServiceDefinition.builder("nucleus.bench.Echo")
        .addMethod(
            ECHO,
            ServerCalls.asyncUnaryCall(
                (request, observer) -> {
                  observer.onNext(request);
                  observer.onCompleted();
                }))
        .build();
  }

  @Override
  public PeerConnection connect(Scratch scratch, int payloadBytes) throws Exception {
    quietNetty();
    byte[] request = new byte[payloadBytes];
    if (family.equals(INPROCESS_FAMILY)) {
      String name = "nucleus-bench-echo-" + NEXT.incrementAndGet();
      Server server = InProcessServerBuilder.forName(name).addService(service()).build().start();
      ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
      return new Client(null, server, null, channel, request);
    }
    Path socket = scratch.resolve("grpc.sock");
    ChildJvm child =
        EchoServerMain.launch(scratch, family, List.of(), PeerArgs.words("path", socket));
    EventLoopGroup group = null;
    try {
      String info = child.awaitReady(READY_LIMIT);
      ManagedChannel channel;
      if (family.equals(UDS_FAMILY)) {
        group = epollGroup();
        channel =
            NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .usePlaintext()
                .build();
      } else {
        channel =
            NettyChannelBuilder.forAddress(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(info)))
                .usePlaintext()
                .build();
      }
      return new Client(child, null, group, channel, request);
    } catch (Exception e) {
      child.close();
      if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** One epoll event-loop thread (Netty 4.2's replacement for {@code EpollEventLoopGroup}). */
  private static EventLoopGroup epollGroup() {
    return new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  }

  static void quietNetty() {
    for (Logger l : QUIET) l.setLevel(Level.SEVERE);
  }

  /** Child side: serve the echo method until the parent is gone. */
  static void serve(String family, PeerArgs args) throws IOException, InterruptedException {
    quietNetty();
    Server server;
    if (family.equals(UDS_FAMILY)) {
      EventLoopGroup group = epollGroup();
      server =
          NettyServerBuilder.forAddress(new DomainSocketAddress(args.get("path")))
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(group)
              .workerEventLoopGroup(group)
              .addService(service())
              .build()
              .start();
      EchoServerMain.ready("");
    } else {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .addService(service())
              .build()
              .start();
      EchoServerMain.ready(Integer.toString(server.getPort()));
    }
    server.awaitTermination();
  }

  private static final class Client implements PeerConnection {
    private final ChildJvm child; // null in-process
    private final Server server; // non-null only in-process
    private final EventLoopGroup group; // non-null only for UDS
    private final ManagedChannel channel;
    private final byte[] request;

    Client(
        ChildJvm child,
        Server server,
        EventLoopGroup group,
        ManagedChannel channel,
        byte[] request) {
      this.child = child;
      this.server = server;
      this.group = group;
      this.channel = channel;
      this.request = request;
    }

    @Override
    public void roundTrip() {
      byte[] response = ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, request);
      if (response.length != request.length) {
        throw new IllegalStateException(
            "response of " + response.length + " bytes, expected " + request.length);
      }
    }

    @Override
    public void abort() {
      if (child != null) child.kill();
      channel.shutdownNow(); // fails a blocked call
      if (server != null) server.shutdownNow();
    }

    @Override
    public void close() {
      boolean interrupted = false;
      try {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
        if (server != null) {
          server.shutdownNow();
          server.awaitTermination(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      } finally {
        if (child != null) child.close();
        if (group != null)
          group
              .shutdownGracefully(0, 1, TimeUnit.SECONDS)
              .awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (interrupted) Thread.currentThread().interrupt();
      }
    }
  }
}
