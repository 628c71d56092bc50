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
  /** The stream's event types this client knows (lock events and presence are to come). */
  static final List<String> TYPES = List.of("revision", "deleted", "undeleted", "snapshot");

  String type() {
    return message.path("type").asText();
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
          default -> ref + " " + Printable.of(type());
        });
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
