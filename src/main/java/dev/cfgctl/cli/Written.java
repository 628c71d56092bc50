package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Times;

/** What a write command reports on stdout: the new version, as a line for people or as JSON. */
final class Written {
  private Written() {}

  static void report(Io io, CommonOptions common, boolean json, String what, Document d) {
    if (json) {
      Outputs.print(io, versionJson(d), common.pretty(io.stdoutTerminal()));
    } else {
      io.out().println(d.ref() + ": " + what + ", now at version " + d.version());
    }
  }

  /** A config's version and who made it when, without the content: the JSON of write commands and of get. */
  static ObjectNode versionJson(Document d) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("tenant", d.ref().tenant()).put("name", d.ref().name()).put("version", d.version())
        .put("updatedAt", Times.format(d.updatedAt()));
    o.set("updatedBy", d.updatedBy().toJson());
    return o;
  }
}
