package dev.nucleus.bench.lrpc;

import dev.nucleus.bench.Allocation;
import dev.nucleus.bench.Latencies;
import dev.nucleus.bench.MechanismRegistry;
import dev.nucleus.bench.MessageSize;
import dev.nucleus.bench.PingPong;
import dev.nucleus.bench.peers.ChildJvm;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * {@code lrpc-process-<size>}: an LRPC call with one bulk {@code byte[]} argument of
 * {@code bytes} ({@link Bench#take}) to a server in a process space, spinning. Above 480 bytes the
 * request travels in the calling thread's argument stack (a shared region the server keeps
 * mapped), so a call is: marshal the array into the stack (one copy), the IPC, the server's
 * {@code byte[]} parameter (a second copy, on its heap), the reply. Its floor is
 * {@code floor-memcpy-<size>}, one copy of the same bytes in the same run: a ratio of 2 is half
 * of memcpy's bandwidth (issue 12's goal for 1 MiB). The server's copy allocates by the
 * parameter's nature, so this entry is not judged for allocation.
 */
public final class LrpcBulkPingPong implements PingPong {

  private final int bytes;

  /** An entry for arguments of {@code bytes} bytes. */
  public LrpcBulkPingPong(int bytes) {
    this.bytes = bytes;
  }

  @Override
  public String name() {
    return "lrpc-process-" + MemcpyFloor.label(bytes);
  }

  @Override
  public String floor() {
    return MemcpyFloor.name(bytes);
  }

  @Override
  public String unavailableReason() {
    return System.getProperty("os.name", "").toLowerCase().contains("linux") ? null : "process spaces need Linux";
  }

  @Override
  public String description() {
    return "LRPC call with a " + MemcpyFloor.label(bytes) + " byte[] argument to an RpcServer in a process space,"
        + " spin waiting; bytes/s = size x rt/s; floor: one memcpy of the same size";
  }

  @Override
  public MessageSize messageSize() {
    return new MessageSize(MechanismRegistry.LRPC_PROCESS_NULL, bytes, true);
  }

  @Override
  public int defaultIterations() {
    return MemcpyFloor.iterationsFor(bytes); // as many as its floor
  }

  @Override
  public Allocation lastAllocation() {
    return null;
  }

  @Override
  public void run(int warmup, int iterations, Histogram roundTripsNs) throws Exception {
    final byte[] payload = new byte[bytes];
    Arrays.fill(payload, (byte) 7);
    LrpcProcessPingPong.withServer(ChildJvm.TOUCHED_HEAP, true, bench -> { // the server allocates an array per call
      for (int i = 0; i < warmup + iterations; i++) {
        final long t0 = System.nanoTime();
        final int taken = bench.take(payload);
        final long t1 = System.nanoTime();
        if (taken != bytes) {
          throw new IllegalStateException("the server took " + taken + " bytes of " + bytes);
        }
        if (i >= warmup) {
          Latencies.record(roundTripsNs, t1 - t0);
        }
      }
      return null;
    });
  }
}
