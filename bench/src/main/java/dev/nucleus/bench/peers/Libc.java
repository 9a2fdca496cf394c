package dev.nucleus.bench.peers;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * Wrappers for the few glibc calls the peers need through FFM: {@code mkfifo} and POSIX message
 * queues ({@code mq_open}, {@code mq_send}, {@code mq_receive}, {@code mq_close}, {@code
 * mq_unlink}; in libc itself since glibc 2.34). Every wrapper captures {@code errno} into a
 * caller-supplied segment ({@link #newErrnoState}) so that failures can say why.
 *
 * <p>Handles are looked up lazily, once; {@link #unavailableReason()} says when that failed (no
 * Linux, an old glibc, no native access). Thread-safe.
 */
@SuppressWarnings("restricted") // every JVM the bench starts has --enable-native-access
final class Libc {

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_RDWR = 2;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;

  /**
   * {@code struct mq_attr}: {@code long mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs; long __pad[4]}
   * (64 bytes on x86-64).
   */
  static final StructLayout MQ_ATTR =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("mq_flags"),
          JAVA_LONG.withName("mq_maxmsg"),
          JAVA_LONG.withName("mq_msgsize"),
          JAVA_LONG.withName("mq_curmsgs"),
          MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("pad"));

  static final long MQ_MAXMSG_OFFSET =
      MQ_ATTR.byteOffset(MemoryLayout.PathElement.groupElement("mq_maxmsg"));
  static final long MQ_MSGSIZE_OFFSET =
      MQ_ATTR.byteOffset(MemoryLayout.PathElement.groupElement("mq_msgsize"));

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private static final class Handles {
    static final MethodHandle MKFIFO =
        find("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), -1);
    static final MethodHandle MQ_OPEN =
        find("mq_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), 2);
    static final MethodHandle MQ_SEND =
        find(
            "mq_send", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    static final MethodHandle MQ_RECEIVE =
        find(
            "mq_receive",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS),
            -1);
    static final MethodHandle MQ_CLOSE =
        find("mq_close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    static final MethodHandle MQ_UNLINK =
        find("mq_unlink", FunctionDescriptor.of(JAVA_INT, ADDRESS), -1);
    static final MethodHandle STRERROR =
        LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MethodHandle find(String name, FunctionDescriptor fd, int firstVariadic) {
      MemorySegment addr =
          LINKER
              .defaultLookup()
              .find(name)
              .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name));
      Linker.Option capture = Linker.Option.captureCallState("errno");
      return firstVariadic < 0
          ? LINKER.downcallHandle(addr, fd, capture)
          : LINKER.downcallHandle(addr, fd, capture, Linker.Option.firstVariadicArg(firstVariadic));
    }
  }

  private Libc() {}

  /** Why these wrappers cannot work here, or {@code null}. */
  static String unavailableReason() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return "needs Linux";
    try {
      Handles.MQ_OPEN.type(); // forces the lookups
      return null;
    } catch (ExceptionInInitializerError
        | UnsupportedOperationException
        | IllegalCallerException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "libc calls through FFM unavailable: " + cause.getMessage();
    }
  }

  /** A segment for the captured {@code errno} of one caller's calls. */
  static MemorySegment newErrnoState(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  /** The {@code errno} of the last call that captured into {@code state}. */
  static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  /** {@code strerror(errno)} as text. */
  static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) Handles.STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  /** Creates a FIFO at {@code path} with mode 0600. */
  static void mkfifo(Path path) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = newErrnoState(arena);
      int rc = (int) Handles.MKFIFO.invokeExact(st, arena.allocateFrom(path.toString()), 0600);
      if (rc != 0) throw new IOException("mkfifo " + path + ": " + strerror(errno(st)));
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * {@code mq_open(name, flags, 0600, attr)}; {@code attr} may be {@link MemorySegment#NULL}.
   *
   * @return the descriptor, or {@code -1} with {@code errno} in {@code st}
   */
  static int mqOpen(MemorySegment st, MemorySegment name, int flags, MemorySegment attr) {
    try {
      return (int) Handles.MQ_OPEN.invokeExact(st, name, flags, 0600, attr);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * {@code mq_send(mq, buf, len, 0)}: 0 or -1 with {@code errno} in {@code st}. Blocks while full.
   */
  static int mqSend(MemorySegment st, int mq, MemorySegment buf, long len) {
    try {
      return (int) Handles.MQ_SEND.invokeExact(st, mq, buf, len, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * {@code mq_receive(mq, buf, capacity, NULL)}: the message length or -1 with {@code errno} in
   * {@code st}. Blocks while empty; {@code capacity} must be at least the queue's message size.
   */
  static long mqReceive(MemorySegment st, int mq, MemorySegment buf, long capacity) {
    try {
      return (long) Handles.MQ_RECEIVE.invokeExact(st, mq, buf, capacity, MemorySegment.NULL);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** {@code mq_close(mq)}. */
  static int mqClose(MemorySegment st, int mq) {
    try {
      return (int) Handles.MQ_CLOSE.invokeExact(st, mq);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** {@code mq_unlink(name)}. */
  static int mqUnlink(MemorySegment st, MemorySegment name) {
    try {
      return (int) Handles.MQ_UNLINK.invokeExact(st, name);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
