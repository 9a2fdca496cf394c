package dev.nucleus.system.internal;

import dev.nucleus.system.CorruptStatusException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A string in a fixed-size field of the status segment: UTF-8, then NUL bytes to the field's end
 * (none if the text fills it). The writer makes any string fit ({@link #write}); the reader
 * believes a field only once it has checked it ({@link #read}). No NUL, C0 or C1 control
 * character, or DEL is ever in the text: a reader prints these strings on a terminal, and an
 * escape sequence from another process must not reach it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Utf8Field {

  private Utf8Field() {}

  /**
   * Writes {@code text} into the field of {@code fieldBytes} bytes at {@code offset}: control
   * characters become {@code '?'}, an unpaired surrogate U+FFFD, and the text is cut at the last
   * whole character that fits; the rest of the field is zeroed.
   *
   * @param s the segment
   * @param offset where the field starts
   * @param fieldBytes the field's size
   * @param text any string
   */
  public static void write(MemorySegment s, long offset, int fieldBytes, String text) {
    s.asSlice(offset, fieldBytes).fill((byte) 0);
    final byte[] bytes = encode(text, fieldBytes);
    MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, offset, bytes.length);
  }

  /** The UTF-8 of {@code text} made safe (see {@link #write}), at most {@code maxBytes} bytes. */
  static byte[] encode(String text, int maxBytes) {
    final StringBuilder kept = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isControl(cp)) {
        cp = '?';
      } else if (Character.getType(cp) == Character.SURROGATE) {
        cp = 0xFFFD;
      }
      final int length = utf8Length(cp);
      if (bytes + length > maxBytes) {
        break;
      }
      bytes += length;
      kept.appendCodePoint(cp);
    }
    return kept.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }

  /** NUL, the other C0 controls, DEL and the C1 controls. */
  private static boolean isControl(int cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
  }

  /**
   * Reads and checks the field of {@code fieldBytes} bytes at {@code offset}.
   *
   * @param s the segment (a private copy: what is checked is what is returned)
   * @param offset where the field starts
   * @param fieldBytes the field's size
   * @param field the field's name for an error, e.g. {@code COMPONENT[2].NAME}
   * @return the text
   * @throws CorruptStatusException if a byte after the first NUL is not NUL, the text is not
   *     well-formed UTF-8, or it holds a control character
   */
  public static String read(MemorySegment s, long offset, int fieldBytes, String field) {
    int length = 0;
    while (length < fieldBytes && s.get(ValueLayout.JAVA_BYTE, offset + length) != 0) {
      length++;
    }
    for (int k = length + 1; k < fieldBytes; k++) {
      if (s.get(ValueLayout.JAVA_BYTE, offset + k) != 0) {
        throw new CorruptStatusException(field, "has a byte other than NUL at byte " + k
            + ", after the NUL that ends its text at byte " + length);
      }
    }
    final byte[] bytes = s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    final String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new CorruptStatusException(field, "is not well-formed UTF-8");
    }
    final int control = text.codePoints().filter(Utf8Field::isControl).findFirst().orElse(-1);
    if (control >= 0) {
      throw new CorruptStatusException(field, "holds the control character U+" + String.format("%04X", control));
    }
    return text;
  }
}
