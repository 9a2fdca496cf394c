package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.Oneway;
import dev.nucleus.rpc.Service;

/** Counts numbered one-way notes per stream, in order: the service of the one-way queue tests. */
@Service
public interface Tally {

  /**
   * Notes number {@code seq} of stream {@code stream}; numbers of a stream are expected to come
   * 0, 1, 2 ... in order.
   *
   * @param stream the stream, 0 .. {@link TallyServer#STREAMS} - 1
   * @param seq the note's number in its stream
   */
  @Oneway
  void note(int stream, long seq);

  /**
   * How many notes of {@code stream} came, each in order.
   *
   * @param stream the stream
   * @return the count, or -1 - the count at the first note that came out of order
   */
  long count(int stream);

  /**
   * Takes {@code data}: a one-way request as large as the caller wants.
   *
   * @param data the bytes
   */
  @Oneway
  void bulk(byte[] data);

  /** Blocks the thread that serves it until the test lets it go: a server that falls behind. */
  @Oneway
  void hold();

  /** Remembers who sent it, as the server saw it. */
  @Oneway
  void remember();

  /**
   * Who sent the last {@link #remember()}.
   *
   * @return the caller as the server saw it then, remainingNanos its deadline's nanoseconds left
   */
  CallInfo remembered();

  /**
   * Who is calling, as the server sees this call.
   *
   * @return the caller
   */
  CallInfo me();
}
