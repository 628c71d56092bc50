package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Times;

/** What a write command reports: the new version, for people on stderr or as JSON on stdout. */
final class Written {
  private Written() {}

  static void report(Io io, CommonOptions common, boolean json, String what, Document d) {
    if (json) {
      ObjectNode o = Json.NODES.objectNode();
      o.put("tenant", d.ref().tenant()).put("name", d.ref().name()).put("version", d.version())
          .put("updatedAt", Times.format(d.updatedAt()));
      o.set("updatedBy", d.updatedBy().toJson());
      Outputs.print(io, o, common.pretty(io.stdoutTerminal()));
    } else {
      io.out().println(d.ref() + ": " + what + ", now at version " + d.version());
    }
  }
}
