package dev.cfgctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Document;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A document's version, author and time as response headers (the body is its content): written by
 * the server, read by the client. Thread-safe (stateless).
 */
public final class DocumentHeaders {
  public static final String ETAG = "ETag";
  public static final String LAST_MODIFIED = "Last-Modified";
  public static final String VERSION = "Config-Version";
  public static final String UPDATED_BY = "Config-Updated-By";
  public static final String UPDATED_BY_NAME = "Config-Updated-By-Name";

  /** On a write's answer: the write changed nothing, so no version was made. */
  public static final String UNCHANGED = "Config-Unchanged";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).withLocale(Locale.ROOT);

  private DocumentHeaders() {}

  /** A version as a strong entity tag: {@code "7"}. */
  public static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** The headers of a new version made by a write that answers no document (a delete, an undo). */
  public static void writeVersion(long version, BiConsumer<String, String> header) {
    header.accept(ETAG, etag(version));
    header.accept(VERSION, Long.toString(version));
  }

  public static void write(Document d, BiConsumer<String, String> header) {
    header.accept(ETAG, etag(d.version()));
    header.accept(LAST_MODIFIED, HTTP_DATE.format(d.updatedAt()));
    header.accept(VERSION, Long.toString(d.version()));
    // percent-encoded where not printable ASCII: Jetty writes header values as Latin-1
    header.accept(UPDATED_BY, HeaderText.encode(d.updatedBy().id()));
    header.accept(UPDATED_BY_NAME, HeaderText.encode(d.updatedBy().name()));
  }

  /** The document of {@code ref} these headers and {@code content} (null: none sent) describe. */
  public static Document read(ConfigRef ref, UnaryOperator<String> header, JsonNode content) {
    String by = header.apply(UPDATED_BY);
    if (by == null) throw new IllegalArgumentException("no " + UPDATED_BY + " header");
    String name = header.apply(UPDATED_BY_NAME);
    String lastModified = header.apply(LAST_MODIFIED);
    Instant at =
        lastModified == null
            ? null
            : ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    return new Document(
        ref,
        readVersion(header),
        content,
        at,
        new Author(HeaderText.decode(by), HeaderText.decode(name == null ? by : name)),
        "true".equals(header.apply(UNCHANGED)));
  }

  public static long readVersion(UnaryOperator<String> header) {
    String v = header.apply(VERSION);
    if (v == null) throw new IllegalArgumentException("no " + VERSION + " header");
    return Long.parseLong(v.trim());
  }
}
