package dev.nucleus.kernel.internal.layout;

import dev.nucleus.kernel.ThreadId;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Layout of a link: the memory two spaces in different processes share. A header
 * page, the row map, then a TCB table and receive-point table (see {@link TcbDescriptor},
 * {@link ReceivePointDescriptor}) indexed as the root kernel's, in which only the two spaces'
 * threads and endpoints have ports. The file is sparse: A reserves the header, the row map and
 * the rows of the two spaces only (B's when it creates the file, its own space's threads and
 * endpoints as they come), and sets a row's bit in ROW_MAP once the row is reserved and
 * initialised. Neither side touches a row whose bit is clear. So a link costs its directory
 * what the two spaces use, not {@link Geometry#totalSize()}.
 *
 * <pre>
 *  header (page 0), written by the creator (side A) before side B maps the file, then read-only
 *  except where marked
 *    0  MAGIC          u64  0x3153_5545_4C43_554E ("NUCLEUS1" little-endian)
 *    8  VERSION        u32  3
 *   12  MR_COUNT       u32  message registers per thread
 *   16  MAX_THREADS    u32  TCB table entries (the root kernel's thread indexes)
 *   20  MAX_ENDPOINTS  u32  endpoint receive points after the MAX_THREADS thread points
 *   24  STRIDE         u64  bytes per TCB
 *   32  TCB_OFFSET     u64  start of the TCB table (page aligned)
 *   40  RP_OFFSET      u64  start of the receive-point table (page aligned)
 *   48  TOTAL_SIZE     u64  size of the segment (of the file; most of it is never reserved)
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
 *  108  MAX_SPACES     u32  the root kernel's number of spaces: a space number at or above it is INVALID_ID
 *  112  VERSION_BASE   u64  B gives its slots versions VERSION_BASE + 1 .. VERSION_BASE + 65536
 *  120  KIND           u32  0: a root link (A is the root's peer space); 1: a peer link between two
 *                           process spaces, created by the root, mapped by both (A and B are both
 *                           process spaces, each with a window of slots)
 *  124  A_FIRST_INDEX  u32  peer link: first TCB index of A's threads (0 in a root link)
 *  128  A_INDEX_COUNT  u32  peer link: how many (0 in a root link)
 *  132  A_FIRST_EP     u32  peer link: first endpoint slot of A (0 in a root link)
 *  136  A_EP_COUNT     u32  peer link: how many (0 in a root link)
 *  140  A_STATE        u32  peer link: written by A, 1 once it has mapped the link (as B_STATE)
 *  144  DEAD_SIDES     u32  peer link: written by the root: bit 1 once A's process has died, bit 2 B's
 * 1024  A_NAME_COUNT   u32  names A offers B: how many entries of A_NAMES are valid (release-stored by A)
 * 1088  A_NAMES        15 entries of 64 bytes: NAME (55 bytes UTF-8, NUL padding) at +0, ID u64 at +56
 * 2048  B_NAME_COUNT   u32  names B publishes to A, written by B
 * 2112  B_NAMES        15 entries, as A_NAMES
 * 3072  EVENTS         u32  root link: incremented by A (then a futex wake) when a peer link is
 *                           offered to B or a peer of B's dies; B's link watcher sleeps on it
 * 3076  PEER_LINK_COUNT u32 root link: how many entries of PEER_LINKS are valid (release-stored by A)
 * 3136  PEER_LINKS     15 entries of 64 bytes: FILE (a file name in this link's directory, 51
 *                      bytes of ASCII at most, NUL padding) at +0, SIDE u32 at +52 (B's side in that
 *                      link, 1 or 2), OTHER_SPACE u32 at +56
 * 4096  ROW_MAP        u64 words, (MAX_THREADS + MAX_ENDPOINTS + 63) / 64 of them, to a page
 *                      boundary: bit (r % 64) of word (r / 64) is set (by A, release) once row r is
 *                      reserved; row r &lt; MAX_THREADS is TCB r and receive point r, row
 *                      MAX_THREADS + j is endpoint j's receive point
 * TCB_OFFSET TCB table MAX_THREADS x STRIDE
 * RP_OFFSET  RP table  (MAX_THREADS + MAX_ENDPOINTS) x 384
 * </pre>
 *
 * Side B validates the whole header against the file size before trusting any offset
 * ({@link #validate}); fields B writes are read by A with acquire loads and validated too.
 *
 * <p>A name directory has one writer (A for A_NAMES, B for B_NAMES): it fills entry
 * NAME_COUNT (name, then id, plain stores) and then release-stores NAME_COUNT + 1; entries
 * below NAME_COUNT never change. A reader acquire-loads NAME_COUNT, clamps it to MAX_NAMES, and
 * validates each entry it reads (a NUL-terminated UTF-8 name of 1..55 bytes; an id of the
 * writer's space) before it believes it.
 */
public final class LinkDescriptor {

  public static final long MAGIC = 0x3153_5545_4C43_554EL;
  public static final int VERSION = 3;
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
  public static final long MAX_SPACES_OFFSET = 108;
  public static final long VERSION_BASE_OFFSET = 112;
  /** The names A offers B: the count, then the entries (see {@link Directory}). */
  public static final long A_NAME_COUNT_OFFSET = 1024;
  public static final long A_NAMES_OFFSET = A_NAME_COUNT_OFFSET + 64;
  /** The names B publishes to A. */
  public static final long B_NAME_COUNT_OFFSET = 2048;
  public static final long B_NAMES_OFFSET = B_NAME_COUNT_OFFSET + 64;
  /** Where the row map starts: the page after the header. */
  public static final long ROW_MAP_START = 4096;
  public static final long KIND_OFFSET = 120;
  public static final long A_FIRST_INDEX_OFFSET = 124;
  public static final long A_INDEX_COUNT_OFFSET = 128;
  public static final long A_FIRST_EP_OFFSET = 132;
  public static final long A_EP_COUNT_OFFSET = 136;
  public static final long A_STATE_OFFSET = 140;
  public static final long DEAD_SIDES_OFFSET = 144;
  public static final long EVENTS_OFFSET = 3072;
  public static final long PEER_LINK_COUNT_OFFSET = 3076;
  public static final long PEER_LINKS_OFFSET = 3136;
  /** Peer links one process space can be offered. */
  public static final int MAX_PEER_LINKS = 15;
  /** Within a PEER_LINKS entry: the file name (ASCII, NUL-padded). */
  public static final long PEER_FILE_AT = 0;
  /** The most bytes of a peer link's file name (one more holds its NUL). */
  public static final int MAX_PEER_FILE_BYTES = 51;
  /** Within a PEER_LINKS entry: B's side in that link. */
  public static final long PEER_SIDE_AT = 52;
  /** Within a PEER_LINKS entry: the other space's number. */
  public static final long PEER_OTHER_SPACE_AT = 56;
  /** KIND of a link between the root and a process space. */
  public static final int KIND_ROOT = 0;
  /** KIND of a link between two process spaces. */
  public static final int KIND_PEER = 1;
  /** Entries per directory: they fill its 1024 bytes after the count's line. */
  public static final int MAX_A_NAMES = 15;
  public static final int MAX_B_NAMES = MAX_A_NAMES;
  /** Bytes per directory entry: one line. */
  public static final long ENTRY_SIZE = 64;
  /** Within an entry: where the name starts (UTF-8, NUL-padded). */
  public static final long ENTRY_NAME_AT = 0;
  /** The most bytes of a name (one more byte holds its NUL). */
  public static final int MAX_NAME_BYTES = 55;
  /** Within an entry: where the id the name stands for is (u64). */
  public static final long ENTRY_ID_AT = 56;

  /** A name directory: where its count and its entries are. */
  public record Directory(long countOffset, long entriesOffset, int maxNames) {}

  /** The names A offers B, written by A. */
  public static final Directory A_NAMES = new Directory(A_NAME_COUNT_OFFSET, A_NAMES_OFFSET, MAX_A_NAMES);
  /** The names B publishes to A, written by B. */
  public static final Directory B_NAMES = new Directory(B_NAME_COUNT_OFFSET, B_NAMES_OFFSET, MAX_B_NAMES);
  /** How many versions a process space may give each of its slots (see VERSION_BASE). */
  public static final long VERSION_WINDOW = 1L << 16;

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

    /** Rows in the row map: every thread's, then every endpoint's. */
    public int rows() {
      return maxThreads + maxEndpoints;
    }

    /** Bytes of the row map: whole u64 words, then padding to a page. */
    public long rowMapSize() {
      return roundUp(((rows() + 63L) / 64) * 8);
    }

    /** Where the TCB table starts: after the header and the row map; also what A reserves first. */
    public long tcbOffset() {
      return ROW_MAP_START + rowMapSize();
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
      int bIndexCount, int bFirstEndpoint, int bEndpointCount, int maxSpaces, long versionBase) {
    writeHeader(s, g, KIND_ROOT, spaceA, spaceB, new int[4], new int[] {bFirstIndex, bIndexCount, bFirstEndpoint,
        bEndpointCount}, maxSpaces, versionBase, ProcessHandle.current().pid(), 0);
  }

  /**
   * Writes the header of a new segment of kind {@code kind}; {@code aRanges} and {@code bRanges}
   * are {first index, index count, first endpoint, endpoint count} (A's all 0 in a root link).
   */
  public static void writeHeader(MemorySegment s, Geometry g, int kind, int spaceA, int spaceB, int[] aRanges,
      int[] bRanges, int maxSpaces, long versionBase, long pidA, long pidB) {
    final int bFirstIndex = bRanges[0];
    final int bIndexCount = bRanges[1];
    final int bFirstEndpoint = bRanges[2];
    final int bEndpointCount = bRanges[3];
    INT.set(s, KIND_OFFSET, kind);
    INT.set(s, A_FIRST_INDEX_OFFSET, aRanges[0]);
    INT.set(s, A_INDEX_COUNT_OFFSET, aRanges[1]);
    INT.set(s, A_FIRST_EP_OFFSET, aRanges[2]);
    INT.set(s, A_EP_COUNT_OFFSET, aRanges[3]);
    LONG.set(s, PID_B_OFFSET, pidB);
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
    LONG.set(s, PID_A_OFFSET, pidA);
    INT.set(s, B_FIRST_INDEX_OFFSET, bFirstIndex);
    INT.set(s, B_INDEX_COUNT_OFFSET, bIndexCount);
    INT.set(s, B_FIRST_EP_OFFSET, bFirstEndpoint);
    INT.set(s, B_EP_COUNT_OFFSET, bEndpointCount);
    INT.set(s, MAX_SPACES_OFFSET, maxSpaces);
    LONG.set(s, VERSION_BASE_OFFSET, versionBase);
    INT.set(s, A_NAME_COUNT_OFFSET, 0);
    INT.set(s, B_NAME_COUNT_OFFSET, 0);
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
    final int kind = (int) INT.get(s, KIND_OFFSET);
    if (kind != KIND_ROOT && kind != KIND_PEER) {
      throw new IllegalArgumentException("link KIND is " + kind + ", expected " + KIND_ROOT + " or " + KIND_PEER);
    }
    if (kind == KIND_PEER) {
      final long aFirst = (int) INT.get(s, A_FIRST_INDEX_OFFSET);
      final long aCount = (int) INT.get(s, A_INDEX_COUNT_OFFSET);
      final long aFirstEp = (int) INT.get(s, A_FIRST_EP_OFFSET);
      final long aCountEp = (int) INT.get(s, A_EP_COUNT_OFFSET);
      if (aFirst < 0 || aCount < 1 || aFirst + aCount > maxThreads || aFirstEp < 0 || aCountEp < 0
          || aFirstEp + aCountEp > maxEndpoints) {
        throw new IllegalArgumentException("peer link A ranges out of bounds: " + aFirst + "+" + aCount + ", endpoints "
            + aFirstEp + "+" + aCountEp);
      }
    }
    final int maxSpaces = (int) INT.get(s, MAX_SPACES_OFFSET);
    final int spaceA = (int) INT.get(s, SPACE_A_OFFSET);
    final int spaceB = (int) INT.get(s, SPACE_B_OFFSET);
    if (maxSpaces < 2 || maxSpaces > ThreadId.MAX_SPACE + 1 || spaceA < 0 || spaceB < 0 || spaceA >= maxSpaces
        || spaceB >= maxSpaces || spaceA == spaceB) {
      throw new IllegalArgumentException("link spaces out of range: SPACE_A " + spaceA + ", SPACE_B " + spaceB
          + ", MAX_SPACES " + maxSpaces);
    }
    final long base = (long) LONG.get(s, VERSION_BASE_OFFSET);
    if (base < 0 || base + VERSION_WINDOW > ThreadId.MAX_VERSION) {
      throw new IllegalArgumentException("link VERSION_BASE out of range: " + base);
    }
    return g;
  }

  private static void expect(MemorySegment s, long offset, long expected, String field) {
    final long v = (long) LONG.get(s, offset);
    if (v != expected) {
      throw new IllegalArgumentException("link " + field + " is " + v + ", expected " + expected);
    }
  }

  /** An acquire load of the u32 at {@code offset} (pairs with the writer's release or volatile store). */
  public static int getIntAcquire(MemorySegment s, long offset) {
    return (int) INT.getAcquire(s, offset);
  }

  /** An acquire load of the u64 at {@code offset}. */
  public static long getLongAcquire(MemorySegment s, long offset) {
    return (long) LONG.getAcquire(s, offset);
  }

  /** Sets row {@code row}'s bit in the row map (A only, after reserving and initialising the row). */
  public static void markRowReserved(MemorySegment s, int row) {
    LONG.getAndBitwiseOrRelease(s, ROW_MAP_START + (row >>> 6) * 8L, 1L << row);
  }

  /** Whether row {@code row}'s bit is set in the row map (acquire: the row's contents are visible after). */
  public static boolean rowReserved(MemorySegment s, int row) {
    return ((long) LONG.getAcquire(s, ROW_MAP_START + (row >>> 6) * 8L) & (1L << row)) != 0;
  }

  /** An atomic add of {@code delta} to the u32 at {@code offset} (a full fence). */
  public static void addIntVolatile(MemorySegment s, long offset, int delta) {
    INT.getAndAdd(s, offset, delta);
  }

  /** An atomic OR of {@code bits} into the u32 at {@code offset}. */
  public static void orIntVolatile(MemorySegment s, long offset, int bits) {
    INT.getAndBitwiseOr(s, offset, bits);
  }

  public static void setIntVolatile(MemorySegment s, long offset, int v) {
    INT.setVolatile(s, offset, v);
  }

  public static void setLongVolatile(MemorySegment s, long offset, long v) {
    LONG.setVolatile(s, offset, v);
  }

  /**
   * Appends ({@code name}, {@code id}) to directory {@code dir} ({@link #A_NAMES} or {@link #B_NAMES}): the
   * entry first, then the count, released. Only the directory's one writer calls this, one call at
   * a time.
   *
   * @throws IllegalArgumentException if the name is empty or longer than {@link #MAX_NAME_BYTES}
   *     bytes of UTF-8, or contains NUL
   * @throws IllegalStateException if the directory is full or already has {@code name}
   */
  public static void addName(MemorySegment s, Directory dir, String name, long id) {
    final byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length == 0 || bytes.length > MAX_NAME_BYTES || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a name is 1.." + MAX_NAME_BYTES + " bytes of UTF-8 without NUL: '" + name + "'");
    }
    final int count = (int) INT.getAcquire(s, dir.countOffset());
    if (count < 0 || count >= dir.maxNames()) {
      throw new IllegalStateException("the link's directory is full (" + dir.maxNames() + " names)");
    }
    if (findName(s, dir, name) != ThreadId.NIL) {
      throw new IllegalStateException("name already offered: '" + name + "'");
    }
    final long entry = dir.entriesOffset() + count * ENTRY_SIZE;
    s.asSlice(entry + ENTRY_NAME_AT, MAX_NAME_BYTES + 1).fill((byte) 0);
    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, entry + ENTRY_NAME_AT, bytes.length);
    LONG.set(s, entry + ENTRY_ID_AT, id);
    INT.setRelease(s, dir.countOffset(), count + 1);
  }

  /**
   * The id offered under {@code name} in directory {@code dir}, or {@link ThreadId#NIL}.
   * The directory may be written by the other process: the count is clamped, and an entry whose
   * name is not NUL-terminated within its field is skipped. The caller validates the id.
   */
  public static long findName(MemorySegment s, Directory dir, String name) {
    final byte[] wanted = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (wanted.length == 0 || wanted.length > MAX_NAME_BYTES) {
      return ThreadId.NIL;
    }
    final int count = Math.min(Math.max((int) INT.getAcquire(s, dir.countOffset()), 0), dir.maxNames());
    for (int k = 0; k < count; k++) {
      final long entry = dir.entriesOffset() + k * ENTRY_SIZE;
      if (s.get(ValueLayout.JAVA_BYTE, entry + ENTRY_NAME_AT + wanted.length) != 0) {
        continue; // longer than the name wanted, or not terminated
      }
      if (MemorySegment.mismatch(s, entry + ENTRY_NAME_AT, entry + ENTRY_NAME_AT + wanted.length,
          MemorySegment.ofArray(wanted), 0, wanted.length) == -1) {
        return (long) LONG.get(s, entry + ENTRY_ID_AT);
      }
    }
    return ThreadId.NIL;
  }

  /** A peer link offered to B in its root link's PEER_LINKS: the file's name, B's side in it, the other space. */
  public record PeerLinkEntry(String file, int side, int otherSpace) {}

  /**
   * A appends a peer link to PEER_LINKS of root link {@code s} (the caller then increments
   * EVENTS and wakes B's watcher). One writer, one call at a time.
   *
   * @throws IllegalStateException if PEER_LINKS is full
   * @throws IllegalArgumentException if the file name is not a link file's name
   */
  public static void addPeerLink(MemorySegment s, PeerLinkEntry e) {
    final byte[] bytes = e.file().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    if (!isPeerFileName(e.file()) || bytes.length > MAX_PEER_FILE_BYTES) {
      throw new IllegalArgumentException("not a link file name: '" + e.file() + "'");
    }
    final int count = (int) INT.getAcquire(s, PEER_LINK_COUNT_OFFSET);
    if (count < 0 || count >= MAX_PEER_LINKS) {
      throw new IllegalStateException("a process space can have " + MAX_PEER_LINKS + " peer links at most");
    }
    final long entry = PEER_LINKS_OFFSET + count * ENTRY_SIZE;
    s.asSlice(entry, ENTRY_SIZE).fill((byte) 0);
    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, entry + PEER_FILE_AT, bytes.length);
    INT.set(s, entry + PEER_SIDE_AT, e.side());
    INT.set(s, entry + PEER_OTHER_SPACE_AT, e.otherSpace());
    INT.setRelease(s, PEER_LINK_COUNT_OFFSET, count + 1);
  }

  /** How many entries of PEER_LINKS are valid, clamped to 0..MAX_PEER_LINKS. */
  public static int peerLinkCount(MemorySegment s) {
    return Math.min(Math.max((int) INT.getAcquire(s, PEER_LINK_COUNT_OFFSET), 0), MAX_PEER_LINKS);
  }

  /**
   * Entry {@code k} of PEER_LINKS, validated: a link file's name (no path), side 1 or 2, a space
   * number below MAX_SPACES other than B's.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static PeerLinkEntry peerLink(MemorySegment s, int k) {
    final long entry = PEER_LINKS_OFFSET + k * ENTRY_SIZE;
    int length = 0;
    while (length <= MAX_PEER_FILE_BYTES && s.get(ValueLayout.JAVA_BYTE, entry + PEER_FILE_AT + length) != 0) {
      length++;
    }
    if (length > MAX_PEER_FILE_BYTES) {
      throw new IllegalArgumentException("peer link " + k + ": FILE is not NUL-terminated");
    }
    final String file = new String(s.asSlice(entry + PEER_FILE_AT, length).toArray(ValueLayout.JAVA_BYTE),
        java.nio.charset.StandardCharsets.US_ASCII);
    final int side = (int) INT.get(s, entry + PEER_SIDE_AT);
    final int other = (int) INT.get(s, entry + PEER_OTHER_SPACE_AT);
    if (!isPeerFileName(file)) {
      throw new IllegalArgumentException("peer link " + k + ": FILE '" + file + "' is not a link file's name");
    }
    if (side != 1 && side != 2) {
      throw new IllegalArgumentException("peer link " + k + ": SIDE is " + side + ", expected 1 or 2");
    }
    final int maxSpaces = (int) INT.get(s, MAX_SPACES_OFFSET);
    if (other < 1 || other >= maxSpaces || other == (int) INT.get(s, SPACE_B_OFFSET)) {
      throw new IllegalArgumentException("peer link " + k + ": OTHER_SPACE " + other + " out of range");
    }
    return new PeerLinkEntry(file, side, other);
  }

  /** Whether {@code name} is a link file's name: {@code nucleus-<digits>-<32 hex digits>}, no path. */
  private static boolean isPeerFileName(String name) {
    return name.matches("nucleus-[0-9]{1,19}-[0-9a-f]{32}");
  }
}
