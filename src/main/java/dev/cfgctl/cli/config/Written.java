package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Times;
import java.io.PrintStream;

/**
 * What a write command reports on stdout: the new version, as a line for people or as JSON. A write
 * that changed nothing (no new version: only passing tests, or the content the config already had)
 * says so, and its JSON has {@code "changed": false}. {@code what} is the verb of the line
 * ("saved").
 */
public record Written(String what, Document document) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = versionJson(document);
    o.put("changed", !document.unchanged());
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    if (document.unchanged()) {
      out.println(
          document.ref()
              + ": unchanged, still at version "
              + document.version()
              + " (nothing to change)");
    } else {
      out.println(document.ref() + ": " + what + ", now at version " + document.version());
    }
  }

  /**
   * A config's version and who made it when, without the content: the JSON of write commands and of
   * get.
   */
  static ObjectNode versionJson(Document d) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("tenant", d.ref().tenant())
        .put("name", d.ref().name())
        .put("version", d.version())
        .put("updatedAt", Times.format(d.updatedAt()));
    o.set("updatedBy", d.updatedBy().toJson());
    return o;
  }
}
