package io.miroir.meili;

/**
 * Strict UTF-8 decoding with Rust's {@code str::from_utf8} verdict (no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF), because Meilisearch rejects payload bytes exactly when Rust does.
 */
final class Utf8 {
  private Utf8() {
  }

  /** Appends {@code in[from, to)} decoded to {@code out}; false if the bytes are not valid UTF-8. */
  static boolean decode(byte[] in, int from, int to, StringBuilder out) {
    int i = from;
    while (i < to) {
      int b = in[i] & 0xFF;
      if (b < 0x80) {
        out.append((char) b);
        i++;
        continue;
      }
      int length = sequenceLength(in, i, to);
      if (length == 0) {
        out.append('\uFFFD');
        decodeRest(in, i + 1, to, out);
        return false;
      }
      out.appendCodePoint(codePoint(in, i, length));
      i += length;
    }
    return true;
  }

  /** Index, relative to {@code from}, of the first byte that is not part of valid UTF-8, or -1. */
  static int validUpTo(byte[] in, int from, int to) {
    int i = from;
    while (i < to) {
      if ((in[i] & 0xFF) < 0x80) {
        i++;
        continue;
      }
      int length = sequenceLength(in, i, to);
      if (length == 0) {
        return i - from;
      }
      i += length;
    }
    return -1;
  }

  private static void decodeRest(byte[] in, int from, int to, StringBuilder out) {
    int i = from;
    while (i < to) {
      int length = (in[i] & 0xFF) < 0x80 ? 1 : sequenceLength(in, i, to);
      if (length == 0) {
        out.append('\uFFFD');
        i++;
      } else {
        out.appendCodePoint(length == 1 ? in[i] & 0xFF : codePoint(in, i, length));
        i += length;
      }
    }
  }

  /** Length of the valid multi-byte sequence at {@code i}, or 0 if it is not valid (RFC 3629 table 3-7). */
  private static int sequenceLength(byte[] in, int i, int to) {
    int b0 = in[i] & 0xFF;
    int length;
    int lo = 0x80;
    int hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      length = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      length = 3;
      lo = b0 == 0xE0 ? 0xA0 : 0x80;
      hi = b0 == 0xED ? 0x9F : 0xBF;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      length = 4;
      lo = b0 == 0xF0 ? 0x90 : 0x80;
      hi = b0 == 0xF4 ? 0x8F : 0xBF;
    } else {
      return 0;
    }
    if (i + length > to) {
      return 0;
    }
    int b1 = in[i + 1] & 0xFF;
    if (b1 < lo || b1 > hi) {
      return 0;
    }
    for (int k = 2; k < length; k++) {
      int bk = in[i + k] & 0xFF;
      if (bk < 0x80 || bk > 0xBF) {
        return 0;
      }
    }
    return length;
  }

  private static int codePoint(byte[] in, int i, int length) {
    int cp = (in[i] & 0xFF) & (0xFF >> (length + 1));
    for (int k = 1; k < length; k++) {
      cp = cp << 6 | (in[i + k] & 0x3F);
    }
    return cp;
  }
}
