package dev.nucleus.bench.lrpc;

import dev.nucleus.rpc.Service;

/**
 * The service the LRPC entries call: the null call of the LRPC paper (no argument, no result),
 * one word each way, and the allocation query that lets a client read what the serving thread
 * allocated, as {@link dev.nucleus.bench.EchoComponent#ALLOCATION_QUERY} does for the raw kernel
 * entries. The rpc processor generates {@code Bench_Proxy}, {@code Bench_Adapter} and
 * {@code Bench_Service} from it.
 */
@Service
public interface Bench {

  /** The null call: nothing travels but the call itself (method, deadline, outcome). */
  void nothing();

  /**
   * One word each way.
   *
   * @param value any value
   * @return {@code value}
   */
  long echo(long value);

  /**
   * The heap bytes the thread serving this call has allocated so far ({@code -1} where the JVM does
   * not count them). Over a pool of one thread, two answers bracket what that thread allocated in
   * between.
   *
   * @return the serving thread's allocated bytes
   */
  long serverAllocatedBytes();

  /**
   * Takes {@code data}, a bulk argument: the server gets its own copy of the bytes (a byte[]
   * parameter), as a real service would.
   *
   * @param data the bytes
   * @return how many there were
   */
  int take(byte[] data);
}
