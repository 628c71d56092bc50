package dev.cfgctl.patch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An RFC 6901 JSON pointer: a list of reference tokens, {@code ~0}/{@code ~1} escaped in its text
 * form. Immutable, thread-safe.
 */
public final class JsonPointer {
  public static final JsonPointer ROOT = new JsonPointer(List.of());
  private final List<String> tokens;

  private JsonPointer(List<String> tokens) {
    this.tokens = tokens;
  }

  /** Parses a pointer, or throws {@link IllegalArgumentException} saying what is wrong with it. */
  public static JsonPointer parse(String text) {
    if (text.isEmpty()) return ROOT;
    if (text.charAt(0) != '/') {
      throw new IllegalArgumentException("pointer \"" + text + "\" must be empty or start with /");
    }
    List<String> tokens = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    for (int i = 1; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '/';
      if (c == '/') {
        tokens.add(t.toString());
        t.setLength(0);
      } else if (c == '~') {
        char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
        if (next != '0' && next != '1') {
          throw new IllegalArgumentException(
              "pointer \"" + text + "\" has a ~ not followed by 0 or 1 (write ~0 for ~, ~1 for /)");
        }
        t.append(next == '0' ? '~' : '/');
        i++;
      } else {
        t.append(c);
      }
    }
    return new JsonPointer(Collections.unmodifiableList(tokens));
  }

  public static JsonPointer of(List<String> tokens) {
    return tokens.isEmpty() ? ROOT : new JsonPointer(List.copyOf(tokens));
  }

  public List<String> tokens() {
    return tokens;
  }

  public boolean isRoot() {
    return tokens.isEmpty();
  }

  public String last() {
    return tokens.get(tokens.size() - 1);
  }

  public JsonPointer parent() {
    return new JsonPointer(tokens.subList(0, tokens.size() - 1));
  }

  public JsonPointer append(String token) {
    List<String> t = new ArrayList<>(tokens.size() + 1);
    t.addAll(tokens);
    t.add(token);
    return new JsonPointer(Collections.unmodifiableList(t));
  }

  /** True when this pointer is {@code other} or lies below it. */
  public boolean startsWith(JsonPointer other) {
    return other.tokens.size() <= tokens.size()
        && tokens.subList(0, other.tokens.size()).equals(other.tokens);
  }

  /** The array index a token names, or -1 when it is not a valid index (RFC 6901: no leading 0). */
  public static int index(String token) {
    int n = token.length();
    if (n == 0 || n > 9 || (n > 1 && token.charAt(0) == '0')) return -1;
    int v = 0;
    for (int i = 0; i < n; i++) {
      char c = token.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  public static String escape(String token) {
    if (token.indexOf('~') < 0 && token.indexOf('/') < 0) return token;
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer for messages: as {@link #toString}, except that the root shows as {@code ""}. */
  public String shown() {
    return isRoot() ? "\"\"" : toString();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (String t : tokens) b.append('/').append(escape(t));
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonPointer && ((JsonPointer) o).tokens.equals(tokens);
  }

  @Override
  public int hashCode() {
    return tokens.hashCode();
  }
}
