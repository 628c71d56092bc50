package dev.cfgctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Times;

/** A page of a config listing on the wire. Thread-safe (stateless). */
public final class ConfigSummaryJson {
  private ConfigSummaryJson() {}

  public static ObjectNode encode(Page<ConfigSummary> page) {
    return PageJson.encode(page, ConfigSummary::toJson);
  }

  public static Page<ConfigSummary> decode(JsonNode page) {
    return PageJson.decode(
        page,
        item ->
            new ConfigSummary(
                item.get("name").asText(),
                item.get("version").asLong(),
                Times.parse(item.get("updatedAt").asText(), "updatedAt"),
                // the listing carries only the user id of the author (API.md)
                new Author(item.get("updatedBy").asText(), item.get("updatedBy").asText())));
  }
}
