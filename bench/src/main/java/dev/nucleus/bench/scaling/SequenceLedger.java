package dev.nucleus.bench.scaling;

import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.lrpc.Bench;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server of a scaling session: {@link Bench#echo} answers each request with itself, and checks
 * on the way that each client's requests arrive exactly once and in order. Every request carries
 * its client and that client's sequence number ({@link #value}); a client makes one call at a time,
 * so the next request the server sees from client k must be k's next number. One that comes again
 * is a duplicate, one that skips numbers means requests were lost, one from no client of the
 * session was misrouted or corrupted; the first such problem is kept for the report
 * ({@link #problem()}), and the session fails on it after the step.
 *
 * <p>Implementation overview: one expected number per client, in an {@link AtomicLongArray} with
 * each client's slot on a cache line of its own (the pool's threads serve different clients at
 * once). Any pool thread may serve a client's next call: its get sees the set of the thread that
 * served the previous one, since that set happened before the previous reply, the reply before
 * the client's next call, and the call before this get (the kernel's rendezvous is a release and
 * an acquire each way). The expected numbers also count the calls served: their sum.
 *
 * <p>Thread-safe: the pool's threads call it at once, each on a different client's slot.
 */
final class SequenceLedger implements Bench {

  /** Bits of a request that carry the client's sequence number; the bits above, the client. */
  static final int SEQUENCE_BITS = 40;
  static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
  /** Longs between two clients' slots: 128 bytes, two cache lines (the adjacent-line prefetcher's pair). */
  private static final int STRIDE = 16;

  private final AtomicLongArray next;
  private final int clients;
  private final long corrupt;
  private final AtomicReference<String> problem = new AtomicReference<>();

  /**
   * A ledger for clients {@code 0 .. clients-1}, none of whose requests has arrived yet.
   *
   * @param clients clients in the session
   * @param corrupt a request to answer wrongly (its value plus one), to test that the clients
   *     catch it; -1 for none
   */
  SequenceLedger(int clients, long corrupt) {
    this.clients = clients;
    this.corrupt = corrupt;
    this.next = new AtomicLongArray(clients * STRIDE);
  }

  /**
   * The request client {@code k} sends as its call number {@code seq}.
   *
   * @param k the client, {@code 0 .. 2^23-1}
   * @param seq the call's number, {@code 0 .. 2^40-1}
   * @return {@code k << 40 | seq}
   */
  static long value(int k, long seq) {
    return (long) k << SEQUENCE_BITS | seq;
  }

  @Override
  public long echo(long value) {
    final long k = value >>> SEQUENCE_BITS;
    final long seq = value & SEQUENCE_MASK;
    if (k >= clients) {
      problem("request 0x" + Long.toHexString(value) + " names client " + k + ", not one of the " + clients
          + " (misrouted or corrupted)");
      return value;
    }
    final int slot = (int) k * STRIDE;
    final long expected = next.get(slot);
    if (seq != expected) {
      problem(seq < expected
          ? "client " + k + "'s request " + seq + " arrived again after its request " + (expected - 1) + " (duplicated)"
          : "client " + k + "'s request " + seq + " arrived when its request " + expected + " was due (requests lost)");
    }
    next.set(slot, Math.max(expected, seq + 1));
    return value == corrupt ? value + 1 : value;
  }

  private void problem(String what) {
    problem.compareAndSet(null, what);
  }

  /**
   * The first problem seen: a duplicated, lost or misrouted request.
   *
   * @return its description, or null if every request so far was in order
   */
  String problem() {
    return problem.get();
  }

  /**
   * Requests served in order, all clients together: a moment's sum, exact once the clients have
   * stopped.
   *
   * @return calls served
   */
  long served() {
    long sum = 0;
    for (int k = 0; k < clients; k++) {
      sum += next.get(k * STRIDE);
    }
    return sum;
  }

  /** Not called by the clients of a scaling session. */
  @Override
  public void nothing() {
    problem("nothing() was called: the clients of a scaling session call echo only");
  }

  @Override
  public long serverAllocatedBytes() {
    return Allocation.currentThreadBytes();
  }

  /** Not called by the clients of a scaling session. */
  @Override
  public int take(byte[] data) {
    problem("take() was called: the clients of a scaling session call echo only");
    return data.length;
  }
}
