package dev.nucleus.system.internal;

import dev.nucleus.system.CorruptStatusException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Layout of the status segment: the file a running system's root task publishes its state in
 * ({@code nucleus-status-<root pid>}), read by {@code nucleus ps} in other processes. One writer
 * (the root), any number of readers that only map the file read-only. docs/status-segment.md is
 * written from this class.
 *
 * <pre>
 *  header: written once by the writer before the file gets its name, then never changed
 *    0  MAGIC              u64  0x3154_4154_5343_554E ("NUCSTAT1" little-endian)
 *    8  LAYOUT_VERSION     u32  1
 *   12  MAX_COMPONENTS     u32  component records the file has room for, 1..32768
 *   16  MAX_THREADS        u32  thread records, 0..65536
 *   20  COMPONENT_SIZE     u32  128: bytes per component record
 *   24  THREAD_SIZE        u32  128: bytes per thread record
 *   28  (padding)
 *   32  COMPONENTS_OFFSET  u64  1024: the component table
 *   40  THREADS_OFFSET     u64  COMPONENTS_OFFSET + MAX_COMPONENTS * 128: the thread table
 *   48  TOTAL_SIZE         u64  THREADS_OFFSET + MAX_THREADS * 128, rounded up to 4096
 *   56  ROOT_PID           u64  the writer's process id; also in the file's name
 *   64  ROOT_START_MS      i64  when that process started, ms since the epoch (0: unknown): a
 *                              live process with this pid but another start is not the writer
 *  the seqlock and the heartbeat, each in a line of its own
 *  128  SEQUENCE           u64  even: the snapshot is complete; odd: the writer is writing it
 *  192  HEARTBEAT_MS       i64  the writer's clock at the end of its last publish, ms since the epoch
 *  the snapshot: written only while SEQUENCE is odd
 *  256  SYSTEM_NAME        48 bytes of UTF-8, NUL padding
 *  304  FLAGS              u32  bit 0 TRUNCATED: components or threads did not fit and were left out
 *  308  COMPONENT_COUNT    u32  valid component records, 0..MAX_COMPONENTS
 *  312  THREAD_COUNT       u32  valid thread records, 0..MAX_THREADS
 *  316  STARTED_NANOS      u32  when the system started: nanoseconds within the second, 0..999999999
 *  320  STARTED_SECONDS    i64  ... seconds since the epoch
 *  328  UPDATED_SECONDS    i64  when the snapshot was taken: seconds since the epoch
 *  336  UPDATED_NANOS      u32  ... nanoseconds within the second
 *  340  (padding to 1024)
 * 1024  COMPONENTS         MAX_COMPONENTS records of 128 bytes (component record below)
 *  THREADS_OFFSET THREADS  MAX_THREADS records of 128 bytes (thread record below)
 *
 *  component record (offsets within the record)
 *    0  NAME               48 bytes of UTF-8, NUL padding
 *   48  ISOLATION          u32  code: 0 thread, 1 process
 *   52  STATE              u32  code: 0 starting, 1 running, 2 restarting, 3 stopping, 4 stopped, 5 failed
 *   56  SPACE              u32  the component's space number, 0..32767
 *   60  FIRST_THREAD       u32  its first thread record; the components' threads follow each other
 *   64  THREAD_COUNT       u32  how many thread records are its
 *   68  SINCE_NANOS        u32  when this instance started: nanoseconds within the second
 *   72  PID                u64  its process (the root's for a thread component; 0: none yet)
 *   80  RESTARTS           u64  restarts so far
 *   88  CALLS_SERVED       u64  calls its services have served
 *   96  SINCE_SECONDS      i64  ... seconds since the epoch
 *  104  (padding to 128)
 *
 *  thread record
 *    0  ID                 u64  the thread's id (dev.nucleus.kernel.ThreadId)
 *    8  KIND               u32  code: 0 idle, 1 sending, 2 receiving, 3 waiting_for_reply,
 *                              4 waiting_for_notification, 5 transferring, 6 dead
 *   12  (padding)
 *   16  NAME               48 bytes of UTF-8, NUL padding
 *   64  PARTNER            64 bytes of UTF-8, NUL padding: "" none, "any", "component/thread", an id
 * </pre>
 *
 * <p>Memory order (the seqlock of Boehm, "Can seqlocks get along with programming language memory
 * models?", 2012). The writer: SEQUENCE = s + 1 (opaque), a store-store fence, the snapshot
 * (plain stores), SEQUENCE = s + 2 (release), then HEARTBEAT_MS (release). A reader: s1 =
 * SEQUENCE (acquire), retry if odd; copy the snapshot (plain loads); a load-load fence; s2 =
 * SEQUENCE (opaque); the copy is consistent if s2 == s1, else retry. The reader validates the
 * copy, never the live memory, so what it checked is what it uses.
 *
 * <p>Times are two fields: seconds since the epoch (0..{@link #MAX_SECONDS}, 1970 to 9999) and
 * nanoseconds within the second. The writer clamps a time outside that range into it.
 *
 * <p>Strings: UTF-8 in a fixed field, NUL bytes after the text up to the field's end (none when
 * the text fills it), no NUL or control character within the text. The writer truncates on a
 * character boundary.
 */
public final class StatusLayout {

  /** "NUCSTAT1" read as a little-endian u64. */
  public static final long MAGIC = 0x3154_4154_5343_554EL;
  /** The layout this class describes; a reader refuses any other. */
  public static final int LAYOUT_VERSION = 1;
  /** The file size is a whole number of these. */
  public static final long PAGE = 4096;
  /** One cache line. */
  public static final long LINE = 64;

  public static final long MAGIC_OFFSET = 0;
  public static final long LAYOUT_VERSION_OFFSET = 8;
  public static final long MAX_COMPONENTS_OFFSET = 12;
  public static final long MAX_THREADS_OFFSET = 16;
  public static final long COMPONENT_SIZE_OFFSET = 20;
  public static final long THREAD_SIZE_OFFSET = 24;
  public static final long COMPONENTS_OFFSET_OFFSET = 32;
  public static final long THREADS_OFFSET_OFFSET = 40;
  public static final long TOTAL_SIZE_OFFSET = 48;
  public static final long ROOT_PID_OFFSET = 56;
  public static final long ROOT_START_MS_OFFSET = 64;
  /** The seqlock's version word: a line of its own, written twice per publish. */
  public static final long SEQUENCE_OFFSET = 128;
  /** A line of its own, so a reader polling it does not share SEQUENCE's line. */
  public static final long HEARTBEAT_MS_OFFSET = 192;

  /** Where the snapshot's fixed part starts: everything from here on is written under SEQUENCE. */
  public static final long SNAPSHOT_START = 256;
  public static final long SYSTEM_NAME_OFFSET = 256;
  public static final long FLAGS_OFFSET = 304;
  public static final long COMPONENT_COUNT_OFFSET = 308;
  public static final long THREAD_COUNT_OFFSET = 312;
  public static final long STARTED_NANOS_OFFSET = 316;
  public static final long STARTED_SECONDS_OFFSET = 320;
  public static final long UPDATED_SECONDS_OFFSET = 328;
  public static final long UPDATED_NANOS_OFFSET = 336;
  /** The end of the snapshot's fixed part (exclusive). */
  public static final long SNAPSHOT_END = 340;
  /** Where the component table starts. */
  public static final long COMPONENTS_START = 1024;

  /** FLAGS bit: the status did not fit, and components or threads were left out. */
  public static final int FLAG_TRUNCATED = 1;
  /** Every FLAGS bit this layout defines; a reader refuses others. */
  public static final int KNOWN_FLAGS = FLAG_TRUNCATED;

  /** Bytes per component record: two lines. */
  public static final long COMPONENT_SIZE = 128;
  public static final long COMPONENT_NAME_OFFSET = 0;
  public static final long COMPONENT_ISOLATION_OFFSET = 48;
  public static final long COMPONENT_STATE_OFFSET = 52;
  public static final long COMPONENT_SPACE_OFFSET = 56;
  public static final long COMPONENT_FIRST_THREAD_OFFSET = 60;
  public static final long COMPONENT_THREAD_COUNT_OFFSET = 64;
  public static final long COMPONENT_SINCE_NANOS_OFFSET = 68;
  public static final long COMPONENT_PID_OFFSET = 72;
  public static final long COMPONENT_RESTARTS_OFFSET = 80;
  public static final long COMPONENT_CALLS_SERVED_OFFSET = 88;
  public static final long COMPONENT_SINCE_SECONDS_OFFSET = 96;

  /** Bytes per thread record: two lines. */
  public static final long THREAD_SIZE = 128;
  public static final long THREAD_ID_OFFSET = 0;
  public static final long THREAD_KIND_OFFSET = 8;
  public static final long THREAD_NAME_OFFSET = 16;
  public static final long THREAD_PARTNER_OFFSET = 64;

  /** Bytes of a name field (the system's, a component's, a thread's). */
  public static final int NAME_BYTES = 48;
  /** Bytes of a thread's PARTNER field. */
  public static final int PARTNER_BYTES = 64;

  /**
   * The most component records a file may declare: one per space the kernel can number. Bounds
   * what a reader maps and copies (a file of the largest capacities is about 12 MiB).
   */
  public static final int MAX_COMPONENTS_LIMIT = 1 << 15;
  /** The most thread records a file may declare: the kernel's thread indexes. */
  public static final int MAX_THREADS_LIMIT = 1 << 16;
  /** The last second a time field may hold: 9999-12-31T23:59:59Z. Times are never before the epoch. */
  public static final long MAX_SECONDS = 253_402_300_799L;
  /** A space number is below this (the kernel's 15-bit space field). */
  public static final int SPACE_LIMIT = 1 << 15;

  /** ISOLATION codes: the index of each value. */
  public static final List<String> ISOLATIONS = List.of("thread", "process");
  /** STATE codes: the index of each value. */
  public static final List<String> STATES = List.of("starting", "running", "restarting", "stopping", "stopped",
      "failed");
  /**
   * KIND codes: the index of each value, an {@code IpcState.Kind}'s name in lower case. The codes
   * are this layout's, not the enum's ordinals: a unit test checks that every Kind has one.
   */
  public static final List<String> KINDS = List.of("idle", "sending", "receiving", "waiting_for_reply",
      "waiting_for_notification", "transferring", "dead");

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private StatusLayout() {}

  /**
   * The capacities of one file, and where its tables lie.
   *
   * @param maxComponents component records, 1..{@link #MAX_COMPONENTS_LIMIT}
   * @param maxThreads thread records, 0..{@link #MAX_THREADS_LIMIT}
   */
  public record Geometry(int maxComponents, int maxThreads) {

    /** The capacities the root task uses: 128 components, 2048 threads (about 276 KiB). */
    public static final Geometry DEFAULT = new Geometry(128, 2048);

    /**
     * Checks the capacities.
     *
     * @throws IllegalArgumentException if either is out of range
     */
    public Geometry {
      if (maxComponents < 1 || maxComponents > MAX_COMPONENTS_LIMIT || maxThreads < 0
          || maxThreads > MAX_THREADS_LIMIT) {
        throw new IllegalArgumentException("status capacities out of range: " + maxComponents + " components (1.."
            + MAX_COMPONENTS_LIMIT + "), " + maxThreads + " threads (0.." + MAX_THREADS_LIMIT + ")");
      }
    }

    /** Where the thread table starts: after the component table. */
    public long threadsOffset() {
      return COMPONENTS_START + COMPONENT_SIZE * maxComponents;
    }

    /** The file's size: the thread table's end, rounded up to a page. */
    public long totalSize() {
      return (threadsOffset() + THREAD_SIZE * maxThreads + PAGE - 1) & ~(PAGE - 1);
    }

    /** Where component record {@code k} starts. */
    public long component(int k) {
      return COMPONENTS_START + COMPONENT_SIZE * k;
    }

    /** Where thread record {@code k} starts. */
    public long thread(int k) {
      return threadsOffset() + THREAD_SIZE * k;
    }
  }

  /**
   * Writes the header of a new file (before any reader can find it): the fixed fields, SEQUENCE
   * 0 and HEARTBEAT_MS 0; MAGIC last.
   *
   * @param s the file's mapping, {@link Geometry#totalSize()} bytes, zero-filled
   * @param g its capacities
   * @param rootPid the writer's process id
   * @param rootStartMs when that process started, ms since the epoch, or 0 if unknown
   */
  public static void writeHeader(MemorySegment s, Geometry g, long rootPid, long rootStartMs) {
    INT.set(s, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
    INT.set(s, MAX_COMPONENTS_OFFSET, g.maxComponents());
    INT.set(s, MAX_THREADS_OFFSET, g.maxThreads());
    INT.set(s, COMPONENT_SIZE_OFFSET, (int) COMPONENT_SIZE);
    INT.set(s, THREAD_SIZE_OFFSET, (int) THREAD_SIZE);
    LONG.set(s, COMPONENTS_OFFSET_OFFSET, COMPONENTS_START);
    LONG.set(s, THREADS_OFFSET_OFFSET, g.threadsOffset());
    LONG.set(s, TOTAL_SIZE_OFFSET, g.totalSize());
    LONG.set(s, ROOT_PID_OFFSET, rootPid);
    LONG.set(s, ROOT_START_MS_OFFSET, rootStartMs);
    LONG.set(s, SEQUENCE_OFFSET, 0L);
    LONG.set(s, HEARTBEAT_MS_OFFSET, 0L);
    LONG.setRelease(s, MAGIC_OFFSET, MAGIC);
  }

  /**
   * Checks the header of a file of {@code fileSize} bytes and returns its capacities. Everything
   * the header says is checked before anything else in the file is read.
   *
   * @param s the file's mapping, at least {@code min(fileSize, COMPONENTS_START)} bytes
   * @param fileSize the file's size in bytes
   * @return the file's capacities
   * @throws CorruptStatusException naming the first field that is wrong
   */
  public static Geometry validateHeader(MemorySegment s, long fileSize) {
    if (fileSize < COMPONENTS_START) {
      throw new CorruptStatusException("TOTAL_SIZE", "the file has " + fileSize + " bytes, less than the "
          + COMPONENTS_START + "-byte header");
    }
    final long magic = (long) LONG.getAcquire(s, MAGIC_OFFSET);
    if (magic != MAGIC) {
      throw new CorruptStatusException("MAGIC", "is 0x" + Long.toHexString(magic) + ", expected 0x"
          + Long.toHexString(MAGIC) + " (\"NUCSTAT1\"): not a status segment");
    }
    final int version = (int) INT.get(s, LAYOUT_VERSION_OFFSET);
    if (version != LAYOUT_VERSION) {
      throw new CorruptStatusException("LAYOUT_VERSION", "is " + version + ", this reader knows " + LAYOUT_VERSION);
    }
    final int maxComponents = (int) INT.get(s, MAX_COMPONENTS_OFFSET);
    if (maxComponents < 1 || maxComponents > MAX_COMPONENTS_LIMIT) {
      throw new CorruptStatusException("MAX_COMPONENTS", "is " + Integer.toUnsignedString(maxComponents)
          + ", expected 1.." + MAX_COMPONENTS_LIMIT);
    }
    final int maxThreads = (int) INT.get(s, MAX_THREADS_OFFSET);
    if (maxThreads < 0 || maxThreads > MAX_THREADS_LIMIT) {
      throw new CorruptStatusException("MAX_THREADS", "is " + Integer.toUnsignedString(maxThreads) + ", expected 0.."
          + MAX_THREADS_LIMIT);
    }
    final Geometry g = new Geometry(maxComponents, maxThreads);
    expectInt(s, COMPONENT_SIZE_OFFSET, COMPONENT_SIZE, "COMPONENT_SIZE");
    expectInt(s, THREAD_SIZE_OFFSET, THREAD_SIZE, "THREAD_SIZE");
    expectLong(s, COMPONENTS_OFFSET_OFFSET, COMPONENTS_START, "COMPONENTS_OFFSET");
    expectLong(s, THREADS_OFFSET_OFFSET, g.threadsOffset(), "THREADS_OFFSET");
    expectLong(s, TOTAL_SIZE_OFFSET, g.totalSize(), "TOTAL_SIZE");
    if (g.totalSize() > fileSize) {
      throw new CorruptStatusException("TOTAL_SIZE", "is " + g.totalSize() + " but the file has " + fileSize
          + " bytes");
    }
    final long pid = (long) LONG.get(s, ROOT_PID_OFFSET);
    if (pid < 1) {
      throw new CorruptStatusException("ROOT_PID", "is " + pid + ", expected a process id (> 0)");
    }
    return g;
  }

  private static void expectInt(MemorySegment s, long offset, long expected, String field) {
    final int v = (int) INT.get(s, offset);
    if (v != expected) {
      throw new CorruptStatusException(field, "is " + Integer.toUnsignedString(v) + ", expected " + expected);
    }
  }

  private static void expectLong(MemorySegment s, long offset, long expected, String field) {
    final long v = (long) LONG.get(s, offset);
    if (v != expected) {
      throw new CorruptStatusException(field, "is " + v + ", expected " + expected);
    }
  }

  /** ROOT_PID (plain: the header never changes after the file is named). */
  public static long rootPid(MemorySegment s) {
    return (long) LONG.get(s, ROOT_PID_OFFSET);
  }

  /** ROOT_START_MS (plain, as ROOT_PID). */
  public static long rootStartMs(MemorySegment s) {
    return (long) LONG.get(s, ROOT_START_MS_OFFSET);
  }

  /** SEQUENCE, acquire: the snapshot loads after it see at least what the writer wrote before it. */
  public static long sequenceAcquire(MemorySegment s) {
    return (long) LONG.getAcquire(s, SEQUENCE_OFFSET);
  }

  /** SEQUENCE, opaque: the reader's second load, after its load-load fence. */
  public static long sequenceOpaque(MemorySegment s) {
    return (long) LONG.getOpaque(s, SEQUENCE_OFFSET);
  }

  /**
   * The writer opens a publish: SEQUENCE = {@code odd} (opaque), then a store-store fence, so no
   * snapshot store becomes visible before the odd value.
   */
  public static void sequenceOpenOpaque(MemorySegment s, long odd) {
    LONG.setOpaque(s, SEQUENCE_OFFSET, odd);
    VarHandle.storeStoreFence();
  }

  /** The writer closes a publish: SEQUENCE = {@code even} (release: after every snapshot store). */
  public static void sequenceRelease(MemorySegment s, long even) {
    LONG.setRelease(s, SEQUENCE_OFFSET, even);
  }

  /**
   * Writes {@code t} as the time whose seconds field is at {@code secondsOffset} and nanoseconds
   * field at {@code nanosOffset}, clamped to 1970..9999.
   */
  public static void putTime(MemorySegment s, long secondsOffset, long nanosOffset, java.time.Instant t) {
    final long seconds = Math.clamp(t.getEpochSecond(), 0, MAX_SECONDS);
    s.set(ValueLayout.JAVA_LONG, secondsOffset, seconds);
    s.set(ValueLayout.JAVA_INT, nanosOffset, seconds == t.getEpochSecond() ? t.getNano() : 0);
  }

  /** HEARTBEAT_MS, release. */
  public static void heartbeatRelease(MemorySegment s, long epochMs) {
    LONG.setRelease(s, HEARTBEAT_MS_OFFSET, epochMs);
  }

  /** HEARTBEAT_MS, acquire (pairs with {@link #heartbeatRelease}). */
  public static long heartbeatAcquire(MemorySegment s) {
    return (long) LONG.getAcquire(s, HEARTBEAT_MS_OFFSET);
  }
}
