package dev.nucleus.bench.peers;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** Whole-message reads and writes on blocking byte channels (FIFOs, sockets). */
final class ChannelIo {

  private ChannelIo() {}

  /** Writes all of {@code buf} from position 0 to its capacity. */
  static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
    buf.clear();
    while (buf.hasRemaining()) ch.write(buf);
  }

  /**
   * Reads exactly {@code buf.capacity()} bytes into {@code buf}.
   *
   * @return {@code false} on EOF before the first byte (the partner closed between messages)
   * @throws EOFException on EOF inside a message
   */
  static boolean readFully(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
    buf.clear();
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        if (buf.position() == 0) return false;
        throw new EOFException("partner closed inside a message");
      }
    }
    return true;
  }
}
