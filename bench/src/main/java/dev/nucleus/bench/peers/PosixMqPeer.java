package dev.nucleus.bench.peers;

import dev.nucleus.bench.MechanismRegistry;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code posix-mq}: two POSIX message queues (requests, responses) through FFM: {@code mq_send} and
 * blocking {@code mq_receive}; a null message is an empty message.
 *
 * <p>Names: {@code /nucleus-bench-<pid>-<n>-req|resp}, created here with {@code O_EXCL}, mode 0600,
 * room for {@value #MAX_MESSAGES} messages of the payload size. The child opens both by name and
 * reports readiness; this side then unlinks both names at once, so nothing is left in the queue
 * namespace even if either process is killed later. A queue's message size is capped by {@code
 * /proc/sys/fs/mqueue/msgsize_max} (8 KiB by default) for unprivileged users, so large payloads may
 * be unavailable.
 *
 * <p>Abort: this side holds the response queue read-write; an abort sends one message to itself,
 * which wakes its blocked {@code mq_receive}, and the round trip then sees the abort flag.
 */
final class PosixMqPeer implements Peer {

  static final String FAMILY = "posix-mq";

  private static final int MAX_MESSAGES = 4;
  private static final AtomicLong NEXT = new AtomicLong();

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
    return "two POSIX message queues, mq_send / blocking mq_receive through FFM";
  }

  @Override
  public String unavailableReason(int payloadBytes) {
    String libc = Libc.unavailableReason();
    if (libc != null) return libc;
    // Probe: the same open the run does, with this message size.
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.newErrnoState(arena);
      MemorySegment name = arena.allocateFrom(newName("probe"));
      int mq =
          Libc.mqOpen(
              st, name, Libc.O_CREAT | Libc.O_EXCL | Libc.O_RDWR, attr(arena, payloadBytes));
      if (mq < 0) {
        return "mq_open with "
            + msgSize(payloadBytes)
            + "-byte messages fails: "
            + Libc.strerror(Libc.errno(st))
            + limitsHint();
      }
      Libc.mqClose(st, mq);
      Libc.mqUnlink(st, name);
      return null;
    }
  }

  private static String limitsHint() {
    // Not Files.readString: procfs reports a wrong size and the JDK trusts it.
    try (InputStream in = new FileInputStream("/proc/sys/fs/mqueue/msgsize_max")) {
      String max = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
      return " (/proc/sys/fs/mqueue/msgsize_max is " + max + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private static long msgSize(long payloadBytes) {
    return Math.max(1, payloadBytes);
  }

  private static String newName(String role) {
    return "/nucleus-bench-"
        + ProcessHandle.current().pid()
        + "-"
        + NEXT.incrementAndGet()
        + "-"
        + role;
  }

  private static MemorySegment attr(Arena arena, int payloadBytes) {
    MemorySegment attr = arena.allocate(Libc.MQ_ATTR);
    attr.set(java.lang.foreign.ValueLayout.JAVA_LONG, Libc.MQ_MAXMSG_OFFSET, MAX_MESSAGES);
    attr.set(
        java.lang.foreign.ValueLayout.JAVA_LONG, Libc.MQ_MSGSIZE_OFFSET, msgSize(payloadBytes));
    return attr;
  }

  @Override
  public PeerConnection connect(Scratch scratch, int payloadBytes) throws Exception {
    Arena arena = Arena.ofShared();
    MemorySegment st = Libc.newErrnoState(arena);
    String reqName = newName("req");
    String respName = newName("resp");
    MemorySegment req = arena.allocateFrom(reqName);
    MemorySegment resp = arena.allocateFrom(respName);
    int flags = Libc.O_CREAT | Libc.O_EXCL | Libc.O_RDWR;
    int out = Libc.mqOpen(st, req, flags, attr(arena, payloadBytes));
    int in = out < 0 ? -1 : Libc.mqOpen(st, resp, flags, attr(arena, payloadBytes));
    if (out < 0 || in < 0) {
      String why = Libc.strerror(Libc.errno(st));
      if (out >= 0) {
        Libc.mqClose(st, out);
        Libc.mqUnlink(st, req);
      }
      arena.close();
      throw new IOException("mq_open: " + why);
    }
    ChildJvm child = null;
    try {
      child =
          EchoServerMain.launch(
              scratch,
              FAMILY,
              List.of(),
              PeerArgs.words("bytes", payloadBytes, "requests", reqName, "responses", respName));
      child.awaitReady(Duration.ofSeconds(60));
    } catch (Exception e) {
      Libc.mqUnlink(st, req);
      Libc.mqUnlink(st, resp);
      Libc.mqClose(st, out);
      Libc.mqClose(st, in);
      if (child != null) child.close();
      arena.close();
      throw e;
    }
    // Both sides have the queues open now: remove the names, so nothing outlives the processes.
    Libc.mqUnlink(st, req);
    Libc.mqUnlink(st, resp);
    return new Client(arena, st, child, out, in, payloadBytes);
  }

  /** Child side: open both queues by name, report readiness, echo until the parent is gone. */
  static void serve(PeerArgs args) throws IOException {
    int n = args.getInt("bytes");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.newErrnoState(arena);
      int in =
          Libc.mqOpen(
              st, arena.allocateFrom(args.get("requests")), Libc.O_RDONLY, MemorySegment.NULL);
      int out =
          in < 0
              ? -1
              : Libc.mqOpen(
                  st, arena.allocateFrom(args.get("responses")), Libc.O_WRONLY, MemorySegment.NULL);
      if (in < 0 || out < 0) throw new IOException("mq_open: " + Libc.strerror(Libc.errno(st)));
      MemorySegment buf = arena.allocate(msgSize(n), 64);
      EchoServerMain.ready("");
      while (true) {
        long len = Libc.mqReceive(st, in, buf, buf.byteSize());
        if (len < 0) throw new IOException("mq_receive: " + Libc.strerror(Libc.errno(st)));
        if (Libc.mqSend(st, out, buf, len) != 0) {
          throw new IOException("mq_send: " + Libc.strerror(Libc.errno(st)));
        }
      }
    }
  }

  private static final class Client implements PeerConnection {
    private final Arena arena;
    private final MemorySegment st;
    private final ChildJvm child;
    private final int requests;
    private final int responses;
    private final MemorySegment request;
    private final MemorySegment response;
    private final long length;
    private volatile boolean aborted;

    Client(Arena arena, MemorySegment st, ChildJvm child, int requests, int responses, int n) {
      this.arena = arena;
      this.st = st;
      this.child = child;
      this.requests = requests;
      this.responses = responses;
      this.length = n;
      this.request = arena.allocate(msgSize(n), 64);
      this.response = arena.allocate(msgSize(n), 64);
    }

    @Override
    public void roundTrip() throws IOException {
      if (Libc.mqSend(st, requests, request, length) != 0) {
        throw new IOException("mq_send: " + Libc.strerror(Libc.errno(st)));
      }
      long got = Libc.mqReceive(st, responses, response, response.byteSize());
      if (aborted) throw new IOException("aborted");
      if (got != length) {
        throw new IOException(
            got < 0
                ? "mq_receive: " + Libc.strerror(Libc.errno(st))
                : "response of " + got + " bytes, expected " + length);
      }
    }

    @Override
    public void abort() {
      if (aborted) return;
      aborted = true;
      child.kill();
      try (Arena a = Arena.ofConfined()) {
        Libc.mqSend(Libc.newErrnoState(a), responses, a.allocate(msgSize(length)), 0); // wake
      }
    }

    @Override
    public void close() {
      try {
        child.close();
      } finally {
        Libc.mqClose(st, requests);
        Libc.mqClose(st, responses);
        arena.close();
      }
    }
  }
}
