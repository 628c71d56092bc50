package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.JsonWriter;
import dev.cfgctl.output.Result;
import dev.cfgctl.store.Document;
import java.io.PrintStream;

/**
 * What {@code get} prints: {@code content}, the document's or what its {@code pointer} (null: none)
 * names; in JSON with the version and who made it when.
 */
record Fetched(Document document, String pointer, JsonNode content) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = Written.versionJson(document);
    if (pointer != null) o.put("pointer", pointer);
    o.set("content", content);
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    new JsonWriter(out, pretty).write(content);
  }
}
