package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.file.Outputs;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Times;

/** What a write command reports on stdout: the new version, as a line for people or as JSON. */
public final class Written {
  private Written() {}

  /**
   * Reports a write; one that changed nothing (no new version: only passing tests, or the content
   * the config already had) says so, and its JSON has {@code "changed": false}.
   */
  public static void report(Io io, CommonOptions common, boolean json, String what, Document d) {
    if (json) {
      ObjectNode o = versionJson(d);
      o.put("changed", !d.unchanged());
      Outputs.print(io, o, common.pretty(io.stdoutTerminal()));
    } else if (d.unchanged()) {
      io.out().println(d.ref() + ": unchanged, still at version " + d.version()
          + " (nothing to change)");
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
