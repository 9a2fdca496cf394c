package dev.nucleus.kernel.internal.layout;

import dev.nucleus.kernel.ThreadId;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Layout of a link: the memory two spaces in different processes share. A header
 * page, then a full TCB table and receive-point table (see {@link TcbDescriptor},
 * {@link ReceivePointDescriptor}) in which only the two spaces' threads and endpoints have ports.
 * Every page is reserved when the file is created (see LinkFile), so the whole
 * {@link Geometry#totalSize()} is what a link costs its directory.
 *
 * <pre>
 *  header (page 0), written by the creator (side A) before side B maps the file, then read-only
 *  except where marked
 *    0  MAGIC          u64  0x3153_5545_4C43_554E ("NUCLEUS1" little-endian)
 *    8  VERSION        u32  1
 *   12  MR_COUNT       u32  message registers per thread
 *   16  MAX_THREADS    u32  TCB table entries
 *   20  MAX_ENDPOINTS  u32  endpoint receive points after the MAX_THREADS thread points
 *   24  STRIDE         u64  bytes per TCB
 *   32  TCB_OFFSET     u64  start of the TCB table (page aligned)
 *   40  RP_OFFSET      u64  start of the receive-point table (page aligned)
 *   48  TOTAL_SIZE     u64  size of the segment
 *   56  SPACE_A        u32  the creator's space (the root kernel's side)
 *   60  SPACE_B        u32  the process space
 *   64  PID_A          u64  the creator's process id
 *   72  PID_B          u64  written by B when it has mapped the segment
 *   80  B_FIRST_INDEX  u32  first TCB index B may use for its threads
 *   84  B_INDEX_COUNT  u32  how many
 *   88  B_FIRST_EP     u32  first endpoint slot B may use
 *   92  B_EP_COUNT     u32  how many
 *   96  PUBLISHED      u64  written by B: the id its component offers (its bootstrap service), 0 until then
 *  104  B_STATE        u32  written by B: 0 booting, 1 attached, 2 running (PUBLISHED valid), 3 failed
 * 4096  TCB table      MAX_THREADS x STRIDE
 *       RP table       (MAX_THREADS + MAX_ENDPOINTS) x 384
 * </pre>
 *
 * Side B validates the whole header against the file size before trusting any offset
 * ({@link #validate}); fields B writes are read by A with acquire loads and validated too.
 */
public final class LinkDescriptor {

  public static final long MAGIC = 0x3153_5545_4C43_554EL;
  public static final int VERSION = 1;
  public static final long PAGE = 4096;

  public static final long MAGIC_OFFSET = 0;
  public static final long VERSION_OFFSET = 8;
  public static final long MR_COUNT_OFFSET = 12;
  public static final long MAX_THREADS_OFFSET = 16;
  public static final long MAX_ENDPOINTS_OFFSET = 20;
  public static final long STRIDE_OFFSET = 24;
  public static final long TCB_OFFSET_OFFSET = 32;
  public static final long RP_OFFSET_OFFSET = 40;
  public static final long TOTAL_SIZE_OFFSET = 48;
  public static final long SPACE_A_OFFSET = 56;
  public static final long SPACE_B_OFFSET = 60;
  public static final long PID_A_OFFSET = 64;
  public static final long PID_B_OFFSET = 72;
  public static final long B_FIRST_INDEX_OFFSET = 80;
  public static final long B_INDEX_COUNT_OFFSET = 84;
  public static final long B_FIRST_EP_OFFSET = 88;
  public static final long B_EP_COUNT_OFFSET = 92;
  public static final long PUBLISHED_OFFSET = 96;
  public static final long B_STATE_OFFSET = 104;

  public static final int B_BOOTING = 0;
  public static final int B_ATTACHED = 1;
  public static final int B_RUNNING = 2;
  public static final int B_FAILED = 3;

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private LinkDescriptor() {}

  /** Geometry of a link. */
  public record Geometry(int mrCount, int maxThreads, int maxEndpoints) {
    public long stride() {
      return TcbDescriptor.stride(mrCount);
    }

    public long tcbOffset() {
      return PAGE;
    }

    public long rpOffset() {
      return roundUp(tcbOffset() + stride() * maxThreads);
    }

    public long totalSize() {
      return roundUp(rpOffset() + ReceivePointDescriptor.SIZE * (long) (maxThreads + maxEndpoints));
    }

    private static long roundUp(long v) {
      return (v + PAGE - 1) & ~(PAGE - 1);
    }
  }

  /** Writes the header of a new segment (side A, before anyone else maps it). */
  public static void writeHeader(MemorySegment s, Geometry g, int spaceA, int spaceB, int bFirstIndex,
      int bIndexCount, int bFirstEndpoint, int bEndpointCount) {
    LONG.set(s, MAGIC_OFFSET, MAGIC);
    INT.set(s, VERSION_OFFSET, VERSION);
    INT.set(s, MR_COUNT_OFFSET, g.mrCount());
    INT.set(s, MAX_THREADS_OFFSET, g.maxThreads());
    INT.set(s, MAX_ENDPOINTS_OFFSET, g.maxEndpoints());
    LONG.set(s, STRIDE_OFFSET, g.stride());
    LONG.set(s, TCB_OFFSET_OFFSET, g.tcbOffset());
    LONG.set(s, RP_OFFSET_OFFSET, g.rpOffset());
    LONG.set(s, TOTAL_SIZE_OFFSET, g.totalSize());
    INT.set(s, SPACE_A_OFFSET, spaceA);
    INT.set(s, SPACE_B_OFFSET, spaceB);
    LONG.set(s, PID_A_OFFSET, ProcessHandle.current().pid());
    INT.set(s, B_FIRST_INDEX_OFFSET, bFirstIndex);
    INT.set(s, B_INDEX_COUNT_OFFSET, bIndexCount);
    INT.set(s, B_FIRST_EP_OFFSET, bFirstEndpoint);
    INT.set(s, B_EP_COUNT_OFFSET, bEndpointCount);
    LONG.setRelease(s, PUBLISHED_OFFSET, 0L);
    INT.setVolatile(s, B_STATE_OFFSET, B_BOOTING);
  }

  /**
   * Checks a header read from a segment of {@code fileSize} bytes and returns its geometry, or
   * throws IllegalArgumentException naming the first field that is wrong.
   */
  public static Geometry validate(MemorySegment s, long fileSize) {
    if (fileSize < PAGE) {
      throw new IllegalArgumentException("link too small: " + fileSize + " bytes");
    }
    final long magic = (long) LONG.get(s, MAGIC_OFFSET);
    if (magic != MAGIC) {
      throw new IllegalArgumentException("not a link: magic 0x" + Long.toHexString(magic));
    }
    final int version = (int) INT.get(s, VERSION_OFFSET);
    if (version != VERSION) {
      throw new IllegalArgumentException("link version " + version + ", expected " + VERSION);
    }
    final int mrCount = (int) INT.get(s, MR_COUNT_OFFSET);
    final int maxThreads = (int) INT.get(s, MAX_THREADS_OFFSET);
    final int maxEndpoints = (int) INT.get(s, MAX_ENDPOINTS_OFFSET);
    if (mrCount < TcbDescriptor.MIN_MESSAGE_REGISTERS || mrCount > TcbDescriptor.MAX_MESSAGE_REGISTERS) {
      throw new IllegalArgumentException("link MR_COUNT out of range: " + mrCount);
    }
    if (maxThreads < 1 || maxThreads > ThreadId.MAX_INDEX || maxEndpoints < 0 || maxEndpoints > ThreadId.MAX_INDEX) {
      throw new IllegalArgumentException("link table sizes out of range: " + maxThreads + "/" + maxEndpoints);
    }
    final Geometry g = new Geometry(mrCount, maxThreads, maxEndpoints);
    expect(s, STRIDE_OFFSET, g.stride(), "STRIDE");
    expect(s, TCB_OFFSET_OFFSET, g.tcbOffset(), "TCB_OFFSET");
    expect(s, RP_OFFSET_OFFSET, g.rpOffset(), "RP_OFFSET");
    expect(s, TOTAL_SIZE_OFFSET, g.totalSize(), "TOTAL_SIZE");
    if (g.totalSize() > fileSize) {
      throw new IllegalArgumentException("link TOTAL_SIZE " + g.totalSize() + " exceeds the file's " + fileSize + " bytes");
    }
    final long first = (int) INT.get(s, B_FIRST_INDEX_OFFSET);
    final long count = (int) INT.get(s, B_INDEX_COUNT_OFFSET);
    if (first < 0 || count < 1 || first + count > maxThreads) {
      throw new IllegalArgumentException("link thread range out of bounds: " + first + "+" + count);
    }
    final long firstEp = (int) INT.get(s, B_FIRST_EP_OFFSET);
    final long countEp = (int) INT.get(s, B_EP_COUNT_OFFSET);
    if (firstEp < 0 || countEp < 0 || firstEp + countEp > maxEndpoints) {
      throw new IllegalArgumentException("link endpoint range out of bounds: " + firstEp + "+" + countEp);
    }
    return g;
  }

  private static void expect(MemorySegment s, long offset, long expected, String field) {
    final long v = (long) LONG.get(s, offset);
    if (v != expected) {
      throw new IllegalArgumentException("link " + field + " is " + v + ", expected " + expected);
    }
  }

  public static int getInt(MemorySegment s, long offset) {
    return (int) INT.getAcquire(s, offset);
  }

  public static long getLong(MemorySegment s, long offset) {
    return (long) LONG.getAcquire(s, offset);
  }

  public static void setIntVolatile(MemorySegment s, long offset, int v) {
    INT.setVolatile(s, offset, v);
  }

  public static void setLongVolatile(MemorySegment s, long offset, long v) {
    LONG.setVolatile(s, offset, v);
  }
}
