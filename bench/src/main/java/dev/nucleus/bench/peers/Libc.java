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
 * Wrappers for the few glibc calls the bench needs through FFM: {@code mkfifo}, POSIX message
 * queues ({@code mq_open}, {@code mq_send}, {@code mq_receive}, {@code mq_close}, {@code
 * mq_unlink}; in libc itself since glibc 2.34), and the calling thread's CPU affinity ({@code
 * sched_getaffinity}, {@code sched_setaffinity}, for {@link CpuAffinity}). Every wrapper captures
 * {@code errno} into a caller-supplied segment ({@link #newErrnoState}) so that failures can say
 * why.
 *
 * <p>Handles are looked up lazily, once per group; {@link #unavailableReason()} and {@link
 * #affinityUnavailableReason()} say when that failed (no Linux, an old glibc, no native access).
 * Thread-safe.
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

  /**
   * Bytes of glibc's {@code cpu_set_t}: {@code CPU_SETSIZE} (1024) bits, as an array of {@code
   * unsigned long} in which CPU {@code n} is bit {@code n % 64} of word {@code n / 64}: the layout
   * of {@link java.util.BitSet#valueOf(long[])}.
   */
  static final long CPU_SET_BYTES = 1024 / 8;

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
  }

  /**
   * The affinity calls, apart from {@link Handles} so that they work where the queue calls do not
   * (a glibc older than 2.34). {@code int sched_[gs]etaffinity(pid_t pid, size_t cpusetsize,
   * cpu_set_t *mask)}; pid 0 is the calling thread (the system call works per thread).
   */
  private static final class AffinityHandles {
    static final FunctionDescriptor DESCRIPTOR =
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle SCHED_GETAFFINITY = find("sched_getaffinity", DESCRIPTOR, -1);
    static final MethodHandle SCHED_SETAFFINITY = find("sched_setaffinity", DESCRIPTOR, -1);
  }

  private Libc() {}

  /** A downcall handle for {@code name} that captures {@code errno}. */
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

  /** Why the {@code mkfifo} and queue wrappers cannot work here, or {@code null}. */
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

  /** Why the affinity wrappers cannot work here, or {@code null}. */
  static String affinityUnavailableReason() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return "needs Linux";
    try {
      AffinityHandles.SCHED_SETAFFINITY.type(); // forces the lookups
      return null;
    } catch (ExceptionInInitializerError
        | NoClassDefFoundError
        | UnsupportedOperationException
        | IllegalCallerException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "sched_setaffinity through FFM unavailable: " + cause.getMessage();
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

  /**
   * {@code sched_getaffinity(0, CPU_SET_BYTES, mask)}: the calling thread's mask into {@code mask}
   * ({@link #CPU_SET_BYTES} long); 0, or -1 with {@code errno} in {@code st}.
   */
  static int schedGetaffinity(MemorySegment st, MemorySegment mask) {
    try {
      return (int) AffinityHandles.SCHED_GETAFFINITY.invokeExact(st, 0, CPU_SET_BYTES, mask);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * {@code sched_setaffinity(0, CPU_SET_BYTES, mask)}: sets the calling thread's mask (only that
   * thread's: threads and processes it starts afterwards inherit it); 0, or -1 with {@code errno}
   * in {@code st} ({@code EINVAL} when the mask holds no CPU this process may use).
   */
  static int schedSetaffinity(MemorySegment st, MemorySegment mask) {
    try {
      return (int) AffinityHandles.SCHED_SETAFFINITY.invokeExact(st, 0, CPU_SET_BYTES, mask);
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
