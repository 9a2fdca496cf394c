package dev.nucleus.bench;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.ProcessComponent;
import dev.nucleus.kernel.ProcessContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The client of {@code nucleus-root-server-*}, run in a process space: the {@link CallLoop} of
 * the other Nucleus entries against an {@link EchoComponent#serve} loop in the root, whose
 * space therefore receives over two tables (its home table and this channel's). Writes what it
 * measured to a file the root reads once the process has exited:
 *
 * <pre>
 *   line 1: the round-trip histogram, HdrHistogram's compressed encoding in Base64
 *   line 2: client bytes allocated per round trip (NaN if not counted)
 *   line 3: server bytes allocated per round trip (NaN if not counted)
 * </pre>
 *
 * Arguments: {@code server-id-hex warmup iterations out-file}.
 */
public final class TimedCallerComponent implements ProcessComponent {

  private static final Duration STALL = Duration.ofSeconds(5);

  @Override
  public void run(ProcessContext context) throws IOException {
    final List<String> args = context.args();
    final long server = Long.parseUnsignedLong(args.get(0), 16);
    final int warmup = Integer.parseInt(args.get(1));
    final int iterations = Integer.parseInt(args.get(2));
    final Path out = Path.of(args.get(3));
    final Histogram histogram = Latencies.newHistogram();
    final Allocation allocation;
    try (IpcThread self = context.space().attach("timed-caller")) {
      allocation = CallLoop.run(self, server, MessageTag.of(1, 0), warmup, iterations, histogram, STALL);
    }
    final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    final String encoded = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    Files.writeString(out, encoded + "\n"
        + (allocation == null ? Double.NaN : allocation.clientBytesPerRoundTrip()) + "\n"
        + (allocation == null ? Double.NaN : allocation.serverBytesPerRoundTrip()) + "\n");
  }
}
