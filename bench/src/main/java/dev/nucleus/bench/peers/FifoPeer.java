package dev.nucleus.bench.peers;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.nucleus.bench.MechanismRegistry;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code fifo}: two named pipes (FIFOs) in the run's scratch directory, created with {@code
 * mkfifo(3)} through FFM, read and written through blocking {@link FileChannel}s; a null message is
 * one byte.
 *
 * <p>Opening: this side opens both FIFOs read-write, which never blocks on Linux, before it starts
 * the child; the child then opens the request FIFO for reading and the response FIFO for writing,
 * which do not block either because this side holds both ends. The price: this side never sees EOF
 * on the response FIFO, so a dead child is noticed by the stall watchdog, whose abort closes the
 * channel and so wakes the blocked read. The child sees EOF on requests when this side is gone.
 */
final class FifoPeer implements Peer {

  static final String FAMILY = "fifo";

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
    return "two named pipes (mkfifo), blocking FileChannel reads and writes";
  }

  @Override
  public String unavailableReason(int payloadBytes) {
    return Libc.unavailableReason();
  }

  @Override
  public PeerConnection connect(Scratch scratch, int payloadBytes) throws Exception {
    int n = Math.max(1, payloadBytes);
    Path req = scratch.resolve("requests.fifo");
    Path resp = scratch.resolve("responses.fifo");
    Libc.mkfifo(req);
    Libc.mkfifo(resp);
    FileChannel out = FileChannel.open(req, READ, WRITE);
    FileChannel in = FileChannel.open(resp, READ, WRITE);
    ChildJvm child = null;
    try {
      child =
          EchoServerMain.launch(
              scratch,
              FAMILY,
              List.of(),
              PeerArgs.words("bytes", n, "requests", req, "responses", resp));
      child.awaitReady(Duration.ofSeconds(60));
      return new Client(child, out, in, n);
    } catch (Exception e) {
      out.close();
      in.close();
      if (child != null) child.close();
      throw e;
    }
  }

  /** Child side: echo from the request FIFO to the response FIFO until EOF. */
  static void serve(PeerArgs args) throws IOException {
    int n = Math.max(1, args.getInt("bytes"));
    try (FileChannel in = FileChannel.open(Path.of(args.get("requests")), READ);
        FileChannel out = FileChannel.open(Path.of(args.get("responses")), WRITE)) {
      EchoServerMain.ready("");
      ByteBuffer buf = ByteBuffer.allocateDirect(n);
      while (ChannelIo.readFully(in, buf)) ChannelIo.writeFully(out, buf);
    }
  }

  private static final class Client implements PeerConnection {
    private final ChildJvm child;
    private final FileChannel requests;
    private final FileChannel responses;
    private final ByteBuffer request;
    private final ByteBuffer response;

    Client(ChildJvm child, FileChannel requests, FileChannel responses, int n) {
      this.child = child;
      this.requests = requests;
      this.responses = responses;
      this.request = ByteBuffer.allocateDirect(n);
      this.response = ByteBuffer.allocateDirect(n);
    }

    @Override
    public void roundTrip() throws IOException {
      ChannelIo.writeFully(requests, request);
      if (!ChannelIo.readFully(responses, response)) throw new EOFException("response FIFO closed");
    }

    @Override
    public void abort() {
      child.kill();
      closeQuietly();
    }

    private void closeQuietly() {
      try {
        requests.close();
      } catch (IOException ignored) {
        // closing is all that matters
      }
      try {
        responses.close(); // wakes a thread blocked in read
      } catch (IOException ignored) {
        // closing is all that matters
      }
    }

    @Override
    public void close() {
      closeQuietly();
      child.close();
    }
  }
}
