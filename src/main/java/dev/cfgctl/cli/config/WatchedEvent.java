package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.output.Printable;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.store.ConfigRef;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One event of a config's change stream as {@code watch} prints it: in text a line such as {@code
 * acme/landing@8 patch by Alice at 2026-…: /pages/0/title}, in JSON the message as the stream
 * carries it.
 */
record WatchedEvent(ConfigRef ref, JsonNode message) implements Result {
  /** The events watch prints: the stream's types, a lock event by what happened to the lock. */
  static final List<String> TYPES =
      List.of(
          "revision",
          "deleted",
          "undeleted",
          "snapshot",
          "held",
          "acquired",
          "extended",
          "released",
          "expired",
          "taken-over",
          "force-released");

  /** The event's type; for a lock event, what happened to the lock ({@code released}, …). */
  String type() {
    String type = message.path("type").asText();
    return type.equals("lock") ? message.path("event").asText() : type;
  }

  /** Whether watch prints it: presence lists are for {@code who}. */
  boolean shown() {
    return TYPES.contains(type());
  }

  /**
   * Whether the event changes what is at {@code pointer}: a revision that touched it, something
   * under it, or a parent of it (a replace of the parent changes it too). Anything else is shown.
   */
  boolean touches(JsonPointer pointer) {
    if (!type().equals("revision")) return true;
    for (JsonNode p : message.path("paths")) {
      JsonPointer path;
      try {
        path = JsonPointer.parse(p.asText());
      } catch (IllegalArgumentException e) {
        return true; // not ours to judge: shown
      }
      if (path.startsWith(pointer) || pointer.startsWith(path)) return true;
    }
    return false;
  }

  @Override
  public JsonNode toJson() {
    return message;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    String at = ref + "@" + message.path("version").asLong();
    String by = " by " + name() + " at " + Printable.of(message.path("at").asText());
    out.println(
        switch (type()) {
          case "revision" -> at + " " + kind() + by + ": " + paths() + note();
          case "deleted" -> at + " deleted" + by + note();
          case "undeleted" -> at + " undeleted (" + kind() + ")" + by + note();
          case "snapshot" ->
              at
                  + " snapshot ("
                  + (message.path("deleted").asBoolean()
                      ? "deleted"
                      : Json.compact(message.path("content"))
                              .getBytes(StandardCharsets.UTF_8)
                              .length
                          + " bytes")
                  + ")";
          default ->
              message.path("type").asText().equals("lock")
                  ? lockLine()
                  : ref + " " + Printable.of(type());
        });
  }

  /** {@code acme/landing lock released by Alice at …}, with the holder and note where they add. */
  private String lockLine() {
    JsonNode lock = message.path("lock");
    String holder = Printable.of(lock.path("holder").path("name").asText());
    JsonNode by = message.path("by");
    StringBuilder line = new StringBuilder(ref + " lock " + Printable.of(type()));
    if (by.isObject()) line.append(" by ").append(Printable.of(by.path("name").asText()));
    line.append(" at ").append(Printable.of(message.path("at").asText()));
    if (!by.isObject() || !by.path("id").asText().equals(lock.path("holder").path("id").asText())) {
      line.append(" (held by ").append(holder).append(')');
    }
    if (lock.path("note").isTextual()) {
      line.append(" — ").append(Printable.of(lock.path("note").asText()));
    }
    if (type().equals("acquired") || type().equals("extended") || type().equals("held")) {
      line.append(", until ").append(Printable.of(lock.path("expiresAt").asText()));
    }
    return line.toString();
  }

  private String name() {
    return Printable.of(message.path("author").path("name").asText());
  }

  /** The kind as history shows it: {@code patch}, {@code undo 7 (forced)}, … */
  private String kind() {
    StringBuilder k = new StringBuilder(Printable.of(message.path("kind").asText()));
    if (message.path("undoes").isNumber()) k.append(' ').append(message.get("undoes").asLong());
    if (message.path("forced").asBoolean()) k.append(" (forced)");
    if (message.path("rebasedFrom").isNumber()) {
      k.append(" (rebased from ").append(message.get("rebasedFrom").asLong()).append(')');
    }
    return k.toString();
  }

  private String paths() {
    List<String> shown = new ArrayList<>();
    for (JsonNode p : message.path("paths")) {
      shown.add(p.asText().isEmpty() ? "(the whole document)" : Printable.of(p.asText()));
    }
    return shown.isEmpty() ? "(nothing)" : String.join(" ", shown);
  }

  private String note() {
    JsonNode m = message.path("message");
    return m.isTextual() && !m.asText().isEmpty() ? " — " + Printable.of(m.asText()) : "";
  }
}
