package dev.nucleus.bench.peers;

import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.lrpc.BenchServer;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code grpc-kv-null}, {@code grpc-kv-1KiB}, {@code grpc-kv-64KiB}: the calls of the LRPC entries
 * ({@link KvConnection}) as gRPC-java unary calls ({@link GrpcKvService}) through the blocking
 * stub API, over Netty (NIO) on TCP loopback, to a server in a child JVM that serves a {@link
 * BenchServer}, the implementation the LRPC server exports. The null call is {@code Nothing}, the
 * sized one {@code Take}.
 *
 * <p>Placed as {@code grpc-tcp}: the client in the bench JVM, the server on gRPC's default
 * executor. Unlike {@code grpc-tcp}, every call carries a deadline ({@link #DEADLINE}), as every
 * LRPC call does and as gRPC's guidance asks of a service's clients; a call that misses it fails
 * with {@code DEADLINE_EXCEEDED}.
 *
 * <pre>
 *   bench JVM (client)                                 child JVM (EchoServerMain grpc-kv)
 *   blockingUnaryCall(Nothing | Take(byte[]))
 *     HTTP/2 frames, TCP 127.0.0.1  ------------------>  Netty -> executor -> BenchServer
 *     Empty | count  &lt;---------------------------------  answer
 * </pre>
 */
final class GrpcKvPeer implements Peer {

  static final String FAMILY = "grpc-kv";

  /** The deadline of every call: longer than any healthy call, as the LRPC entries' is. */
  static final Duration DEADLINE = Duration.ofSeconds(5);

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
    return "the LRPC entries' Bench calls (null: nothing(); sized: take(byte[])) as gRPC-java unary"
        + " calls with a 5 s deadline, Netty (NIO) over TCP loopback; like for like with lrpc-process-*";
  }

  /** As {@link GrpcPeer#warmupRoundTrips()}: gRPC's paths need thousands of calls to compile. */
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
    GrpcPeer.quietNetty();
    final ChildJvm child = EchoServerMain.launch(scratch, FAMILY, List.of(), List.of());
    try {
      final int port = Integer.parseInt(child.awaitReady(READY_LIMIT));
      final ManagedChannel channel =
          NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
              .usePlaintext()
              .build();
      return new Client(child, channel, payloadBytes);
    } catch (Exception e) {
      child.close();
      throw e;
    }
  }

  /** Child side: serve a {@link BenchServer} on an ephemeral loopback port until killed. */
  static void serve() throws IOException, InterruptedException {
    GrpcPeer.quietNetty();
    final Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(GrpcKvService.serving(new BenchServer()))
            .build()
            .start();
    EchoServerMain.ready(Integer.toString(server.getPort()));
    server.awaitTermination(); // ParentWatch halts this JVM
  }

  private static final class Client extends KvConnection {
    private final ChildJvm child;
    private final ManagedChannel channel;

    Client(ChildJvm child, ManagedChannel channel, int payloadBytes) {
      super(payloadBytes);
      this.child = child;
      this.channel = channel;
    }

    @Override
    void nothing() throws IOException {
      call(GrpcKvService.NOTHING, GrpcKvService.Empty.INSTANCE);
    }

    @Override
    long echo(long value) throws IOException {
      return call(GrpcKvService.ECHO, value);
    }

    @Override
    int take(byte[] data) throws IOException {
      return call(GrpcKvService.TAKE, data);
    }

    /** One blocking unary call with a fresh deadline; a failed call's status becomes the IOException. */
    private <Q, R> R call(MethodDescriptor<Q, R> method, Q request) throws IOException {
      try {
        return ClientCalls.blockingUnaryCall(
            channel,
            method,
            CallOptions.DEFAULT.withDeadlineAfter(DEADLINE.toNanos(), TimeUnit.NANOSECONDS),
            request);
      } catch (StatusRuntimeException e) {
        throw new IOException(method.getBareMethodName() + ": " + e.getStatus(), e);
      }
    }

    @Override
    public void abort() {
      child.kill();
      channel.shutdownNow(); // fails a blocked call
    }

    @Override
    public void close() {
      boolean interrupted = false;
      try {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      } finally {
        child.close();
        if (interrupted) Thread.currentThread().interrupt();
      }
    }
  }
}
