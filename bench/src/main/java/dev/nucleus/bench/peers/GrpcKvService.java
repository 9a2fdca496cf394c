package dev.nucleus.bench.peers;

import dev.nucleus.bench.lrpc.Bench;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The LRPC entries' service, {@link Bench}, as a gRPC service ({@code nucleus.bench.Bench}): one
 * unary method per operation the kv peers call, defined by hand as {@link GrpcPeer}'s echo is (a
 * {@link MethodDescriptor} with its own marshallers, no protoc).
 *
 * <table>
 *   <caption>methods and their messages</caption>
 *   <tr><th>method</th><th>request</th><th>response</th></tr>
 *   <tr><td>Nothing</td><td>empty</td><td>empty</td></tr>
 *   <tr><td>Echo</td><td>8 bytes, a long, big-endian</td><td>the same</td></tr>
 *   <tr><td>Take</td><td>the bytes, unframed</td><td>4 bytes, their count, big-endian</td></tr>
 * </table>
 *
 * <p>These are the messages protoc's {@code google.protobuf.Empty}, {@code Int64Value}, {@code
 * BytesValue} and {@code Int32Value} would carry, less their field tags. A message of any other
 * length fails to parse: the call ends with gRPC's {@code INTERNAL} status, and a server goes on
 * serving. {@code Bench.serverAllocatedBytes()} is not offered: the peers count no allocation.
 */
final class GrpcKvService {

  /** The service's full name. */
  static final String SERVICE = "nucleus.bench.Bench";

  /** The empty message of {@code Nothing}: nothing travels but the call. */
  enum Empty {
    /** The one empty message. */
    INSTANCE
  }

  private static final MethodDescriptor.Marshaller<Empty> EMPTY =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Empty value) {
          return InputStream.nullInputStream();
        }

        @Override
        public Empty parse(InputStream stream) {
          exactly(stream, 0);
          return Empty.INSTANCE;
        }
      };

  private static final MethodDescriptor.Marshaller<Long> LONG =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Long value) {
          return new ByteArrayInputStream(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
        }

        @Override
        public Long parse(InputStream stream) {
          return ByteBuffer.wrap(exactly(stream, Long.BYTES)).getLong();
        }
      };

  private static final MethodDescriptor.Marshaller<Integer> INT =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Integer value) {
          return new ByteArrayInputStream(ByteBuffer.allocate(Integer.BYTES).putInt(value).array());
        }

        @Override
        public Integer parse(InputStream stream) {
          return ByteBuffer.wrap(exactly(stream, Integer.BYTES)).getInt();
        }
      };

  /** {@code Bench.nothing()}: the null call. */
  static final MethodDescriptor<Empty, Empty> NOTHING = unary("Nothing", EMPTY, EMPTY);

  /** {@code Bench.echo(long)}: one word each way. */
  static final MethodDescriptor<Long, Long> ECHO = unary("Echo", LONG, LONG);

  /** {@code Bench.take(byte[])}: the bytes one way, their count back. */
  static final MethodDescriptor<byte[], Integer> TAKE = unary("Take", GrpcPeer.BYTES, INT);

  private GrpcKvService() {}

  private static <Q, R> MethodDescriptor<Q, R> unary(
      String method, MethodDescriptor.Marshaller<Q> request, MethodDescriptor.Marshaller<R> response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
        .setRequestMarshaller(request)
        .setResponseMarshaller(response)
        .build();
  }

  /**
   * The service over {@code bench}: each method calls it once, on the thread gRPC runs the
   * handler on (the server's executor), and answers with its result.
   */
  static ServerServiceDefinition serving(Bench bench) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            NOTHING,
            ServerCalls.asyncUnaryCall(
                (Empty request, StreamObserver<Empty> response) -> {
                  bench.nothing();
                  answer(response, Empty.INSTANCE);
                }))
        .addMethod(
            ECHO,
            ServerCalls.asyncUnaryCall(
                (Long value, StreamObserver<Long> response) -> answer(response, bench.echo(value))))
        .addMethod(
            TAKE,
            ServerCalls.asyncUnaryCall(
                (byte[] data, StreamObserver<Integer> response) -> answer(response, bench.take(data))))
        .build();
  }

  private static <R> void answer(StreamObserver<R> response, R value) {
    response.onNext(value);
    response.onCompleted();
  }

  /**
   * The whole message, which must be {@code length} bytes: a peer's bytes are checked before use.
   *
   * @throws IllegalArgumentException if it is of another length (gRPC fails the call with it)
   */
  private static byte[] exactly(InputStream stream, int length) {
    final byte[] bytes;
    try {
      bytes = stream.readNBytes(length + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length != length) {
      final String got = bytes.length > length ? "more than " + length : Integer.toString(bytes.length);
      throw new IllegalArgumentException("a message of " + got + " bytes where " + length + " were expected");
    }
    return bytes;
  }
}
