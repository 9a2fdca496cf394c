package dev.nucleus.system.internal;

import dev.nucleus.kernel.InterruptSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A doorbell port: fires each time a connection arrives on a TCP socket the root listens on, at
 * 127.0.0.1 and the driver's port. The root accepts the connection, answers {@code ok\n} and closes
 * it: the event is the notification ({@code nc 127.0.0.1 7070 </dev/null} rings it). Closing stops
 * listening.
 */
final class AcceptSource implements InterruptSource {

  private static final ByteBuffer OK = ByteBuffer.wrap("ok\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

  private final int port;
  private ServerSocketChannel server;
  private Thread thread;

  AcceptSource(int port) {
    this.port = port;
  }

  @Override
  public synchronized void start(Runnable trigger) {
    try {
      server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    final ServerSocketChannel s = server;
    thread = Thread.ofPlatform().daemon().name("driver-port-" + port).start(() -> {
      while (s.isOpen()) {
        try (SocketChannel c = s.accept()) {
          trigger.run();
          c.write(OK.duplicate());
        } catch (IOException e) {
          // closed, or the client went away: the firing counted
        }
      }
    });
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
      thread.interrupt();
    }
  }

  @Override
  public String describe() {
    return "connections on 127.0.0.1:" + port;
  }
}
