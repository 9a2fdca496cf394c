package dev.nucleus.bench.lrpc;

import dev.nucleus.bench.Allocation;

/**
 * The implementation of {@link Bench}: does nothing, echoes, and reads its thread's allocation
 * counter. Stateless, so thread-safe; allocates nothing.
 */
public final class BenchServer implements Bench {

  @Override
  public void nothing() {
    // the null call: the work is all in the transport
  }

  @Override
  public long echo(long value) {
    return value;
  }

  @Override
  public int take(byte[] data) {
    return data.length;
  }

  @Override
  public long serverAllocatedBytes() {
    return Allocation.currentThreadBytes();
  }
}
