package dev.cfgctl.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Times as the API writes them: RFC 3339 UTC with milliseconds. */
public final class Times {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  public static String format(Instant t) {
    return t == null ? null : FORMAT.format(t.truncatedTo(ChronoUnit.MILLIS));
  }

  public static Instant parse(String text, String what) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          what + " must be an RFC 3339 time such as 2026-11-28T10:04:00Z, not \"" + text + "\"");
    }
  }
}
