package dev.nucleus.rpc.internal;

/**
 * Strict UTF-8 validation (RFC 3629): the decoder of {@code String} replaces bad input with
 * U+FFFD silently, and a frame read from another space must be rejected instead. Rejects
 * truncated sequences, stray continuation bytes, overlong forms, surrogates (U+D800..U+DFFF) and
 * code points above U+10FFFF.
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class Utf8 {

  private Utf8() {}

  /**
   * The index of the first byte of the first ill-formed sequence in {@code bytes}, or -1.
   *
   * @param bytes the bytes to check, all of them
   * @return -1 if {@code bytes} is well-formed UTF-8, else the index where the first bad
   *     sequence starts
   */
  public static int firstInvalid(byte[] bytes) {
    int i = 0;
    final int n = bytes.length;
    while (i < n) {
      final int b0 = bytes[i] & 0xff;
      if (b0 < 0x80) {
        i++;
        continue;
      }
      final int length;
      final int min2;
      final int max2;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        length = 2;
        min2 = 0x80;
        max2 = 0xbf;
      } else if (b0 == 0xe0) {
        length = 3; // no overlong three-byte forms
        min2 = 0xa0;
        max2 = 0xbf;
      } else if (b0 == 0xed) {
        length = 3; // no surrogates
        min2 = 0x80;
        max2 = 0x9f;
      } else if (b0 >= 0xe1 && b0 <= 0xef) {
        length = 3;
        min2 = 0x80;
        max2 = 0xbf;
      } else if (b0 == 0xf0) {
        length = 4; // no overlong four-byte forms
        min2 = 0x90;
        max2 = 0xbf;
      } else if (b0 >= 0xf1 && b0 <= 0xf3) {
        length = 4;
        min2 = 0x80;
        max2 = 0xbf;
      } else if (b0 == 0xf4) {
        length = 4; // nothing above U+10FFFF
        min2 = 0x80;
        max2 = 0x8f;
      } else {
        return i; // 0x80..0xc1 (continuation or overlong lead) and 0xf5..0xff
      }
      if (i + length > n) {
        return i;
      }
      final int b1 = bytes[i + 1] & 0xff;
      if (b1 < min2 || b1 > max2) {
        return i;
      }
      for (int k = 2; k < length; k++) {
        final int bk = bytes[i + k] & 0xff;
        if (bk < 0x80 || bk > 0xbf) {
          return i;
        }
      }
      i += length;
    }
    return -1;
  }
}
