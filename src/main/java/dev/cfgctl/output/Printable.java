package dev.cfgctl.output;

/**
 * Text that others chose — a lock's client or note, a change message, an author's name, a server's
 * message quoting them — made safe for a terminal: every control character (C0, DEL, C1) becomes
 * {@code ?}, so no escape sequence in it can retitle the window, clear the screen or write the
 * clipboard. JSON output needs none of this: the JSON writer escapes control characters.
 */
public final class Printable {
  private Printable() {}

  public static String of(String text) {
    if (text == null) return null;
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
        if (out == null) out = new StringBuilder(text).replace(i, text.length(), "");
        out.append('?');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
