package dev.cfgctl.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.api.MediaTypes;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonInputException;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.Write;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Times;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading requests within the server's limits: bodies, preconditions, numbers in query strings, and
 * what the filters put on a request (its start, its principal). Thread-safe (stateless).
 */
final class Requests {
  /** The limits of what a request may carry, each answered with its own problem. */
  record Limits(long maxBodyBytes, int maxDepth, int maxOps) {
    static final Limits DEFAULT = new Limits(5L * 1024 * 1024, 200, 10_000);
  }

  private static final Pattern ETAG = Pattern.compile("\"([1-9][0-9]{0,17})\"");
  private static final String STARTED = "cfgctl.started";
  private static final String PRINCIPAL = "cfgctl.principal";

  private Requests() {}

  /** Notes when the request arrived, for its time budget. */
  static void start(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
  }

  /** When the request arrived ({@link System#nanoTime}). */
  static long started(Context ctx) {
    Long t = ctx.attribute(STARTED);
    return t == null ? System.nanoTime() : t;
  }

  /** Puts the caller on the request, once its token is checked. */
  static void authenticated(Context ctx, Principal who) {
    ctx.attribute(PRINCIPAL, who);
  }

  /** The caller, as {@link AuthFilter} authenticated it. */
  static Principal who(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  /** The config of a route under {@code /v1/tenants/{tenant}/configs/{name}}. */
  static ConfigRef ref(Context ctx) {
    return new ConfigRef(ctx.pathParam("tenant"), ctx.pathParam("name"));
  }

  /**
   * How the request wants its change made: its lock id, change message, rebase, idempotency key,
   * and the deadline its time budget sets.
   */
  static Write write(Context ctx, Duration timeBudget) {
    String message = changeMessage(ctx);
    String lockId = ctx.header("Lock-Id");
    if (lockId != null && (lockId.isBlank() || lockId.length() > 100)) {
      throw new StoreException(Problem.INVALID_REQUEST, "Lock-Id is not a lock id");
    }
    return new Write(lockId, message, "true".equals(ctx.queryParam("rebase")))
        .withDeadline(started(ctx) + timeBudget.toNanos())
        .withIdempotency(idempotency(ctx));
  }

  /** The refusal of a change that needs an If-Match and came without. */
  static StoreException preconditionRequired(Context ctx, String what) {
    return new StoreException(
        Problem.PRECONDITION_REQUIRED,
        what + " " + ref(ctx) + " needs If-Match: \"N\" (the version you expect) or If-Match: *");
  }

  /**
   * The body as JSON, refused before parsing when it is too large, and with its error's position.
   */
  static JsonNode json(Context ctx, Limits limits) {
    return parse(body(ctx, limits.maxBodyBytes()), limits);
  }

  private static JsonNode parse(byte[] body, Limits limits) {
    try {
      return Json.parse(body, Json.Limits.DEFAULT.withMaxDepth(limits.maxDepth()));
    } catch (JsonInputException e) {
      if (e.tooDeep()) {
        throw new StoreException(Problem.TOO_DEEP, e.getMessage()).with("limit", limits.maxDepth());
      }
      throw invalid(e.getMessage(), e.line(), e.column());
    }
  }

  private static StoreException invalid(String message, int line, int column) {
    return new StoreException(Problem.INVALID_JSON, message)
        .with("line", line)
        .with("column", column);
  }

  /** The request's body, once read by {@link #body}, for {@link #hash}. */
  private static final String BODY = "cfgctl.body";

  private static final String IDEMPOTENCY = "cfgctl.idempotency";

  static byte[] body(Context ctx, long limit) {
    byte[] body = read(ctx, limit);
    ctx.attribute(BODY, body);
    return body;
  }

  private static byte[] read(Context ctx, long limit) {
    long declared = ctx.req().getContentLengthLong();
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared > limit) throw tooLarge(in, limit);
      ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
      byte[] buf = new byte[16384];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > limit) throw tooLarge(in, limit);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new StoreException(
          Problem.INVALID_REQUEST, "the request body could not be read: " + e.getMessage());
    }
  }

  /**
   * The refusal of a body over the limit, after reading and dropping up to another limit's worth of
   * what is left: most clients send their whole body before they read the answer, and a server that
   * closes on unread bytes resets the connection, so they would see a reset instead of the 413.
   */
  private static StoreException tooLarge(InputStream in, long limit) {
    byte[] buf = new byte[16384];
    try {
      for (long left = limit; left > 0; ) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) break;
        left -= n;
      }
    } catch (IOException e) {
      // the client has gone: there is no one to answer
    }
    return new StoreException(
            Problem.TOO_LARGE, "the request body is larger than the limit of " + limit + " bytes")
        .with("limit", limit);
  }

  /**
   * {@code If-Match}: {@code "N"} → N, {@code *} → {@link ConfigStore#FORCE}, absent → null;
   * anything else is refused rather than guessed at.
   */
  static Long ifMatch(Context ctx) {
    String h = ctx.header("If-Match");
    if (h == null) return null;
    h = h.trim();
    if (h.equals("*")) return ConfigStore.FORCE;
    Matcher m = ETAG.matcher(h);
    if (!m.matches()) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "If-Match must be a version as a strong"
              + " entity tag (\"7\") or *, not "
              + Json.brief(Json.NODES.textNode(h)));
    }
    return Long.parseLong(m.group(1));
  }

  /** {@code If-None-Match: "N"} on reads; null when absent or not a single version tag. */
  static Long ifNoneMatch(Context ctx) {
    String h = ctx.header("If-None-Match");
    if (h == null) return null;
    Matcher m = ETAG.matcher(h.trim());
    return m.matches() ? Long.parseLong(m.group(1)) : null;
  }

  /**
   * A header's text. Clients send UTF-8 (curl from a UTF-8 terminal, okhttp); Jetty hands each byte
   * over as one Latin-1 character, so the bytes are decoded again as UTF-8 when they are valid
   * UTF-8, and kept as Latin-1 when they are not.
   */
  static String utf8Header(Context ctx, String name) {
    String h = ctx.header(name);
    if (h == null || h.chars().allMatch(c -> c < 0x80) || h.chars().anyMatch(c -> c > 0xff)) {
      return h;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(h.getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return h;
    }
  }

  /**
   * {@code Change-Message}: percent-encoded UTF-8 where not printable ASCII, as API.md says (and as
   * the CLI sends it), or raw UTF-8 (as curl from a terminal sends it); one line of at most 500
   * characters. A {@code %} not followed by two hex digits, or decoding to what is not UTF-8,
   * stands for itself.
   */
  static String changeMessage(Context ctx) {
    String raw = utf8Header(ctx, "Change-Message");
    if (raw == null) return null;
    String message = raw.indexOf('%') < 0 ? raw : percentDecoded(raw);
    if (message.length() > 500) {
      throw new StoreException(
          Problem.INVALID_REQUEST, "Change-Message is limited to 500 characters");
    }
    if (message.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "Change-Message is one line of text: no" + " line breaks or control characters");
    }
    return message;
  }

  private static String percentDecoded(String text) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int hi = c == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
      if (lo >= 0) {
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return text;
    }
  }

  /** A time query parameter (RFC 3339), or null when absent. */
  static Instant timeParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : Times.parse(v, name);
  }

  static Long longParam(Context ctx, String name, long min, long max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) return null;
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new StoreException(
        Problem.INVALID_REQUEST,
        "query parameter " + name + " must be a whole number between " + min + " and " + max);
  }

  static long version(String text) {
    try {
      long v = Long.parseLong(text);
      if (v >= 1) return v;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new StoreException(
        Problem.INVALID_REQUEST,
        "a version is a positive whole number, not " + Json.brief(Json.NODES.textNode(text)));
  }

  /** An optional member of a JSON object body, checked for type. */
  static Long longMember(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) return null;
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw new StoreException(Problem.INVALID_REQUEST, "\"" + name + "\" must be a whole number");
    }
    return v.asLong();
  }

  static String textMember(JsonNode body, String name, int maxLength) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual() || v.textValue().length() > maxLength) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "\"" + name + "\" must be a string of at most " + maxLength + " characters");
    }
    return noNul(v.textValue(), "\"" + name + "\"");
  }

  /** A query parameter's text, or null when absent. */
  static String textParam(Context ctx, String name) {
    return noNul(ctx.queryParam(name), "query parameter " + name);
  }

  /**
   * Refuses text with a NUL character, which no PostgreSQL text column or parameter can hold (in a
   * document it is only ever the escape \\u0000, and stays there).
   */
  private static String noNul(String text, String what) {
    if (text != null && text.indexOf('\0') >= 0) {
      throw new StoreException(Problem.INVALID_REQUEST, what + " must not contain a NUL character");
    }
    return text;
  }

  /** A JSON object body (application/json), or an empty object for a missing optional one. */
  static JsonNode object(Context ctx, Limits limits, boolean optional) {
    byte[] raw = body(ctx, limits.maxBodyBytes());
    if (raw.length == 0 && optional) return Json.NODES.objectNode();
    requireType(ctx, MediaTypes.JSON);
    JsonNode body = parse(raw, limits);
    if (!body.isObject())
      throw new StoreException(Problem.INVALID_REQUEST, "the body must be a JSON object");
    return body;
  }

  /**
   * {@code Idempotency-Key} (draft-ietf-httpapi-idempotency-key-header: a structured-field string,
   * so quoted; unquoted keys as Stripe's are taken too), or null when absent; with what identifies
   * the request, for telling a retry from another request under the same key.
   */
  static ConfigStore.Idempotency idempotency(Context ctx) {
    String h = ctx.header("Idempotency-Key");
    if (h == null) return null;
    String key = h.trim();
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
      key = key.substring(1, key.length() - 1);
    }
    if (key.isEmpty()
        || key.length() > 255
        || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"')) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "Idempotency-Key must be 1 to 255 visible" + " ASCII characters, such as a UUID");
    }
    ConfigStore.Idempotency idempotency = new ConfigStore.Idempotency(key, hash(ctx));
    ctx.attribute(IDEMPOTENCY, idempotency);
    return idempotency;
  }

  /** Whether the store answered the request's idempotency key with a remembered result. */
  static boolean replayed(Context ctx) {
    ConfigStore.Idempotency key = ctx.attribute(IDEMPOTENCY);
    return key != null && key.replayed().get();
  }

  /**
   * A hash of what makes a write what it is: method, target, preconditions, lock, message, body.
   */
  private static String hash(Context ctx) {
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      for (String part :
          new String[] {
            ctx.method().name(),
            ctx.path(),
            ctx.queryString(),
            mediaType(ctx),
            ctx.header("If-Match"),
            ctx.header("If-None-Match"),
            ctx.header("Lock-Id"),
            ctx.header("Change-Message")
          }) {
        d.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
      }
      byte[] body = ctx.attribute(BODY);
      if (body != null) d.update(body);
      return java.util.HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The request's media type in lower case without parameters; "" when it has none. */
  static String mediaType(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type == null) return "";
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  static void requireType(Context ctx, String expected) {
    String type = mediaType(ctx);
    if (!type.equals(expected)) {
      throw new StoreException(
          Problem.UNSUPPORTED_MEDIA_TYPE,
          "the body must be " + expected + ", not " + (type.isEmpty() ? "untyped" : type));
    }
  }
}
