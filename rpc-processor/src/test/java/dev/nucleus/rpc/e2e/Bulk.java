package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.Oneway;
import dev.nucleus.rpc.Service;
import java.lang.foreign.MemorySegment;

/** Large arguments: a request that cannot travel in registers. */
@Service
public interface Bulk {

  /**
   * A checksum of {@code data}, read in place (a view of the request).
   *
   * @param data the bytes
   * @return the sum of the longs in it, and its length
   */
  long checksum(MemorySegment data);

  /**
   * The sum of the bytes of {@code data}.
   *
   * @param data the bytes
   * @return their sum
   */
  long sum(byte[] data);

  /**
   * Takes {@code data} and returns at once: a large one-way request.
   *
   * @param data the bytes
   */
  @Oneway
  void drop(byte[] data);
}
