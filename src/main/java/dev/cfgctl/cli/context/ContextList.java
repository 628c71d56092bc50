package dev.cfgctl.cli.context;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.cli.context.Contexts.Context;
import dev.cfgctl.output.Result;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.Json;
import java.io.PrintStream;
import java.util.Map;

/** What {@code context list} shows: every context by name, {@code current} marked (null: none). */
record ContextList(String current, Map<String, Context> all) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    if (current == null) o.putNull("current");
    else o.put("current", current);
    ObjectNode contexts = o.putObject("contexts");
    all.forEach((name, ctx) -> contexts.set(name, ctx.toJson()));
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    Table t = new Table("CURRENT", "NAME", "SERVER", "TENANT", "TOKEN FILE");
    all.forEach(
        (name, ctx) ->
            t.row(
                name.equals(current) ? "*" : "",
                name,
                ctx.server() != null
                    ? ctx.server()
                    : "embedded " + (ctx.store() != null ? ctx.store() : "(default)"),
                ctx.tenant() == null ? "-" : ctx.tenant(),
                ctx.tokenFile() == null ? "-" : ctx.tokenFile()));
    t.print(out);
  }
}
