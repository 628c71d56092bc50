package dev.cfgctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Listings on the wire: {@code {"items": [...], "next": cursor}}, or without {@code next} for a
 * listing that is never cut into pages. Thread-safe (stateless).
 */
public final class PageJson {
  private PageJson() {}

  public static <T> ObjectNode encode(Page<T> page, Function<T, ? extends JsonNode> item) {
    ObjectNode o = items(page.items(), item);
    o.put("next", page.next());
    return o;
  }

  public static <T> ObjectNode items(List<T> items, Function<T, ? extends JsonNode> item) {
    ObjectNode o = Json.NODES.objectNode();
    ArrayNode array = o.putArray("items");
    items.forEach(i -> array.add(item.apply(i)));
    return o;
  }

  public static <T> Page<T> decode(JsonNode o, Function<JsonNode, T> item) {
    List<T> items = new ArrayList<>();
    JsonNode array = o.get("items");
    if (array == null || !array.isArray()) throw new IllegalArgumentException("no \"items\"");
    array.forEach(i -> items.add(item.apply(i)));
    JsonNode next = o.get("next");
    return new Page<>(items, next == null || next.isNull() ? null : next.asText());
  }
}
