package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;

/** A user as history and locks show them: id and display name. */
public record Author(String id, String name) {
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("id", id);
    o.put("name", name);
    return o;
  }

  public static Author fromJson(JsonNode o) {
    return new Author(o.path("id").asText(), o.path("name").asText());
  }
}
