package dev.cfgctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Revision;
import java.util.ArrayList;
import java.util.List;

/**
 * Revisions on the wire: whole (with patch and inverse) alone or as the list an undo or redo made;
 * as summaries in a page of history. Thread-safe (stateless).
 */
public final class RevisionJson {
  private RevisionJson() {}

  public static ObjectNode encode(Revision r) {
    return r.toJson();
  }

  public static Revision decode(ConfigRef ref, JsonNode o) {
    return Revision.fromJson(ref, o);
  }

  public static ArrayNode encodeList(List<Revision> made) {
    ArrayNode items = Json.NODES.arrayNode();
    made.forEach(r -> items.add(r.toJson()));
    return items;
  }

  /** The revisions an undo or redo made: at least one. */
  public static List<Revision> decodeList(ConfigRef ref, JsonNode items) {
    if (!items.isArray() || items.isEmpty()) throw new IllegalArgumentException("no revisions");
    List<Revision> made = new ArrayList<>();
    items.forEach(item -> made.add(Revision.fromJson(ref, item)));
    return made;
  }

  public static ObjectNode encodeHistory(Page<Revision> page) {
    return PageJson.encode(page, Revision::summaryJson);
  }

  public static Page<Revision> decodeHistory(ConfigRef ref, JsonNode page) {
    return PageJson.decode(page, item -> Revision.fromJson(ref, item));
  }
}
