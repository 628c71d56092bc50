package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.output.ListResult;
import dev.cfgctl.output.Table;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What {@code list} shows: configs with their ages as of {@code now}; a line each in jsonl. */
record ConfigList(List<ConfigSummary> configs, Instant now) implements ListResult {
  @Override
  public List<JsonNode> jsonLines() {
    return configs.stream().<JsonNode>map(ConfigSummary::toJson).toList();
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    Table t = new Table("NAME", "VERSION", "CHANGED", "BY");
    for (ConfigSummary c : configs) {
      t.row(
          c.name(),
          Long.toString(c.version()),
          Durations.format(Duration.between(c.updatedAt(), now)) + " ago",
          c.updatedBy().name());
    }
    t.print(out);
  }
}
