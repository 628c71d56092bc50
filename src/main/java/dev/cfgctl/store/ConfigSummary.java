package dev.cfgctl.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import java.time.Instant;

/** One entry of a config listing. */
public record ConfigSummary(String name, long version, Instant updatedAt, Author updatedBy) {
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("name", name);
    o.put("version", version);
    o.put("updatedAt", Times.format(updatedAt));
    o.put("updatedBy", updatedBy.id());
    return o;
  }
}
