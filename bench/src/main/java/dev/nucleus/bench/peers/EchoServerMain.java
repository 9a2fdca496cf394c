package dev.nucleus.bench.peers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The echo side of a two-process peer: {@code EchoServerMain <family> key=value...}. Started by a
 * {@link ChildJvm}; serves one client until the parent closes the connection or goes away, then
 * halts. The kv peers' families ({@code grpc-kv}, {@code rmi-kv}) serve the LRPC entries' calls
 * rather than an echo.
 *
 * <p>Protocol with the parent: the child prints {@code READY <info>} on stdout once it serves
 * ({@code info} is what the client needs, e.g. a TCP port), and from then on stdout is stderr. The
 * pipe peer is the exception: its stdin and stdout are the data pipes, so it prints nothing.
 * Everything else goes to stderr, which the parent keeps in a log file.
 */
public final class EchoServerMain {

  private EchoServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: EchoServerMain <family> key=value...");
      System.exit(2);
    }
    String family = args[0];
    PeerArgs a = PeerArgs.parse(Arrays.asList(args).subList(1, args.length));
    if (family.equals(PipePeer.FAMILY)) {
      ParentWatch.startPolling(); // stdin is the request pipe
    } else {
      ParentWatch.start();
    }
    try {
      switch (family) {
        case PipePeer.FAMILY -> PipePeer.serve(a);
        case FifoPeer.FAMILY -> FifoPeer.serve(a);
        case SocketPeer.UNIX_FAMILY, SocketPeer.TCP_FAMILY -> SocketPeer.serve(family, a);
        case PosixMqPeer.FAMILY -> PosixMqPeer.serve(a);
        case GrpcPeer.TCP_FAMILY, GrpcPeer.UDS_FAMILY -> GrpcPeer.serve(family, a);
        case RmiPeer.FAMILY -> RmiPeer.serve(a);
        case GrpcKvPeer.FAMILY -> GrpcKvPeer.serve();
        case RmiKvPeer.FAMILY -> RmiKvPeer.serve();
        case AeronSupport.ECHO_FAMILY -> AeronSupport.serveEcho(a);
        default -> throw new IllegalArgumentException("unknown peer family: " + family);
      }
    } catch (Throwable t) {
      t.printStackTrace();
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
    Runtime.getRuntime().halt(0);
  }

  /**
   * Starts a child JVM serving {@code family} with {@code args} ({@code key=value} words); its log
   * is named after the family.
   */
  static ChildJvm launch(Scratch scratch, String family, List<String> jvmFlags, List<String> args)
      throws IOException {
    List<String> all = new ArrayList<>();
    all.add(family);
    all.addAll(args);
    return ChildJvm.start(scratch, family, EchoServerMain.class, jvmFlags, all);
  }

  /** Tells the parent that this child serves, with {@code info}; then stdout goes to stderr. */
  static void ready(String info) {
    System.out.println(ChildJvm.READY + " " + info);
    System.out.flush();
    System.setOut(System.err);
  }
}
