package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.app.MigrationReport;
import dev.cfgctl.app.MigrationReport.ConfigResult;
import dev.cfgctl.app.MigrationReport.Outcome;
import dev.cfgctl.output.Result;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.Json;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What {@code migrate} reports: in text a table of outcome counts, in JSON the counts and every
 * config's outcome, in jsonl a line per config.
 */
record Migrated(MigrationReport report) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("dryRun", report.dryRun());
    ObjectNode summary = o.putObject("summary");
    report.counts().forEach((k, v) -> summary.put(k.slug(), v));
    o.putArray("configs").addAll(jsonLines());
    return o;
  }

  @Override
  public List<JsonNode> jsonLines() {
    return report.configs().stream().<JsonNode>map(Migrated::configJson).toList();
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    Map<Outcome, Integer> n = report.counts();
    Table t = new Table("OUTCOME", "CONFIGS");
    for (Outcome o : Outcome.values()) {
      t.row(
          o.label() + (report.dryRun() && o == Outcome.APPLIED ? " (dry run)" : ""),
          n.get(o).toString());
    }
    t.row("total", Integer.toString(report.configs().size()));
    t.print(out);
  }

  private static ObjectNode configJson(ConfigResult r) {
    ObjectNode i =
        Json.NODES
            .objectNode()
            .put("tenant", r.ref().tenant())
            .put("name", r.ref().name())
            .put("outcome", r.outcome().slug());
    if (r.version() != null) i.put("version", r.version());
    if (r.detail() != null) i.put("detail", r.detail());
    return i;
  }
}
