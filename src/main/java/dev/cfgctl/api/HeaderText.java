package dev.cfgctl.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text carried in an HTTP header value, where only printable ASCII is safe: printable ASCII stands
 * for itself except {@code %}; every other character is percent-encoded UTF-8 (RFC 3986 style), so
 * "Zoë Ruiz" travels as {@code Zo%C3%AB Ruiz}. Thread-safe (stateless).
 */
public final class HeaderText {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private HeaderText() {}

  public static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      if (b >= 0x20 && b < 0x7f && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }

  /** The inverse of {@link #encode}; a {@code %} not followed by two hex digits stays as it is. */
  public static String decode(String header) {
    if (header.indexOf('%') < 0) return header;
    ByteArrayOutputStream out = new ByteArrayOutputStream(header.length());
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      int hi = i + 2 < header.length() ? Character.digit(header.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(header.charAt(i + 2), 16);
      if (c == '%' && lo >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
