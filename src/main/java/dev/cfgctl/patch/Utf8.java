package dev.cfgctl.patch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * The encoding rules of JSON input (RFC 8259 section 8.1): UTF-8 only. A UTF-8 byte order mark,
 * which some editors write, is skipped; UTF-16 and UTF-32 (with or without a mark) are refused
 * instead of being guessed, as Jackson would, and so is every byte sequence that is not UTF-8
 * (Jackson lets encoded surrogates and overlong forms through). Thread-safe.
 */
final class Utf8 {
  private Utf8() {}

  /** Checks {@code bytes}; returns where the JSON text starts (3 after a UTF-8 byte order mark). */
  static int check(byte[] bytes) {
    int start = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    } else if (looksWide(bytes)) {
      throw new JsonInputException(
          "malformed JSON at line 1, column 1: the text is UTF-16 or"
              + " UTF-32; JSON must be UTF-8",
          1,
          1);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    CharBuffer out = CharBuffer.allocate(8192);
    CoderResult r;
    do {
      out.clear();
      r = decoder.decode(in, out, true);
    } while (r.isOverflow());
    if (!r.isError()) return start;
    int line = 1;
    int lineStart = start;
    for (int i = start; i < in.position(); i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = in.position() - lineStart + 1;
    throw new JsonInputException(
        "malformed JSON at line "
            + line
            + ", column "
            + column
            + ": invalid UTF-8 byte 0x"
            + Integer.toHexString(bytes[in.position()] & 0xff),
        line,
        column);
  }

  /**
   * A UTF-16 or UTF-32 byte order mark, or a NUL among the first two bytes: JSON text starts with
   * whitespace or a value, never with NUL, so those are the zero halves of wide characters.
   */
  private static boolean looksWide(byte[] b) {
    if (b.length >= 2
        && ((b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff
            || (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe)) {
      return true;
    }
    return b.length >= 2 && (b[0] == 0 || b[1] == 0);
  }
}
