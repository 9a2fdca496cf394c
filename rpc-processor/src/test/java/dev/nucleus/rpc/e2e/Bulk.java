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
   * A large result: {@code length} bytes, byte {@code i} being {@code (byte) (i * 31 + seed)}.
   *
   * @param length how many bytes
   * @param seed the pattern's start
   * @return the bytes
   */
  byte[] fill(int length, int seed);

  /**
   * Returns what it was given: a result written while the argument (a view of the request) is
   * still being read.
   *
   * @param data the bytes
   * @return the same bytes
   */
  MemorySegment echo(MemorySegment data);

  /**
   * A large text result.
   *
   * @param length how many characters
   * @return {@code length} characters, {@code 'a' + i % 26} then every 100th one a non-ASCII 'é'
   */
  String text(int length);

  /**
   * Takes {@code data} and returns at once: a large one-way request.
   *
   * @param data the bytes
   */
  @Oneway
  void drop(byte[] data);
}
