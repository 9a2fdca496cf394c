package dev.nucleus.rpc.e2e;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Bulk} that reads what it is given; counts the bytes dropped on it. */
final class BulkServer implements Bulk {

  final AtomicLong dropped = new AtomicLong();

  /** The checksum {@link #checksum} computes: the longs' sum, plus the length. */
  static long checksumOf(MemorySegment data) {
    long sum = data.byteSize();
    final long longs = data.byteSize() / 8;
    for (long i = 0; i < longs; i++) {
      sum += data.get(ValueLayout.JAVA_LONG_UNALIGNED, i * 8);
    }
    return sum;
  }

  @Override
  public long checksum(MemorySegment data) {
    return checksumOf(data);
  }

  @Override
  public long sum(byte[] data) {
    long sum = 0;
    for (byte b : data) {
      sum += b;
    }
    return sum;
  }

  /** What {@link #fill} returns. */
  static byte[] pattern(int length, int seed) {
    final byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  /** What {@link #text} returns. */
  static String textOf(int length) {
    final StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(i % 100 == 99 ? '\u00e9' : (char) ('a' + i % 26));
    }
    return s.toString();
  }

  @Override
  public byte[] fill(int length, int seed) {
    return pattern(length, seed);
  }

  @Override
  public MemorySegment echo(MemorySegment data) {
    return data;
  }

  @Override
  public String text(int length) {
    return textOf(length);
  }

  @Override
  public void drop(byte[] data) {
    dropped.addAndGet(data.length);
  }
}
