package dev.nucleus.async.internal;

import dev.nucleus.kernel.IpcThread;
import dev.nucleus.kernel.MessageTag;
import dev.nucleus.kernel.Status;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Layout of the handout: the call a process space makes to the queue broker's server thread for
 * one end of a queue, and the broker's reply. docs/queues.md is written from this class.
 *
 * <pre>
 *  request (call, client to broker)            reply (broker to client)
 *  MR0  tag: label OPEN_SENDER_LABEL or        MR0  tag: label a Status code (OK, NOT_PERMITTED,
 *            OPEN_RECEIVER_LABEL,                        INVALID_ARGUMENT, CLOSED), untyped OK_WORDS
 *            untyped 1 + ceil(length / 8)                on OK, else ERROR_WORDS
 *  MR1  NAME_LENGTH_MR  u64 length, 1..48      on OK:
 *  MR2  NAME_MR         the name's UTF-8       MR1  HANDLE_MR      u64 the region's handle (pid &lt;&lt; 32 | fd)
 *  ..                   bytes, 8 per word,     MR2  BYTES_MR       u64 the region's size, regionBytes(SLOT_COUNT)
 *  MR7                  little-endian; the     MR3  SLOTS_MR       u64 the queue's SLOT_COUNT
 *                       unused bytes 0         MR4  PEER_SPACE_MR  u64 the other end's space number
 *                                              MR5  TOKEN_MR       u64 the region's token
 *                                              MR6  PEER_PID_MR    u64 the other end's process (pid),
 *                                                   or -1 while it has none yet: what handles
 *                                                   of shared regions in its messages are
 *                                                   checked against
 *                                              else:
 *                                              MR1  REASON_MR      u64 a REASON_ code
 *
 *  region: the queue (TOTAL_SIZE bytes, docs/queue-wire.md) from offset 0, then one line whose
 *  first word, at tokenOffset(SLOT_COUNT) = TOTAL_SIZE, is the token: a random u64 that names
 *  this region, so that a descriptor number the root has meanwhile given to another region (the
 *  queue was freed before the client mapped it) is not taken for the queue.
 * </pre>
 *
 * A name of at most {@link #MAX_NAME_BYTES} bytes keeps the request within the eight registers
 * every kernel has (MR0..MR7). Stateless and thread-safe; the register methods run on the thread
 * that owns the {@link IpcThread}.
 */
public final class HandoutMessage {

  /** Request label: the sending end of the named queue. */
  public static final long OPEN_SENDER_LABEL = 0x5155_0001L;
  /** Request label: the receiving end of the named queue. */
  public static final long OPEN_RECEIVER_LABEL = 0x5155_0002L;

  /** Request: the name's length in bytes. */
  public static final int NAME_LENGTH_MR = 1;
  /** Request: the first word of the name's bytes. */
  public static final int NAME_MR = 2;
  /** The longest name, in UTF-8 bytes: six words after MR0 and MR1. */
  public static final int MAX_NAME_BYTES = 48;

  /** Reply on OK: the region's handle. */
  public static final int HANDLE_MR = 1;
  /** Reply on OK: the region's size in bytes. */
  public static final int BYTES_MR = 2;
  /** Reply on OK: the queue's slot count. */
  public static final int SLOTS_MR = 3;
  /** Reply on OK: the space number of the queue's other end. */
  public static final int PEER_SPACE_MR = 4;
  /** Reply on OK: the region's token. */
  public static final int TOKEN_MR = 5;
  /** Reply on OK: the pid of the process that holds the other end (the root's for a thread space), or -1. */
  public static final int PEER_PID_MR = 6;
  /** Untyped words of an OK reply. */
  public static final int OK_WORDS = 6;
  /** Bytes after the queue in its region: the token's line. */
  public static final int TOKEN_LINE = 64;
  /** Reply on an error: why. */
  public static final int REASON_MR = 1;
  /** Untyped words of an error reply. */
  public static final int ERROR_WORDS = 1;

  /** NOT_PERMITTED: no queue of that name grants that end to the caller's space. */
  public static final long REASON_NOT_GRANTED = 1;
  /** NOT_PERMITTED: the end was handed out already (each end is handed out once). */
  public static final long REASON_ALREADY_OPEN = 2;
  /** INVALID_ARGUMENT: the request is malformed (label, word count, length, name bytes). */
  public static final long REASON_MALFORMED = 3;
  /** CLOSED: the broker has closed. */
  public static final long REASON_BROKER_CLOSED = 4;

  private HandoutMessage() {}

  /**
   * Checks a queue name: 1 to {@link #MAX_NAME_BYTES} bytes of UTF-8, without NUL.
   *
   * @return the name's UTF-8 bytes
   * @throws IllegalArgumentException naming what is wrong
   * @throws NullPointerException if {@code name} is null
   */
  public static byte[] checkName(String name) {
    final byte[] bytes;
    try {
      final ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(name));
      bytes = new byte[utf8.remaining()];
      utf8.get(bytes);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a queue name is text without lone surrogates: '" + name + "'", e);
    }
    if (bytes.length < 1 || bytes.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("a queue name has 1 to " + MAX_NAME_BYTES + " bytes of UTF-8, '" + name
          + "' has " + bytes.length);
    }
    for (byte b : bytes) {
      if (b == 0) {
        throw new IllegalArgumentException("a queue name has no NUL character: '" + name + "'");
      }
    }
    return bytes;
  }

  /** Writes the request for {@code name}'s sending ({@code sender}) or receiving end into the registers. */
  public static void putRequest(IpcThread t, boolean sender, byte[] name) {
    final int words = (name.length + 7) / 8;
    t.setTag(MessageTag.of(sender ? OPEN_SENDER_LABEL : OPEN_RECEIVER_LABEL, 1 + words));
    t.setMr(NAME_LENGTH_MR, name.length);
    for (int w = 0; w < words; w++) {
      long word = 0;
      for (int b = 0; b < 8 && 8 * w + b < name.length; b++) {
        word |= (name[8 * w + b] & 0xFFL) << (8 * b);
      }
      t.setMr(NAME_MR + w, word);
    }
  }

  /**
   * The name in the request just received, or null if the request is malformed: a tag with typed
   * words or flags, a word count that does not match the length, a length out of range, unused
   * bytes not 0, or bytes that are not UTF-8 without NUL. The label is the caller's to check.
   */
  public static String takeName(IpcThread t) {
    final long tag = t.tag();
    final long length = t.mr(NAME_LENGTH_MR);
    if (MessageTag.typed(tag) != 0 || MessageTag.flags(tag) != 0 || length < 1 || length > MAX_NAME_BYTES
        || MessageTag.untyped(tag) != 1 + (length + 7) / 8) {
      return null;
    }
    final byte[] bytes = new byte[(int) length];
    final int words = (int) ((length + 7) / 8);
    for (int w = 0; w < words; w++) {
      final long word = t.mr(NAME_MR + w);
      for (int b = 0; b < 8; b++) {
        final byte value = (byte) (word >>> (8 * b));
        if (8 * w + b < length) {
          bytes[8 * w + b] = value;
        } else if (value != 0) {
          return null;
        }
      }
    }
    try {
      final String name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return name.indexOf('\0') >= 0 ? null : name;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Bytes of the region of a queue of {@code slots} slots (a valid count): the queue, then the token's line. */
  public static long regionBytes(int slots) {
    return QueueDescriptor.totalSize(slots) + TOKEN_LINE;
  }

  /** Where the token lies in the region of a queue of {@code slots} slots: right after the queue. */
  public static long tokenOffset(int slots) {
    return QueueDescriptor.totalSize(slots);
  }

  /** Writes an OK reply into the registers. */
  public static void putGranted(IpcThread t, long handle, long bytes, int slots, int peerSpace, long token,
      long peerPid) {
    t.setTag(MessageTag.of(Status.OK, OK_WORDS));
    t.setMr(HANDLE_MR, handle);
    t.setMr(BYTES_MR, bytes);
    t.setMr(SLOTS_MR, slots);
    t.setMr(PEER_SPACE_MR, peerSpace);
    t.setMr(TOKEN_MR, token);
    t.setMr(PEER_PID_MR, peerPid);
  }

  /** Writes an error reply into the registers: {@code code} a Status code without phase. */
  public static void putRefused(IpcThread t, int code, long reason) {
    t.setTag(MessageTag.of(code, ERROR_WORDS));
    t.setMr(REASON_MR, reason);
  }

  /** The Status code an error reply carries for {@code reason}. */
  public static int codeOf(long reason) {
    return reason == REASON_MALFORMED ? Status.INVALID_ARGUMENT
        : reason == REASON_BROKER_CLOSED ? Status.CLOSED : Status.NOT_PERMITTED;
  }

  /** A reason for a person, or null for a code no broker sends. */
  public static String describeReason(long reason) {
    if (reason == REASON_NOT_GRANTED) {
      return "no queue of that name grants this end to the caller's space";
    }
    if (reason == REASON_ALREADY_OPEN) {
      return "this end of the queue was handed out already (each end is handed out once)";
    }
    if (reason == REASON_MALFORMED) {
      return "the broker found the request malformed";
    }
    if (reason == REASON_BROKER_CLOSED) {
      return "the queue broker has closed";
    }
    return null;
  }
}
