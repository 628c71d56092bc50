package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import java.io.PrintStream;

/** What {@code delete} reports: the config was deleted as its {@code version}. */
record Deleted(ConfigRef ref, long version) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("tenant", ref.tenant())
        .put("name", ref.name())
        .put("version", version)
        .put("deleted", true);
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    out.println(ref + ": deleted as version " + version + " (undo with: cfgctl undo " + ref + ")");
  }
}
