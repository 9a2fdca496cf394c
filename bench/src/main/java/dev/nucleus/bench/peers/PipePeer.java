package dev.nucleus.bench.peers;

import dev.nucleus.bench.MechanismRegistry;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code pipe}: two anonymous pipes, the child's stdin (requests) and stdout (responses), exactly
 * what {@link ProcessBuilder} gives a parent. Blocking reads and writes through the JDK's process
 * streams; a null message is one byte.
 */
final class PipePeer implements Peer {

  static final String FAMILY = "pipe";

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
    return "two anonymous pipes (child's stdin/stdout), blocking JDK streams";
  }

  @Override
  public String unavailableReason(int payloadBytes) {
    return null;
  }

  @Override
  public PeerConnection connect(Scratch scratch, int payloadBytes) throws Exception {
    int n = Math.max(1, payloadBytes);
    ChildJvm child = EchoServerMain.launch(scratch, FAMILY, List.of(), PeerArgs.words("bytes", n));
    return new Client(child, n);
  }

  /** Child side: echo {@code bytes}-sized messages from stdin to stdout until EOF. */
  static void serve(PeerArgs args) throws IOException {
    int n = Math.max(1, args.getInt("bytes"));
    byte[] buf = new byte[n];
    try (InputStream in = new FileInputStream(FileDescriptor.in);
        OutputStream out = new FileOutputStream(FileDescriptor.out)) {
      while (in.readNBytes(buf, 0, n) == n) {
        out.write(buf, 0, n);
      }
    }
  }

  private static final class Client implements PeerConnection {
    private final ChildJvm child;
    private final OutputStream requests;
    private final InputStream responses;
    private final byte[] request;
    private final byte[] response;

    Client(ChildJvm child, int n) {
      this.child = child;
      this.requests = child.stdin();
      this.responses = child.stdout();
      this.request = new byte[n];
      this.response = new byte[n];
    }

    @Override
    public void roundTrip() throws IOException {
      requests.write(request);
      requests.flush();
      if (responses.readNBytes(response, 0, response.length) != response.length) {
        throw new EOFException("pipe closed by the echo process" + child.logTail());
      }
    }

    @Override
    public void abort() {
      child.kill(); // its pipe ends close: a blocked read sees EOF
    }

    @Override
    public void close() {
      child.close();
    }
  }
}
