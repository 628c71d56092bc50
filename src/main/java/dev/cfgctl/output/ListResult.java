package dev.cfgctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cfgctl.patch.Json;
import java.util.List;

/** A result that is a list: {@code -o jsonl} prints an item a line, {@code -o json} an array. */
public interface ListResult extends Result {
  /** The items, each as its JSON value. */
  @Override
  List<JsonNode> jsonLines();

  @Override
  default ArrayNode toJson() {
    ArrayNode a = Json.NODES.arrayNode();
    jsonLines().forEach(a::add);
    return a;
  }
}
