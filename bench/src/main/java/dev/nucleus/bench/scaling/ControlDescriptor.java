package dev.nucleus.bench.scaling;

/**
 * The layout of a scaling session's control region: a {@code SharedRegion} the bench JVM creates
 * and every client process maps. The bench JVM steers the clients through one command word; each
 * client thread publishes how many calls it has completed and checked; each client process hands
 * back its latency histogram after every step, or the reason it failed.
 *
 * <pre>
 *   0          64          128                                  128 + 64 x clients
 *   +----------+-----------+------------------------------------+--------------------------------+
 *   | header   | command   | client record 0 .. clients-1       | process record 0 .. processes-1 |
 *   +----------+-----------+------------------------------------+--------------------------------+
 *
 *   header (written by the bench JVM before any client maps the region)
 *     0  VERSION     long   {@link #VERSION}, stored last (release)
 *     8  PROCESSES   int    client processes
 *    12  THREADS     int    client threads per process
 *
 *   command (written by the bench JVM, release; read by each process's main thread, acquire)
 *    64  COMMAND     long   step &lt;&lt; 32 | clients &lt;&lt; 8 | phase   ({@link Command})
 *
 *   client record k, 64 bytes: client k is thread k / PROCESSES of process k % PROCESSES
 *     +0 CALLS       long   calls client k has completed and checked, ever (its thread, release;
 *                           the bench JVM, acquire)
 *
 *   process record p, {@link #PROCESS_RECORD_LENGTH} bytes (written by process p's main thread)
 *     +0  STATE           int   {@link #STARTING}, {@link #READY} or {@link #FAILED} (release)
 *     +4  ERROR_LENGTH    int   bytes of ERROR, stored before STATE = FAILED
 *     +8  REPORTED_STEP   long  the last step whose HISTOGRAM is here (release)
 *     +16 HISTOGRAM_LENGTH int  bytes of HISTOGRAM, stored before REPORTED_STEP
 *     +64 ERROR           {@link #ERROR_CAPACITY} bytes, UTF-8: why the process failed
 *     +64 + ERROR_CAPACITY  HISTOGRAM  {@link #HISTOGRAM_CAPACITY} bytes: the step's call latencies,
 *                           an HdrHistogram in its compressed encoding
 * </pre>
 *
 * <p>Every word is written by one side only; a release store is read with an acquire load.
 * Everything the bench JVM reads here was written by another process: it is validated before use
 * (states, lengths, the histogram's encoding), and the call counts are checked against the
 * server's own ledger after every step. Each record starts on its own cache line, so that client
 * threads counting their calls do not share lines.
 */
final class ControlDescriptor {

  /** "SCAL" and the layout's version, 1. */
  static final long VERSION = 0x5343_414C_0000_0001L;

  static final long VERSION_OFFSET = 0;
  static final long PROCESSES_OFFSET = VERSION_OFFSET + Long.BYTES;
  static final long THREADS_OFFSET = PROCESSES_OFFSET + Integer.BYTES;
  static final long COMMAND_OFFSET = 64;
  static final long CLIENTS_OFFSET = COMMAND_OFFSET + 64;

  static final long CLIENT_RECORD_LENGTH = 64;
  static final long CALLS_OFFSET = 0;

  /** Room for a failure's text: a message and its causes, on one line. */
  static final int ERROR_CAPACITY = 1024;
  /**
   * Room for one step's histogram: a compressed HdrHistogram of 3 significant digits is a few KB
   * (each used bucket costs a byte or two, and one step's latencies fill a few hundred buckets).
   */
  static final int HISTOGRAM_CAPACITY = 64 * 1024;

  static final long STATE_OFFSET = 0;
  static final long ERROR_LENGTH_OFFSET = STATE_OFFSET + Integer.BYTES;
  static final long REPORTED_STEP_OFFSET = ERROR_LENGTH_OFFSET + Integer.BYTES;
  static final long HISTOGRAM_LENGTH_OFFSET = REPORTED_STEP_OFFSET + Long.BYTES;
  static final long ERROR_OFFSET = 64;
  static final long HISTOGRAM_OFFSET = ERROR_OFFSET + ERROR_CAPACITY;
  static final long PROCESS_RECORD_LENGTH = HISTOGRAM_OFFSET + HISTOGRAM_CAPACITY;

  /** A process's STATE before it has bound to the server and started its threads. */
  static final int STARTING = 0;
  /** Its threads wait for commands. */
  static final int READY = 1;
  /** It failed; ERROR says why, and it is exiting. */
  static final int FAILED = 2;

  /** Most client processes and most threads per process: bounded by a process space's 64 thread slots. */
  static final int MAX_PROCESSES = 64;
  static final int MAX_THREADS = 48;

  private ControlDescriptor() {}

  /**
   * The region's length for {@code processes} client processes of {@code threads} threads each.
   *
   * @param processes client processes, 1..{@value #MAX_PROCESSES}
   * @param threads threads per process, 1..{@value #MAX_THREADS}
   * @return bytes
   * @throws IllegalArgumentException if a count is out of range
   */
  static long length(int processes, int threads) {
    checkCounts(processes, threads);
    return CLIENTS_OFFSET + (long) processes * threads * CLIENT_RECORD_LENGTH
        + (long) processes * PROCESS_RECORD_LENGTH;
  }

  /** Where client {@code k}'s record starts. */
  static long clientOffset(int k) {
    return CLIENTS_OFFSET + k * CLIENT_RECORD_LENGTH;
  }

  /** Where process {@code p}'s record starts, in a region of {@code clients} client records. */
  static long processOffset(int clients, int p) {
    return CLIENTS_OFFSET + clients * CLIENT_RECORD_LENGTH + p * PROCESS_RECORD_LENGTH;
  }

  static void checkCounts(int processes, int threads) {
    if (processes < 1 || processes > MAX_PROCESSES || threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("a scaling session has 1.." + MAX_PROCESSES + " client processes of 1.."
          + MAX_THREADS + " threads, not " + processes + " of " + threads);
    }
  }
}
