package dev.cfgctl.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import java.time.Instant;

/**
 * A session connected to a config's change stream, on some server ({@code node}): who, with what
 * client, looking at which pointer (null: the whole config), since when.
 */
public record Presence(
    String session,
    String node,
    ConfigRef ref,
    Author user,
    String client,
    String pointer,
    Instant since) {

  /** As the stream shows it; the server, not shown, is null. */
  public static Presence fromJson(ConfigRef ref, com.fasterxml.jackson.databind.JsonNode o) {
    return new Presence(
        o.path("session").asText(),
        null,
        ref,
        Author.fromJson(o.path("user")),
        o.path("client").isTextual() ? o.get("client").asText() : null,
        o.path("pointer").isTextual() ? o.get("pointer").asText() : null,
        Times.parse(o.path("since").asText(), "since"));
  }

  /** As the stream shows it (API.md): the server it is on stays out. */
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode().put("session", session);
    o.set("user", user.toJson());
    o.put("client", client);
    o.put("pointer", pointer);
    o.put("since", Times.format(since));
    return o;
  }
}
